import type { ApiError } from '../api/contract.js';
import { holderProcess } from '../domain/lease.js';
import type { FieldError, Localized } from '../api/views.js';
import { proxyRefusalCause, proxyRefusalStatus } from '../adapters/network-transport.js';
import { SERVICE_USER as SERVICE_ACCOUNT } from '../ops/service-definitions.js';
import type { FolderAccessProblem } from './data-folder-access.js';

/**
 * A refusal the service itself decides (no platform configured, another
 * process syncs the folder, ...), carrying its AgentApi code and the sentence
 * for a person in both languages.
 */
export class ServiceRefusal extends Error {
  constructor(
    readonly code: ApiError['code'],
    readonly messages: Localized,
    readonly fieldErrors?: FieldError[],
  ) {
    super(messages.en);
    this.name = 'ServiceRefusal';
  }
}

export const refusals = {
  notInitialised: () =>
    new ServiceRefusal('not_enrolled', {
      vi: 'Chưa cấu hình địa chỉ nền tảng quốc gia. Hãy chạy "edge-agent init --platform <địa chỉ> --site <mã đơn vị>" hoặc nhập trong phần Cài đặt.',
      en: 'The national platform address is not set. Run "edge-agent init --platform <url> --site <code>" or set it in Settings.',
    }),
  notEnrolled: () =>
    new ServiceRefusal('not_enrolled', {
      vi: 'Máy này chưa được đăng ký với nền tảng quốc gia. Hãy xin mã đăng ký một lần từ người quản trị rồi chạy "edge-agent enroll --token <mã>".',
      en: 'This computer is not enrolled with the national platform. Ask the operator for a one-time token, then run "edge-agent enroll --token <token>".',
    }),
  noSite: () =>
    new ServiceRefusal('invalid_input', {
      vi: 'Chưa có mã đơn vị. Hãy chạy "edge-agent init --platform <địa chỉ> --site <mã đơn vị>" hoặc nhập mã khi đăng ký.',
      en: 'No site code is set. Run "edge-agent init --platform <url> --site <code>" or give it when enrolling.',
    }),
  leaseHeld: (holder: string) => {
    const { host, pid } = holderProcess(holder);
    return new ServiceRefusal('busy', {
      vi: `Một chương trình khác trên máy ${host}${pid === null ? '' : ` (tiến trình ${pid})`} đang đồng bộ thư mục dữ liệu này. Hãy dùng chương trình đó, hoặc dừng nó rồi thử lại.`,
      en: `Another program on ${host}${pid === null ? '' : ` (process ${pid})`} is syncing this data folder. Use that one, or stop it and try again.`,
    });
  },
  /**
   * The folder's data file is locked by another process (StoreBusyError): in
   * use, not damaged, so nobody restores a backup over good data. Names the
   * lease's holder when one is alive, as leaseHeld does.
   */
  storeInUse: (dataDir: string, holder: string | null) => {
    const on = onHolder(holder);
    return new ServiceRefusal('busy', {
      vi: `Thư mục dữ liệu ${dataDir} đang được một chương trình khác của tác tử dùng${on.vi}; dữ liệu không bị hỏng, đừng khôi phục bản sao lưu. Hãy dùng chương trình đó (dịch vụ nền hoặc cửa sổ đang mở), hoặc dừng nó rồi chạy lại lệnh này.`,
      en: `The data folder ${dataDir} is in use by another agent program${on.en}; the data is not damaged, do not restore a backup. Use that program (the running service or the open window), or stop it and run this command again.`,
    });
  },
  /**
   * A write of an open store waited past the busy timeout (SQLITE_BUSY: another
   * process kept the write lock), so it was rolled back: the folder is in use,
   * in storeInUse's words, and `outcome` says what did not happen (by default
   * nothing was saved; the caller keeps what the person gave, to try again).
   * Names the lease's holder when one is alive.
   */
  storeWriteBusy: (dataDir: string, holder: string | null, outcome: Localized = NOTHING_SAVED) => {
    const on = onHolder(holder);
    return new ServiceRefusal('busy', {
      vi: `Thư mục dữ liệu ${dataDir} đang được một chương trình khác của tác tử dùng${on.vi}; chương trình đó ghi lâu hơn 5 giây tác tử chờ, nên ${outcome.vi}. Dữ liệu không bị hỏng. Hãy thử lại sau giây lát; nếu vẫn bận, hãy dừng chương trình đó (dịch vụ nền hoặc cửa sổ đang mở) rồi thử lại.`,
      en: `The data folder ${dataDir} is in use by another agent program${on.en}; it kept writing longer than the 5 s this agent waits, so ${outcome.en}. The data is not damaged. Try again in a moment; if it stays busy, stop that program (the running service or the open window) and try again.`,
    });
  },
  /**
   * The national platform accepted the one-time enrollment token (agent
   * `agentId`), and then this computer could not keep its new identity (the
   * data file or the key file could not be written; `reason` says why): the
   * token is used up. `unchanged`: the previous identity and its key are as
   * they were (false when its key file could not be put back).
   */
  enrollmentNotSaved: (agentId: string, reason: string, unchanged: boolean) =>
    new ServiceRefusal('internal', {
      vi: `Nền tảng quốc gia đã nhận mã đăng ký (mã tác tử ${agentId}), nhưng máy này không lưu được danh tính mới: ${reason}. Mã đăng ký đã được dùng và không dùng lại được; ${unchanged ? 'máy này vẫn như trước khi đăng ký' : 'khóa của danh tính cũ không đặt lại được, nên máy này phải đăng ký lại'}. Hãy khắc phục lỗi trên, rồi xin người quản trị nền tảng quốc gia một mã mới (và nhờ họ thu hồi tác tử ${agentId}).`,
      en: `The national platform accepted the enrollment token (agent id ${agentId}), but this computer could not save its new identity: ${reason}. The token is used up and cannot be used again; ${unchanged ? 'this computer is as it was before enrolling' : "the previous identity's key could not be put back, so this computer must be enrolled again"}. Fix the problem above, then ask the national platform operator for a new token (and to revoke agent ${agentId}).`,
    }),
  /**
   * Enrollment got no answer from the platform, or not the platform's answer
   * (`failure`: the PlatformError's kind, transport code, HTTP status and
   * protocol code; `proxyHost`: the proxy's host:port when one is set): a
   * sentence for the local IT person who enrolls, not the clerk's "changes
   * are kept" or "the agent will retry" ones (an enrollment is not retried).
   * Names the address and the likely cause, says nothing was saved, points
   * at `doctor` (`home`: the data folder as one shell word) and says to enroll
   * again with the same token, or ask for a new one should the platform
   * answer it is used (a timeout may come after the platform took it).
   */
  enrollmentUnreachable: (platformUrl: string, failure: EnrollmentFailure, proxyHost: string | null, home: string) => {
    const why = unreachableCause(failure, proxyHost, home, platformUrl);
    const detail = failure.kind === 'http' || failure.kind === 'malformed' ? (failure.status ? `HTTP ${failure.status}${failure.code ? ` ${failure.code}` : ''}` : '') : (failure.cause ?? '');
    return new ServiceRefusal('unreachable', {
      vi: `Chưa đăng ký được: ${why.vi} (${platformUrl}${detail ? `, ${detail}` : ''}). Việc đăng ký chưa lưu gì trên máy này. Lệnh "edge-agent --home ${home} doctor" cho biết nguyên nhân (địa chỉ, cổng, proxy, chứng chỉ, tường lửa); khắc phục rồi đăng ký lại với cùng mã đăng ký. Nếu khi đó nền tảng báo mã đã được dùng, hãy xin mã mới.`,
      en: `Not enrolled: ${why.en} (${platformUrl}${detail ? `, ${detail}` : ''}). The enrollment saved nothing on this computer. "edge-agent --home ${home} doctor" says why (address, port, proxy, certificate, firewall); fix it, then enroll again with the same token. Should the platform then answer that the token is used, ask for a new one.`,
    });
  },
  /**
   * The platform refused the token (`code`: token_used, token_expired,
   * token_invalid, token_wrong_site) of an enrollment typed again on a folder
   * that is enrolled: the refusal changed nothing, so it says this computer
   * is still enrolled (agent id, site) and, unless its connection is refused
   * (`standing`: the health's standing refusal, agent_pending or another),
   * syncs as before; a new token is needed only to enroll it anew. Points at
   * `status` (`home`: the data folder as one shell word).
   */
  tokenRefusedWhileEnrolled: (code: string, identity: { agentId: string; siteCode: string; status: string }, standing: string | null, home: string) => {
    const lead = TOKEN_REFUSED[code] ?? TOKEN_REFUSED['token_invalid']!;
    const who = { vi: `(mã tác tử ${identity.agentId}, đơn vị ${identity.siteCode})`, en: `(agent id ${identity.agentId}, site ${identity.siteCode})` };
    const pending = standing === 'agent_pending' || (standing === null && identity.status === 'pending');
    const state = pending
      ? { vi: `vẫn đăng ký với nền tảng quốc gia ${who.vi}, đang chờ người quản trị phê duyệt: không có gì thay đổi; việc đồng bộ bắt đầu sau khi được duyệt`, en: `is still enrolled with the national platform ${who.en}, awaiting the operator's approval: nothing was changed; syncing starts once it is approved` }
      : standing === null
        ? { vi: `vẫn đăng ký với nền tảng quốc gia ${who.vi} và đồng bộ như trước: không có gì thay đổi`, en: `is still enrolled with the national platform ${who.en} and syncs as before: nothing was changed` }
        : { vi: `vẫn đăng ký với nền tảng quốc gia ${who.vi}: không có gì thay đổi`, en: `is still enrolled with the national platform ${who.en}: nothing was changed` };
    return new ServiceRefusal('unauthorized', {
      vi: `${lead.vi} Máy này ${state.vi}. Chỉ cần mã mới (xin người quản trị nền tảng quốc gia) nếu muốn đăng ký lại máy này. Xem tình trạng: "edge-agent --home ${home} status".`,
      en: `${lead.en} This computer ${state.en}. A new token (from the national platform operator) is needed only to enroll it anew. To check: "edge-agent --home ${home} status".`,
    });
  },
  /**
   * The folder's data file is damaged (StoreCorruptedError, at open or at a
   * later read): names it, says where the automatic backups are and the
   * restore command to type (`home`: the data folder as one shell word), and
   * SQLite's first complaint.
   */
  storeDamaged: (file: string, home: string, backups: string, problem: string) =>
    new ServiceRefusal('internal', {
      vi: `Tệp dữ liệu của tác tử ${file} bị hỏng; đừng xóa tệp này. Hãy dừng dịch vụ nền (nó không chạy được trên tệp hỏng), rồi khôi phục bản sao lưu mới nhất: "edge-agent --home ${home} restore <tệp sao lưu>". Bản sao lưu tự động nằm trong ${backups} (auto-<thời gian>.tar.gz); lệnh khôi phục kiểm tra bản sao lưu trước và giữ các tệp hiện tại trong thư mục pre-restore-<thời gian>. Chi tiết: ${problem}`,
      en: `The agent's data file ${file} is damaged; do not delete it. Stop the background service (it cannot run on a damaged file), then restore the latest backup: "edge-agent --home ${home} restore <backup file>". Automatic backups are kept in ${backups} (auto-<time>.tar.gz); restore checks the backup first and keeps the current files in a pre-restore-<time> folder. Detail: ${problem}`,
    }),
  /**
   * The account running the agent may not read or write the data folder or its
   * data file (folderAccessProblem): names the path, the account and the
   * folder's owner, says the data is not damaged, and the command that gives
   * the folder to the account (`home`: the folder as one shell word). On
   * Windows (no account name), the elevated command and `service install`,
   * which sets the folder's permissions.
   */
  storeNotAccessible: (problem: FolderAccessProblem, home: string) => {
    const verb = problem.denied === 'read' ? { vi: 'đọc', en: 'read' } : { vi: 'ghi vào', en: 'write to' };
    const owner = problem.owner === null ? { vi: '', en: '' } : { vi: ` (chủ sở hữu thư mục: ${problem.owner})`, en: ` (the folder belongs to ${problem.owner})` };
    const who = problem.account === null ? { vi: 'Tài khoản đang chạy tác tử', en: 'The account running the agent' } : { vi: `Tài khoản ${problem.account} đang chạy tác tử`, en: `The account ${problem.account}, which runs the agent,` };
    const service =
      problem.account === SERVICE_ACCOUNT
        ? { vi: '', en: '' }
        : { vi: ` Dịch vụ nền trên Linux chạy bằng tài khoản ${SERVICE_ACCOUNT}: "sudo chown -R ${SERVICE_ACCOUNT}: ${home}", rồi "sudo systemctl restart ndxp-edge-agent".`, en: ` The Linux background service runs as ${SERVICE_ACCOUNT}: "sudo chown -R ${SERVICE_ACCOUNT}: ${home}", then "sudo systemctl restart ndxp-edge-agent".` };
    const fix =
      problem.account === null
        ? { vi: `Hãy chạy lệnh với quyền quản trị (Administrator), hoặc chạy lại "edge-agent --home ${home} service install" (lệnh này cấp quyền sửa thư mục cho tài khoản của dịch vụ).`, en: `Run the command as an administrator, or run "edge-agent --home ${home} service install" again (it gives the service's account the right to change the folder).` }
        : { vi: `Hãy giao thư mục, cùng mọi tệp trong đó, cho tài khoản chạy tác tử: "sudo chown -R ${problem.account}: ${home}".${service.vi} Hoặc chạy lệnh bằng tài khoản sở hữu thư mục.`, en: `Give the folder, with every file in it, to the account that runs the agent: "sudo chown -R ${problem.account}: ${home}".${service.en} Or run the command as the folder's owner.` };
    return new ServiceRefusal('internal', {
      vi: `${who.vi} không có quyền ${verb.vi} ${problem.path}${owner.vi}, nên không mở được dữ liệu của tác tử. Dữ liệu không bị hỏng: đừng xóa tệp, đừng khôi phục bản sao lưu. ${fix.vi}`,
      en: `${who.en} may not ${verb.en} ${problem.path}${owner.en}, so the agent's data cannot be opened. The data is not damaged: do not delete files or restore a backup. ${fix.en}`,
    });
  },
  /**
   * The folder's data file was upgraded by a newer build (StoreNewerError, at
   * open): names the file and the schema changes this build does not know,
   * says nothing was changed, and what to do: the newer version again, or the
   * restore command to type for a backup this version made (`home`: the data
   * folder as one shell word).
   */
  storeNewer: (file: string, home: string, backups: string, migrations: readonly string[]) =>
    new ServiceRefusal('internal', {
      vi: `Tệp dữ liệu của tác tử ${file} đã được một phiên bản mới hơn của tác tử nâng cấp (thay đổi cấu trúc mà phiên bản này không biết: ${migrations.join(', ')}). Phiên bản này không mở tệp đó và không thay đổi gì trong đó. Hãy cài lại phiên bản mới hơn. Nếu buộc phải dùng phiên bản này: dừng dịch vụ nền rồi khôi phục một bản sao lưu do phiên bản này tạo (trước khi nâng cấp): "edge-agent --home ${home} restore <tệp sao lưu>"; những gì làm sau bản sao lưu đó sẽ không có, và các tệp hiện tại được giữ trong thư mục pre-restore-<thời gian>. Bản sao lưu tự động nằm trong ${backups}.`,
      en: `The agent's data file ${file} was upgraded by a newer version of the agent (schema changes this version does not know: ${migrations.join(', ')}). This version does not open it and changed nothing in it. Install the newer version again. If this version must be used: stop the background service, then restore a backup this version made (before the upgrade): "edge-agent --home ${home} restore <backup file>"; what was done after that backup is not in it, and the current files are kept in a pre-restore-<time> folder. Automatic backups are kept in ${backups}.`,
    }),
  closed: () =>
    new ServiceRefusal('busy', {
      vi: 'Tác tử đang dừng. Hãy mở lại rồi thử lại.',
      en: 'The agent is shutting down. Start it again and retry.',
    }),
  resolutionMissing: () =>
    new ServiceRefusal('invalid_input', {
      vi: 'Hãy chọn cách giải quyết: giữ bản của đơn vị này hoặc bản quốc gia, chọn từng trường, hoặc nhập giá trị mới.',
      en: 'Choose how to settle it: take this office’s or the national version, choose per field, or type new values.',
    }),
  /** A per-field choice names a field the conflict does not show (a mistyped `--field NAME`): nothing is settled. */
  unknownConflictField: (unknown: readonly string[], choosable: readonly string[]) =>
    new ServiceRefusal('invalid_input', {
      vi: `Xung đột này không có trường ${unknown.map((f) => `"${f}"`).join(', ')}: chưa giải quyết gì. Các trường có thể chọn: ${choosable.join(', ')}.`,
      en: `This conflict has no field ${unknown.map((f) => `"${f}"`).join(', ')}: nothing was settled. The fields to choose from: ${choosable.join(', ')}.`,
    }),
  duplicateUnchanged: (fields: ReadonlyArray<{ path: string; title: Localized }>) => {
    const vi = fields.map((f) => lowerFirst(f.title.vi)).join(', ');
    const en = fields.map((f) => lowerFirst(f.title.en)).join(', ');
    const messages = {
      vi: `Hai người khác nhau không thể có cùng ${vi}. Hãy sửa ${vi} của bản ghi này cho đúng giấy tờ rồi gửi lại. Nếu bản ghi kia mới là bản sai và đơn vị của nó đã sửa, hãy chọn "Gửi lại như cũ".`,
      en: `Two different people cannot share the same ${en}. Correct this record's ${en} from the papers, then send it again. If the other record was the wrong one and its office has corrected it, choose "Send again as it is".`,
    };
    return new ServiceRefusal(
      'invalid_input',
      messages,
      fields.map((f) => ({ path: f.path, code: 'duplicate_unchanged', messages })),
    );
  },
};

/** The platform's refusal of an enrollment token, without what to do (which depends on whether this computer is enrolled). */
const TOKEN_REFUSED: Record<string, Localized> = {
  token_used: { vi: 'Mã đăng ký đã được dùng (mỗi mã chỉ dùng một lần).', en: 'The enrollment token has already been used (each token works once).' },
  token_expired: { vi: 'Mã đăng ký đã hết hạn hoặc đã bị thu hồi.', en: 'The enrollment token has expired or was revoked.' },
  token_invalid: { vi: 'Mã đăng ký không đúng.', en: 'The enrollment token is not valid.' },
  token_wrong_site: { vi: 'Mã đăng ký được cấp cho đơn vị khác.', en: 'The enrollment token was issued for another site.' },
};

const NOTHING_SAVED: Localized = { vi: 'chưa có gì được lưu', en: 'nothing was saved' };

/** storeWriteBusy's outcome for an enrollment refused before its token was sent (enrollAgent). */
export const TOKEN_NOT_SENT: Localized = {
  vi: 'mã đăng ký chưa được gửi đến nền tảng quốc gia và chưa có gì được lưu (mã vẫn dùng được)',
  en: 'the enrollment token was not sent to the national platform and nothing was saved (the token can still be used)',
};

/** What an enrollment met instead of the platform's answer (a PlatformError's fields). */
export interface EnrollmentFailure {
  kind: 'network' | 'timeout' | 'tls' | 'http' | 'malformed';
  cause?: string | undefined;
  status?: number | undefined;
  code?: string | undefined;
}

/** Why the platform gave no answer, or not its own, in the words of the person who set the address, the proxy and the certificates (`home`: the data folder as one shell word). */
function unreachableCause(failure: EnrollmentFailure, proxyHost: string | null, home: string, platformUrl: string): Localized {
  const { kind, cause, status, code } = failure;
  const refusedBy = proxyHost === null ? null : proxyRefusalStatus(cause);
  if (refusedBy !== null && proxyHost !== null) {
    const target = new URL(platformUrl);
    return proxyRefusalCause(refusedBy, proxyHost, `${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`, false);
  }
  if (kind === 'tls') {
    return /SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF/.test(cause ?? '')
      ? {
          vi: `chứng chỉ của nền tảng do một CA máy này không tin cậy cấp; nếu mạng của đơn vị dùng CA nội bộ, hãy thêm tệp PEM của nó: "edge-agent --home ${home} network set --ca-file <tệp.pem>"`,
          en: `the platform's certificate is issued by a CA this computer does not trust; if the office network uses an internal CA, add its PEM file: "edge-agent --home ${home} network set --ca-file <file.pem>"`,
        }
      : { vi: 'không tạo được kết nối an toàn với nền tảng quốc gia (lỗi chứng chỉ)', en: 'no secure connection to the national platform could be made (a certificate problem)' };
  }
  if (kind === 'timeout') return { vi: 'nền tảng quốc gia không trả lời kịp', en: 'the national platform did not answer in time' };
  if (code === 'maintenance') return { vi: 'nền tảng quốc gia đang bảo trì; hãy đăng ký lại sau', en: 'the national platform is under maintenance; enroll again later' };
  if (status === 429) return { vi: 'nền tảng quốc gia đang bận và yêu cầu chờ; hãy đăng ký lại sau vài phút', en: 'the national platform is busy and asks to wait; enroll again in a few minutes' };
  if (kind === 'http' || kind === 'malformed') {
    return {
      vi: 'địa chỉ này không trả lời như nền tảng quốc gia: kiểm tra địa chỉ (sai cổng hoặc đường dẫn sẽ tới một dịch vụ web khác, hoặc proxy trả lời thay); nếu địa chỉ đúng thì nền tảng đang gặp sự cố, hãy đăng ký lại sau',
      en: 'that address does not answer as the national platform does: check the address (a wrong port or path reaches another web service, or a proxy answers instead); if it is right, the platform has a problem: enroll again later',
    };
  }
  if (cause === 'ECONNREFUSED' && proxyHost !== null) return { vi: `kết nối bị từ chối (qua proxy ${proxyHost}): sai địa chỉ hoặc cổng của proxy hay của nền tảng, hoặc dịch vụ ở đó đang dừng`, en: `the connection is refused (through the proxy ${proxyHost}): a wrong address or port of the proxy or the platform, or the service there is down` };
  if (cause === 'ECONNREFUSED') return { vi: 'địa chỉ này từ chối kết nối: sai cổng, hoặc dịch vụ ở đó đang dừng', en: 'that address refuses connections: a wrong port, or the service there is down' };
  if (cause === 'ENOTFOUND' || cause === 'EAI_AGAIN') return { vi: 'không tìm thấy tên máy chủ: kiểm tra chính tả địa chỉ và DNS của mạng đơn vị', en: 'the host name is not found: check the address\'s spelling and the office network\'s DNS' };
  return { vi: 'không kết nối được tới nền tảng quốc gia', en: 'the national platform cannot be reached' };
}

/** " on HOST (process PID)" of a lease holder's id, in both languages; nothing when there is none. */
function onHolder(holder: string | null): Localized {
  if (holder === null) return { vi: '', en: '' };
  const { host, pid } = holderProcess(holder);
  return { vi: ` trên máy ${host}${pid === null ? '' : ` (tiến trình ${pid})`}`, en: ` on ${host}${pid === null ? '' : ` (process ${pid})`}` };
}

/** A field title inside a sentence: "Số định danh" reads "số định danh" mid-sentence. */
function lowerFirst(title: string): string {
  return title.charAt(0).toLocaleLowerCase('vi') + title.slice(1);
}

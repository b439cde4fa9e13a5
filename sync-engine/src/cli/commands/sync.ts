import { resolve } from 'node:path';
import type { Command } from 'commander';
import { HEALTH_DISPLAY } from '../../api/health-display.js';
import { formatDuration } from '../../domain/health-reasons.js';
import type { AgentStatusView, SyncRunView } from '../../api/views.js';
import { call, withSession, type CliEnvironment, type GlobalOptions, type Session } from '../cli-session.js';
import { EXIT, exitCodeOfRun } from '../exit-codes.js';
import { dateTime, table, type Printer } from '../output.js';
import { shellWord } from '../../service/shell-word.js';

/** `sync` (one run now) and `status` (the Overview as text). */
export function registerSyncCommands(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('sync')
    .description('sync once now and print a summary')
    .action(async () => {
      done(
        await withSession(globals(), env, async (s) => {
          s.printer.note('Đang đồng bộ…', 'Syncing…');
          const answer = await call(s, 'sync.now', { trigger: 'cli' });
          const status = await call(s, 'status.get', {});
          const result = {
            started: answer.started,
            run: answer.run,
            outbox: status.outbox,
            openConflicts: status.openConflicts,
            rejected: status.rejected,
            platformFaults: status.platformFaults,
            datasets: status.datasets,
          };
          s.printer.result(result, () => syncSummary(s.printer, answer.started, answer.run, status, s.dataDir));
          if (!answer.started) return EXIT.other;
          return exitCodeOfRun(answer.run);
        }),
      );
    });

  program
    .command('status')
    .description('connection, last and next sync, outbox, conflicts and datasets')
    .action(async () => {
      done(
        await withSession(globals(), env, async (s) => {
          const status = await call(s, 'status.get', {});
          s.printer.result(status, () => statusText(s, status));
          return EXIT.ok;
        }),
      );
    });
}

export const RUN_STATUS: Record<SyncRunView['status'], [string, string]> = {
  running: ['đang chạy', 'running'],
  ok: ['thành công', 'done'],
  conflicts: ['thành công, có xung đột cần giải quyết', 'done, with conflicts to settle'],
  failed: ['không thành công', 'failed'],
};

/** A run's status in the chosen language (the history's codes; any other shown as it is). */
function runStatusText(p: Printer, status: string): string {
  const words = RUN_STATUS[status as SyncRunView['status']] as [string, string] | undefined;
  return words ? p.t(words[0], words[1]) : status;
}

/** Run failures whose cause is on this computer or its network (address, proxy, certificate, clock, key): `doctor` finds which. */
const DOCTOR_FINDS = new Set(['network', 'timeout', 'tls', 'malformed', 'clock_skew', 'bad_signature', 'unknown_agent']);

/** Connection states (health reason codes) whose cause is on this computer or its network: `status` names `doctor` beside them. */
const DOCTOR_FINDS_HEALTH = new Set(['network', 'timeout', 'tls', 'unreachable', 'unexpected_response', 'clock_skew', 'bad_signature', 'unknown_agent']);

/** The command that finds the cause of a failure on this computer or its network, for this data folder. */
function doctorHint(p: Printer, dataDir: string): string {
  const doctor = `edge-agent --home ${shellWord(resolve(dataDir))} doctor`;
  return p.t(`Để biết nguyên nhân (địa chỉ, proxy, chứng chỉ, đồng hồ, khóa của máy) và cách khắc phục: ${doctor}`, `To find the cause (address, proxy, certificate, clock, this computer's key) and the fix: ${doctor}`);
}

function syncSummary(p: Printer, started: boolean, run: SyncRunView | null, status: AgentStatusView, dataDir: string): string[] {
  if (!started) return [p.t('Dịch vụ đã dừng trước khi lần đồng bộ này bắt đầu; chưa có gì được đồng bộ.', 'The service stopped before this sync could start; nothing was synced.')];
  if (!run) return [p.t('Không có kết quả đồng bộ.', 'No sync result.')];
  const [vi, en] = RUN_STATUS[run.status];
  const lines = [
    `${p.t('Đồng bộ', 'Sync')} #${run.id}: ${p.t(vi, en)}`,
    // The Sync history's column names (history.column in vi.json / en.json).
    `  ${p.t('Gửi lên', 'Sent')}: ${run.pushed}   ${p.t('Nhận về', 'Received')}: ${run.pulled}   ${p.t('Xung đột', 'Conflicts')}: ${run.conflicts}   ${p.t('Bị từ chối', 'Rejected')}: ${run.rejected}`,
  ];
  if (run.resent) {
    lines.push(
      `  ${p.t(
        `${run.resent} thay đổi của đơn vị này mà nền tảng quốc gia đã mất (nền tảng được khôi phục từ bản sao lưu cũ hơn) đã được gửi lại.`,
        `${run.resent} change(s) of this office that the national platform lost (restored from an older backup) were sent again.`,
      )}`,
    );
  }
  if (run.swept) {
    lines.push(
      `  ${p.t(
        `${run.swept} bản ghi mà nền tảng quốc gia không còn giữ cho đơn vị này (đã bị xóa ở đó, hoặc đã ra ngoài phạm vi của đơn vị) đã được xóa khỏi máy này khi nhận lại toàn bộ dữ liệu.`,
        `${run.swept} record(s) the national platform no longer holds for this office (deleted there, or moved out of this office's scope) were removed from this computer when all the data was received again.`,
      )}`,
    );
  }
  if (run.error) lines.push(`  ${run.error.messages[p.lang]}`);
  if (run.status === 'failed' && DOCTOR_FINDS.has(run.error?.code ?? '')) lines.push(`  ${doctorHint(p, dataDir)}`);
  lines.push(...queueLines(p, status), ...datasetLines(p, status));
  if (status.openConflicts > 0) lines.push(p.t(`Xem xung đột: ${p.agent} conflicts list`, `See the conflicts: ${p.agent} conflicts list`));
  return lines;
}

function statusText(s: Session, status: AgentStatusView): string[] {
  const p = s.printer;
  const enrollment: Record<AgentStatusView['enrollment'], [string, string]> = {
    not_initialised: [`chưa cấu hình (${p.agent} init)`, `not set up (${p.agent} init)`],
    not_enrolled: [`chưa đăng ký (${p.agent} enroll)`, `not enrolled (${p.agent} enroll)`],
    pending: ['chờ phê duyệt', 'awaiting approval'],
    active: ['đang hoạt động', 'active'],
    revoked: ['đã bị thu hồi', 'revoked'],
  };
  const [ve, ee] = enrollment[status.enrollment];
  const lines = [
    `${p.t('Thư mục dữ liệu', 'Data folder')}: ${s.dataDir}${s.remote ? p.t(' (qua dịch vụ nền)', ' (through the background service)') : ''}`,
    `${p.t('Đăng ký', 'Enrollment')}: ${p.t(ve, ee)}${status.siteCode ? ` — ${status.siteCode}` : ''}`,
    `${p.t('Nền tảng', 'Platform')}: ${status.platformUrl ?? '—'}`,
    `${p.t('Kết nối', 'Connection')}: ${HEALTH_DISPLAY[status.health.state].name[p.lang]}${status.health.latencyMs !== null ? ` (${status.health.latencyMs} ms)` : ''} — ${status.health.reason[p.lang]}${observedAt(p, status.health.at)}`,
    // With a cause doctor finds, its hint names doctor: the line above it does not say it twice.
    ...(!s.remote && status.health.at !== null ? [`  ${notCheckedNow(p, s.dataDir, !DOCTOR_FINDS_HEALTH.has(status.health.code))}`] : []),
    ...(DOCTOR_FINDS_HEALTH.has(status.health.code) ? [`  ${doctorHint(p, s.dataDir)}`] : []),
    `${p.t('Lần đồng bộ gần nhất', 'Last sync')}: ${status.lastSync ? `${dateTime(status.lastSync.at)} (${runStatusText(p, status.lastSync.status)})` : '—'}${status.syncing ? p.t(' — đang đồng bộ', ' — syncing now') : ''}`,
    ...(status.lastSync && status.lastSync.at !== status.lastSuccessAt
      ? [`${p.t('Lần đồng bộ thành công gần nhất', 'Last successful sync')}: ${status.lastSuccessAt ? dateTime(status.lastSuccessAt) : p.t('chưa có', 'never')}`]
      : []),
    `${p.t('Lần đồng bộ tiếp theo', 'Next sync')}: ${status.nextSyncAt ? dateTime(status.nextSyncAt) : noNextSync(p, status.leaseHeldBy)}`,
    ...queueLines(p, status),
    ...datasetLines(p, status),
  ];
  return lines;
}

/** When the connection's state was observed: " — lúc 29/11/2026 08:44, 3 giờ trước"; nothing before the first check. */
function observedAt(p: Printer, at: string | null, now = Date.now()): string {
  if (at === null) return '';
  const ago = Math.max(0, now - Date.parse(at));
  const since = ago < 60_000 ? p.t('vừa xong', 'just now') : p.t(`${formatDuration(ago).vi} trước`, `${formatDuration(ago).en} ago`);
  return p.t(` — lúc ${dateTime(at)}, ${since}`, ` — at ${dateTime(at)}, ${since}`);
}

/**
 * Said under the connection when no service of this folder answers here: the
 * state is the last one stored, nobody checks it now (the service probes, a
 * command does not), and, unless the doctor hint follows, `doctor` checks it now.
 */
function notCheckedNow(p: Printer, dataDir: string, namingDoctor: boolean): string {
  const said = p.t(
    'Dịch vụ nền không chạy trên máy này nên kết nối không được kiểm tra lúc này: đây là lần kiểm tra gần nhất đã lưu.',
    'No background service runs here, so the connection is not being checked now: this is the last check stored.',
  );
  if (!namingDoctor) return said;
  const doctor = `edge-agent --home ${shellWord(resolve(dataDir))} doctor`;
  return `${said} ${p.t(`Kiểm tra ngay: ${doctor}`, `To check it now: ${doctor}`)}`;
}

/** Why no sync is scheduled here: another program holds the folder, or no background service runs. */
function noNextSync(p: Printer, holder: AgentStatusView['leaseHeldBy']): string {
  if (holder === null) return p.t('— (dịch vụ nền không chạy)', '— (background service not running)');
  const process = holder.pid === null ? '' : p.t(` (tiến trình ${holder.pid})`, ` (process ${holder.pid})`);
  return p.t(`— (một chương trình khác trên máy ${holder.host}${process} đang đồng bộ thư mục này)`, `— (another program on ${holder.host}${process} syncs this folder)`);
}

function queueLines(p: Printer, status: AgentStatusView): string[] {
  return [
    `${p.t('Hàng đợi gửi', 'Outbox')}: ${status.outbox.depth}${status.outbox.oldestAt ? p.t(`, cũ nhất từ ${dateTime(status.outbox.oldestAt)}`, `, oldest since ${dateTime(status.outbox.oldestAt)}`) : ''}; ${p.t('bị từ chối', 'rejected')}: ${status.rejected}; ${p.t('xung đột đang chờ', 'open conflicts')}: ${status.openConflicts}`,
    // Held back for the platform's failures, not refused: said apart, with the step that sends them again.
    ...(status.platformFaults > 0
      ? [
          p.t(
            `Bị giữ lại vì nền tảng bị lỗi: ${status.platformFaults} (không tự gửi lại; khi nền tảng hoạt động lại: edge-agent outbox retry)`,
            `Held back, the platform failed: ${status.platformFaults} (not sent again by themselves; once the platform works again: edge-agent outbox retry)`,
          ),
        ]
      : []),
  ];
}

/** A dataset's check against the national side, in the Overview's words (digest in vi.json / en.json). */
const DIGEST: Record<string, [string, string]> = {
  match: ['Khớp', 'Matches'],
  mismatch: ['Không khớp', 'Does not match'],
  pending: ['Còn thay đổi chưa xử lý xong', 'Changes not yet settled'],
  unknown: ['Chưa kiểm tra', 'Not checked'],
};

function datasetLines(p: Printer, status: AgentStatusView): string[] {
  if (status.datasets.length === 0) return [];
  const rows = status.datasets.map((d) => {
    const [vi, en] = DIGEST[d.digest] ?? [d.digest, d.digest];
    return [d.dataset, String(d.records), d.freshAt ? dateTime(d.freshAt) : '—', p.t(vi, en)];
  });
  // The columns of the Overview's "Dữ liệu trên máy" (overview.datasets).
  return [table([p.t('Bộ dữ liệu', 'Dataset'), p.t('Số bản ghi', 'Records'), p.t('Cập nhật đến', 'Up to date as of'), p.t('Đối chiếu với quốc gia', 'Check against national')], rows)];
}

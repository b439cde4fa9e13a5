import { resolve } from 'node:path';
import type { ApiError } from '../api/contract.js';
import { CaFileError } from '../adapters/network-transport.js';
import type { FieldError } from '../api/views.js';
import { DEFAULT_HEALTH_OPTIONS } from '../domain/health.js';
import { clockSkewReason, fixedReason } from '../domain/health-reasons.js';
import { skewFromDate } from '../health/probe-samples.js';
import { MissingResolutionError } from '../domain/merge.js';
import type { RecordError } from '../protocol/push.js';
import { LocalWriteRefused, ValidationFailed, type WriteRefusalCode } from '../records/write-errors.js';
import { InvalidSchedule } from '../schedule/sync-schedule.js';
import { StoreBusyError, StoreCorruptedError } from '../store/agent-store.js';
import { isPlatformError, type PlatformError } from '../sync/platform-error.js';
import { ServiceRefusal } from './service-errors.js';
import { shellWord } from './shell-word.js';
import { storeFailure, storeRefusalOf } from './store-refusal.js';

/**
 * The data folder a command ran on, for saying a failure of its file: the
 * folder, and the other live process holding its lease (null when none, or
 * not read: see folderFor).
 */
export interface DataFolder {
  dataDir: string;
  holder: string | null;
}

/**
 * Every typed engine error as the AgentApi's ApiError (STYLE.md: errors as
 * status, not exceptions thrown into the UI). Anything unknown becomes
 * `internal` with its text, never a throw into the caller.
 *
 * With `folder`, a failure of the data file after it opened is said as the
 * folder's, not as an unexpected error: a write that waited past the busy
 * timeout (SQLITE_BUSY: another process kept the write lock; the transaction
 * was rolled back, so nothing was saved) is `busy`, naming `folder.holder`
 * and saying to try again; a damaged page met at a read (SQLITE_CORRUPT) says
 * the file is damaged and how to restore a backup (`internal`).
 */
export function toApiError(error: unknown, folder?: DataFolder): ApiError {
  const stored = folder ? storeRefusalOf(folder.dataDir, error, folder.holder, 'write') : null;
  if (stored) return { code: stored.code, messages: stored.messages };
  if (error instanceof ServiceRefusal) {
    return { code: error.code, messages: error.messages, ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}) };
  }
  if (error instanceof ValidationFailed) {
    return { code: 'validation_failed', messages: error.messages, fieldErrors: error.errors.map(toFieldError) };
  }
  if (error instanceof LocalWriteRefused) return { code: WRITE_CODES[error.code], messages: error.messages };
  if (error instanceof MissingResolutionError) {
    return {
      code: 'validation_failed',
      messages: { vi: error.vi, en: error.message },
      fieldErrors: error.fields.map((field) => ({
        path: `/${field}`,
        code: 'required',
        messages: { vi: `Cần chọn giá trị cho trường "${field}".`, en: `Choose a value for "${field}".` },
      })),
    };
  }
  if (error instanceof InvalidSchedule) {
    return { code: 'validation_failed', messages: error.messages, fieldErrors: [{ path: '/schedule', code: 'cron', messages: error.messages }] };
  }
  if (isPlatformError(error)) return platformApiError(error);
  if (error instanceof CaFileError) return { code: 'invalid_input', messages: caFileMessages(error, folder ? shellWord(resolve(folder.dataDir)) : null) };
  if (error instanceof StoreCorruptedError) return { code: 'internal', messages: error.messages };
  if (error instanceof StoreBusyError) return { code: 'busy', messages: error.messages };
  const text = String((error as Error)?.message ?? error);
  return {
    code: 'internal',
    messages: {
      vi: `Tác tử gặp lỗi không lường trước: ${text}. Hãy thử lại; nếu lỗi lặp lại, hãy báo cho bộ phận CNTT.`,
      en: `The agent hit an unexpected error: ${text}. Try again; if it repeats, tell local IT.`,
    },
  };
}

/**
 * The folder of `dataDir` for toApiError(error, folder): its lease's other
 * live holder is read only when the data file was busy (a read of the lease
 * row, which a held write lock does not stop; null if it fails).
 */
export async function folderFor(error: unknown, dataDir: string, otherHolder: () => Promise<string | null>): Promise<DataFolder> {
  const busy = storeFailure(dataDir, error) instanceof StoreBusyError;
  return { dataDir, holder: busy ? await otherHolder().catch(() => null) : null };
}

const WRITE_CODES: Record<WriteRefusalCode, ApiError['code']> = {
  unknown_dataset: 'not_found',
  read_only: 'read_only',
  not_enrolled: 'not_enrolled',
  not_found: 'not_found',
  conflict_open: 'conflict_unresolved',
  left_scope: 'out_of_scope',
  not_on_platform: 'not_found',
  conflict_settled: 'not_found',
  conflict_changed: 'conflict_unresolved',
  in_flight: 'busy',
  not_held: 'invalid_input',
  pending_after: 'busy',
  invalid_id: 'invalid_input',
  invalid: 'validation_failed',
};

/** A RecordError as the AgentApi's FieldError: its texts (the English `message` for both when it has none), and the dates they name as values. */
export function toFieldError(error: RecordError): FieldError {
  const dated = error.template && error.params ? { template: error.template, params: error.params } : {};
  return { path: error.path, code: error.code, messages: error.messages ?? { vi: error.message, en: error.message }, ...dated };
}

const TOKEN_MESSAGES: Record<string, { vi: string; en: string }> = {
  token_invalid: {
    vi: 'Mã đăng ký không đúng. Hãy kiểm tra lại hoặc xin mã mới từ người quản trị nền tảng quốc gia.',
    en: 'The enrollment token is not valid. Check it, or ask the national platform operator for a new one.',
  },
  token_expired: {
    vi: 'Mã đăng ký đã hết hạn hoặc đã bị thu hồi. Hãy xin mã mới từ người quản trị nền tảng quốc gia.',
    en: 'The enrollment token has expired or was revoked. Ask the national platform operator for a new one.',
  },
  token_used: {
    vi: 'Mã đăng ký đã được dùng. Mỗi mã chỉ dùng một lần; hãy xin mã mới.',
    en: 'The enrollment token has already been used. Each token works once; ask for a new one.',
  },
  token_wrong_site: {
    vi: 'Mã đăng ký được cấp cho đơn vị khác. Hãy kiểm tra mã đơn vị hoặc xin mã đúng cho đơn vị này.',
    en: 'The enrollment token was issued for another site. Check the site code, or ask for a token for this site.',
  },
};

const AUTH = new Set(['agent_revoked', 'agent_pending', 'unknown_agent', 'bad_signature']);
const UNREACHABLE = new Set(['network', 'timeout', 'tls']);

/**
 * A CA file of the settings, since replaced, moved or deleted (every call to the platform needs it): what is wrong
 * with it and how to set it again, in the data folder `home` (one shell word) when known, as other hints say it.
 */
export function caFileMessages(error: CaFileError, home: string | null): { vi: string; en: string } {
  const agent = home === null ? 'edge-agent' : `edge-agent --home ${home}`;
  return {
    vi: `${error.messages.vi} Tệp này nằm trong cấu hình mạng (caFiles) của tác tử: đặt lại bằng "${agent} network set --ca-file <tệp.pem>" (hoặc --clear-ca để bỏ).`,
    en: `${error.messages.en} The file is in the agent's network settings (caFiles): set it again with "${agent} network set --ca-file <file.pem>" (or --clear-ca to remove it).`,
  };
}

/**
 * A platform failure in plain words: the health sentences for the connection and identity, token words for enrollment.
 * `at`: this computer's clock when the platform answered (a stored run's time; else the time the client read when
 * the answer came, `receivedAt`), which with the platform's `Date` says how far off a refused clock is (clock_skew);
 * without either the refusal says only that it is more than the platform accepts.
 */
export function platformApiError(error: PlatformError, at?: number): ApiError {
  const code = error.code;
  if (code !== undefined && TOKEN_MESSAGES[code]) return { code: 'unauthorized', messages: TOKEN_MESSAGES[code] };
  if (code !== undefined && AUTH.has(code)) return { code: 'unauthorized', messages: pick(fixedReason(code as 'agent_revoked')) };
  if (code === 'clock_skew') {
    const when = at ?? error.receivedAt;
    const skewMs = when === undefined ? null : skewFromDate(error.serverDate, when);
    return { code: 'unauthorized', messages: pick(clockSkewReason(skewMs, DEFAULT_HEALTH_OPTIONS.skewLimitMs)) };
  }
  if (UNREACHABLE.has(error.kind)) return { code: 'unreachable', messages: pick(fixedReason(error.kind as 'network')) };
  if (error.status === 503 || error.status === 429 || (error.status ?? 0) >= 500) {
    const reason = error.status === 429 ? 'rate_limited' : code === 'maintenance' ? 'maintenance' : 'server_error';
    return { code: 'unreachable', messages: pick(fixedReason(reason)) };
  }
  const detail = `${error.status ?? ''} ${code ?? ''} ${error.message}`.trim();
  return {
    code: error.status === 400 ? 'invalid_input' : 'internal',
    messages: {
      vi: `Nền tảng quốc gia từ chối yêu cầu (${detail}). Hãy báo cho bộ phận CNTT.`,
      en: `The national platform refused the request (${detail}). Tell local IT.`,
    },
  };
}

function pick(reason: { vi: string; en: string }): { vi: string; en: string } {
  return { vi: reason.vi, en: reason.en };
}

import type { Localized, SyncRunView } from '../api/views.js';
import { syncRunViewSchema } from '../api/views.js';
import type { Sql } from '../store/sql.js';
import { errorCodeOf } from '../health/probe-samples.js';
import { PlatformError, type PlatformErrorInfo } from '../sync/platform-error.js';
import type { SyncRunError, SyncSummary } from '../sync/sync-events.js';
import { CaFileError } from '../adapters/network-transport.js';
import { caFileMessages, platformApiError } from './api-errors.js';
import { HOLD_AFTER_PLATFORM_FAULTS } from '../sync/platform-fault.js';
import { PLATFORM_FAULT_CODE } from '../outbox/outbox-entries.js';

export interface SyncRunRow {
  n: number;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  status: 'running' | 'ok' | 'partial' | 'failed';
  pushed: number;
  pulled: number;
  conflicts: number;
  rejected: number;
  /** From the summary's JSON (SyncSummary.resent); 0 for runs stored before it was counted. */
  resent: number;
  /** From the summary's JSON (SyncSummary.swept); 0 for runs stored before it was counted. */
  swept: number;
  error: string | null;
}

const SUMMARY_COUNTS = `COALESCE(json_extract("summary", '$.resent'), 0) AS "resent", COALESCE(json_extract("summary", '$.swept'), 0) AS "swept"`;

/** The columns of a history row (SyncRunRow), from "sync_runs". */
export const RUN_COLUMNS = `rowid AS n, "trigger", "started_at", "finished_at", "status", "pushed", "pulled", "conflicts", "rejected", "error", ${SUMMARY_COUNTS}`;

const TRIGGERS = new Set<string>(syncRunViewSchema.shape.trigger.options);

export async function syncRunById(db: Sql, runId: string, home: string): Promise<SyncRunView | null> {
  const row = await db.get<SyncRunRow>(
    `SELECT ${RUN_COLUMNS} FROM "sync_runs" WHERE "id" = ?`,
    [runId],
  );
  return row ? toSyncRunView(row, home) : null;
}

export async function runNumber(db: Sql, runId: string): Promise<number> {
  return (await db.get<{ n: number }>('SELECT rowid AS n FROM "sync_runs" WHERE "id" = ?', [runId]))?.n ?? 0;
}

/**
 * A sync history row as the AgentApi shows it. A run's number is the row's
 * SQLite rowid (the table's key is a UUID; people and the contract want a
 * small integer). Statuses: a run that opened conflicts is 'conflicts' (done,
 * a person has work); 'partial' (a dataset was refused) shows as 'failed' with
 * the refusal as its error. `home`: the data folder as one shell word, for
 * the commands an error's sentence gives. Pages of them: sync-run-pages.ts.
 */
export function toSyncRunView(row: SyncRunRow, home: string): SyncRunView {
  const error = row.error ? describeRunError(JSON.parse(row.error) as SyncRunError, Date.parse(row.finished_at ?? row.started_at), home) : null;
  const status: SyncRunView['status'] =
    row.status === 'ok' ? (row.conflicts > 0 ? 'conflicts' : 'ok') : row.status === 'partial' ? 'failed' : row.status;
  return {
    id: row.n,
    trigger: (TRIGGERS.has(row.trigger) ? row.trigger : 'manual') as SyncRunView['trigger'],
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status,
    pushed: row.pushed,
    pulled: row.pulled,
    conflicts: row.conflicts,
    rejected: row.rejected,
    ...(row.resent > 0 ? { resent: row.resent } : {}),
    ...(row.swept > 0 ? { swept: row.swept } : {}),
    error,
  };
}

/**
 * Why a run stopped: the health code (network, agent_revoked, ...) and a sentence for a person.
 * `at`: when it stopped by this computer's clock (how far off a refused clock was).
 * `home`: the data folder as one shell word, for the command a CA file's sentence gives (none: plain `edge-agent`).
 */
export function describeRunError(entry: SyncRunError, at?: number, home: string | null = null): { code: string; messages: Localized } {
  const info = entry.error;
  if (entry.setAside) return setAsideError(entry.dataset ?? '?', entry.setAside);
  if (info.kind === 'ca_file') return { code: 'ca_file', messages: caFileMessages(new CaFileError(info.file, info.cause), home) };
  if (info.kind === 'internal') {
    return {
      code: 'internal',
      messages: {
        vi: `Lần đồng bộ dừng vì lỗi trong tác tử: ${info.message}. Máy sẽ tự thử lại.`,
        en: `The sync stopped on an error inside the agent: ${info.message}. It will retry by itself.`,
      },
    };
  }
  const platformInfo = info as PlatformErrorInfo;
  const error = new PlatformError(platformInfo);
  const where = entry.dataset ? { vi: ` (bộ dữ liệu ${entry.dataset})`, en: ` (dataset ${entry.dataset})` } : { vi: '', en: '' };
  const messages = platformApiError(error, at).messages;
  return {
    code: errorCodeOf(platformInfo.kind, platformInfo.status ?? null, platformInfo.code),
    messages: { vi: messages.vi + where.vi, en: messages.en + where.en },
  };
}

/**
 * A change the platform answered 500 alone (push-phase.ts): the run went on
 * and the rest went up, so not "the platform cannot be reached"; the change
 * goes again at the next sync and is held back for a person after
 * HOLD_AFTER_PLATFORM_FAULTS runs in a row (or superseded by a newer edit
 * already queued), which the run that did it says, not counting it rejected.
 */
function setAsideError(dataset: string, { recordId, faults, outcome }: NonNullable<SyncRunError['setAside']>): { code: string; messages: Localized } {
  const times = faults === null ? { vi: '', en: '' } : { vi: ` (lần ${faults}/${HOLD_AFTER_PLATFORM_FAULTS})`, en: ` (${faults} of ${HOLD_AFTER_PLATFORM_FAULTS})` };
  const then =
    outcome === 'held'
      ? {
          vi: `Thay đổi này được giữ lại trong Hàng đợi gửi và không tự gửi lại nữa: khi nền tảng hoạt động lại, hãy gửi lại thay đổi từ Hàng đợi gửi, hoặc báo cho đơn vị vận hành nền tảng.`,
          en: `That change is held back in the Outbox and is not sent again by itself: once the platform works again, retry it from the Outbox, or tell the platform's operators.`,
        }
      : outcome === 'superseded'
        ? {
            vi: `Thay đổi này được bỏ qua vì bản ghi đã có một thay đổi mới hơn đang chờ gửi; thay đổi mới hơn được gửi ở lần đồng bộ sau.`,
            en: `That change is dropped: a newer change of the record waits to be sent and goes at the next sync.`,
          }
        : {
            vi: `Thay đổi này được gửi lại ở lần đồng bộ sau; nếu nền tảng lỗi ${HOLD_AFTER_PLATFORM_FAULTS} lần liên tiếp, thay đổi được giữ lại trong Hàng đợi gửi để người dùng xem.`,
            en: `That change is sent again at the next sync; if the platform fails on it ${HOLD_AFTER_PLATFORM_FAULTS} times in a row, it is held back in the Outbox for a person to see.`,
          };
  return {
    code: PLATFORM_FAULT_CODE,
    messages: {
      vi: `Nền tảng quốc gia bị lỗi (HTTP 500) khi nhận thay đổi của bản ghi ${recordId} (bộ dữ liệu ${dataset})${times.vi}; các thay đổi khác vẫn được gửi. ${then.vi}`,
      en: `The national platform failed (HTTP 500) on the change of record ${recordId} (dataset ${dataset})${times.en}; the other changes were sent. ${then.en}`,
    },
  };
}

/**
 * Retrying by itself helps: no answer, the platform's trouble, or an answer it
 * could not read. Judged on every error of the run, not the first: datasets are
 * pulled several at a time, so a 403 on one may be recorded before the 503 or
 * the lost connection that stopped the run.
 */
export function isRetryableRun(summary: SyncSummary): boolean {
  if (summary.status !== 'failed') return false;
  if (summary.errors.length === 0) return true;
  return summary.errors.some((e) => isRetryableError(e.error));
}

function isRetryableError(info: SyncRunError['error']): boolean {
  if (info.kind === 'internal') return true;
  if (info.kind === 'ca_file') return false;
  const platformInfo = info as PlatformErrorInfo;
  if (platformInfo.kind !== 'http') return true;
  const status = platformInfo.status ?? 0;
  return status >= 500 || status === 429;
}

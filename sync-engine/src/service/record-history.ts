import type { CurrentVersionView, FieldChange, RecordEventKind, RecordEventView, RecordHistoryView } from '../api/record-history.js';
import type { AuditEvent, AuditLog } from '../audit/audit-log.js';
import type { UpdatedBy } from '../protocol/records.js';
import { getRecord } from '../records/record-row.js';
import type { Sql } from '../store/sql.js';

/**
 * One record's audit events, newest first, a page at a time (records.history).
 * Read on ix_audit_log_record (dataset, record_id; the rowid seq after them):
 * one index range from the newest down, never the whole log sorted.
 */
export async function recordHistory(
  db: Sql,
  audit: AuditLog,
  query: { dataset: string; id: string; limit: number; before?: number | undefined },
  thisSite: string | null = null,
): Promise<RecordHistoryView> {
  const events = await audit.list(db, {
    dataset: query.dataset,
    recordId: query.id,
    limit: query.limit + 1,
    ...(query.before !== undefined ? { beforeSeq: query.before } : {}),
  });
  const page = events.slice(0, query.limit);
  const held = query.before === undefined ? await getRecord(db, query.dataset, query.id) : null;
  const current = held?.updatedBy ? { current: currentVersion(held.updatedAt, held.updatedBy, thisSite) } : {};
  return { ...current, items: page.map(toRecordEventView), next: events.length > query.limit ? (page.at(-1)?.seq ?? null) : null };
}

/**
 * Whose the version held is: the national platform, this office (site code thisSite, or none: written
 * here before this computer was enrolled) or another office.
 */
export function currentVersion(at: string, by: UpdatedBy | { user?: string }, thisSite: string | null): CurrentVersionView {
  if ('national' in by) return { at, by: { kind: 'national' } };
  const user = by.user !== undefined ? { user: by.user } : {};
  if (!('siteCode' in by) || by.siteCode === thisSite) return { at, by: { kind: 'this-office', ...user } };
  return { at, by: { kind: 'other-office', siteCode: by.siteCode, ...user } };
}

/** An audit event in plain terms (api/record-history.ts says what each kind means). */
export function toRecordEventView(event: AuditEvent): RecordEventView {
  const d = event.details;
  const base = { seq: event.seq, at: event.at, actor: event.actor, action: event.action };
  const leftScope = d['leftScope'] === true ? { leftScope: true as const } : {};
  const view = (kind: RecordEventKind, more: Partial<RecordEventView> = {}): RecordEventView => ({ ...base, kind, ...more, ...leftScope });
  switch (event.action) {
    case 'local.put': {
      const kind = d['op'] === 'create' ? 'created' : d['op'] === 'undelete' ? 'undeleted' : 'edited';
      return view(kind, { changes: changesOf(d['changes']), ...importedOf(d['import']) });
    }
    case 'local.delete':
      return view('deleted');
    case 'sync.applied':
      return view('accepted', opOf(d['op']));
    case 'sync.resent':
      return view('resent', opOf(d['op']));
    case 'sync.rejected': {
      const outcome = d['possibleDuplicate'] === true ? 'possible-duplicate' : d['superseded'] === true ? 'superseded' : 'held';
      return view('rejected', { outcome, errors: errorsOf(d['errors']) });
    }
    case 'merge.auto': {
      const decision = d['decision'];
      const kind = decision === 'keep-local' || decision === 'merged' ? 'merged' : 'national-taken';
      const fields = fieldNames(d['resolutions'], (r) => (r as { field?: unknown }).field);
      return view(kind, fields.length > 0 ? { fields } : {});
    }
    case 'conflict.opened': {
      const reason = conflictReason(d['reason']);
      const fields = fieldNames(d['fields'], (f) => f);
      return view('conflict-opened', {
        ...(reason ? { reason } : {}),
        ...(fields.length > 0 ? { fields } : {}),
        ...(d['refreshed'] === true ? { refreshed: true as const } : {}),
        ...(d['restored'] ? { restored: true as const } : {}),
      });
    }
    case 'conflict.resolved': {
      const settled = settledOf(d['resolution']);
      return view('conflict-settled', settled ? { settled } : {});
    }
    case 'outbox.retry':
      return view('retried');
    case 'outbox.discard':
      return view('discarded');
    default:
      return view('other');
  }
}

function changesOf(value: unknown): FieldChange[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null && typeof (c as { field?: unknown }).field === 'string')
    .map((c) => ({
      field: c['field'] as string,
      ...(Object.hasOwn(c, 'before') ? { before: c['before'] } : {}),
      ...(Object.hasOwn(c, 'after') ? { after: c['after'] } : {}),
    }));
}

function opOf(op: unknown): Pick<RecordEventView, 'op'> {
  return op === 'delete' ? { op: 'delete' } : op === 'upsert' || op === 'create' ? { op: 'upsert' } : {};
}

function errorsOf(value: unknown): NonNullable<RecordEventView['errors']> {
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => {
      const messages = e['messages'] as { vi?: unknown; en?: unknown } | undefined;
      const localized = messages && typeof messages.vi === 'string' && typeof messages.en === 'string' ? { messages: { vi: messages.vi, en: messages.en } } : {};
      return { path: typeof e['path'] === 'string' ? e['path'] : '', code: typeof e['code'] === 'string' ? e['code'] : '', ...localized };
    });
}

function fieldNames(value: unknown, name: (item: unknown) => unknown): string[] {
  return Array.isArray(value) ? value.map(name).filter((f): f is string => typeof f === 'string' && f !== '') : [];
}

function conflictReason(value: unknown): RecordEventView['reason'] {
  return value === 'fields' || value === 'delete-vs-edit' || value === 'create-collision' || value === 'possible-duplicate' ? value : undefined;
}

/** conflicts.ts ConflictResolution's kind, in the view's words. */
function settledOf(resolution: unknown): RecordEventView['settled'] {
  const kind = (resolution as { kind?: unknown } | null)?.kind;
  switch (kind) {
    case 'take-remote':
      return 'national';
    case 'keep-local':
      return 'local';
    case 'fields':
      return 'fields';
    case 'edit':
      return 'edited';
    case 'discard-local':
      return 'dropped';
    default:
      return undefined;
  }
}

/** Where an imported record came from (records.import's audit details): its file and line. */
function importedOf(value: unknown): Pick<RecordEventView, 'imported'> {
  const from = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  if (!from || typeof from['line'] !== 'number') return {};
  return { imported: { file: typeof from['file'] === 'string' ? from['file'] : null, line: from['line'] } };
}

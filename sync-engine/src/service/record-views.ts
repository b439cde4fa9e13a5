import type { DatasetView, OutboxEntryView, RecordView as RecordViewApi } from '../api/views.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { RecordError } from '../protocol/push.js';
import type { SiteScope } from '../protocol/records.js';
import type { OutboxEntry } from '../outbox/outbox-entries.js';
import { entryFromDb, entryHeadsOfRecords, notOnPlatformMarks, outboxRecordKey, saysPlatformFault, type DbOutboxRow } from '../outbox/outbox-entries.js';
import { leftScopeMarks } from '../records/left-scope.js';
import { idsIn, recordMarks } from '../records/record-marks.js';
import type { RecordView } from '../records/record-row.js';
import type { AgentStore } from '../store/agent-store.js';
import type { Sql } from '../store/sql.js';
import { toFieldError } from './api-errors.js';
import { recordTitle } from './conflict-view.js';

/** Records, outbox entries and datasets as the AgentApi shows them (api/views.ts). */

/**
 * `leftScope`: the record left this office's scope meanwhile (records/left-scope.ts).
 * `notOnPlatform`: the platform answered a held-back change of it that it does not hold it (notOnPlatformMarks).
 * `platformFault` (only when true): its change is held back because the platform kept failing on it, not refused (its reasons say so).
 */
export function toRecordViewApi(record: RecordView, marks: { leftScope: boolean; notOnPlatform: boolean }, errors?: readonly RecordError[] | null): RecordViewApi {
  return {
    dataset: record.dataset,
    id: record.id,
    rev: record.rev,
    deleted: record.deleted,
    state: record.state,
    data: record.data,
    updatedAt: record.updatedAt,
    ...(errors && errors.length > 0 ? { errors: errors.map(toFieldError) } : {}),
    ...(record.state === 'rejected' && saysPlatformFault(errors) ? { platformFault: true } : {}),
    leftScope: marks.leftScope,
    notOnPlatform: marks.notOnPlatform,
  };
}

/** Why the platform refused each of these records (their quarantined outbox entries), by record id. */
export async function rejectionErrors(db: Sql, dataset: string, ids: readonly string[]): Promise<Map<string, RecordError[]>> {
  const out = new Map<string, RecordError[]>();
  if (ids.length === 0) return out;
  const rows = await db.all<DbOutboxRow>(
    `SELECT * FROM "outbox" WHERE "status" = 'quarantined' AND "dataset" = ? AND "record_id" IN (${ids.map(() => '?').join(', ')}) ORDER BY "seq"`,
    [dataset, ...ids],
  );
  for (const row of rows) {
    const entry = entryFromDb(row);
    if (entry.errors) out.set(entry.recordId, entry.errors);
  }
  return out;
}

/**
 * The records in state `rejected`, told apart as a RecordView tells them (`platformFault`): refused by the
 * platform, or held back because the platform kept failing on their change (their last held-back entry's
 * reasons say so). Reads the held-back entries only, a handful, not the cache.
 */
export async function rejectedCounts(db: Sql): Promise<{ refused: number; platformFaults: number }> {
  const rows = await db.all<DbOutboxRow>(
    `SELECT o.* FROM "outbox" o JOIN "records" r ON r."dataset" = o."dataset" AND r."id" = o."record_id"
     WHERE o."status" = 'quarantined' AND r."state" = 'rejected' ORDER BY o."seq"`,
  );
  const last = new Map<string, RecordError[] | null>();
  for (const row of rows) {
    const entry = entryFromDb(row);
    if (entry.errors) last.set(`${entry.dataset}/${entry.recordId}`, entry.errors);
  }
  const platformFaults = [...last.values()].filter((errors) => saysPlatformFault(errors)).length;
  // `<> 'synced'` lets SQLite count in the partial index of pending records, not scan the cache.
  const all = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "records" WHERE "state" = 'rejected' AND "state" <> 'synced'`))?.n ?? 0;
  return { refused: all - platformFaults, platformFaults };
}

/**
 * Records as the API shows them: their rejection reasons attached where they
 * were rejected, whether each left this office's scope, and whether the
 * platform answered it no longer holds it (one lookup each for the whole
 * page, not one per record).
 */
export async function recordViewsWithErrors(db: Sql, records: readonly RecordView[]): Promise<RecordViewApi[]> {
  const byDataset = new Map<string, string[]>();
  for (const r of records) if (r.state === 'rejected') byDataset.set(r.dataset, [...(byDataset.get(r.dataset) ?? []), r.id]);
  const errors = new Map<string, RecordError[]>();
  for (const [dataset, ids] of byDataset) for (const [id, e] of await rejectionErrors(db, dataset, ids)) errors.set(`${dataset}/${id}`, e);
  const keys = records.map((r) => ({ dataset: r.dataset, recordId: r.id }));
  const leftScope = await leftScopeMarks(db, keys);
  const notOnPlatform = await notOnPlatformMarks(db, keys);
  return records.map((r) =>
    toRecordViewApi(r, { leftScope: leftScope(r.dataset, r.id), notOnPlatform: notOnPlatform(r.dataset, r.id) }, errors.get(`${r.dataset}/${r.id}`)),
  );
}

/**
 * `leftScope`: the record left this office's scope meanwhile (records/left-scope.ts).
 * `nationalVersion`: the platform holds a live version of the record (see `nationalVersionMarks`).
 * `notOnPlatform`: the platform answered a held-back change of the record, this one or
 * another, that it does not hold the record (notOnPlatformMarks): judged per record, as
 * outbox.retry and outbox.discard judge it.
 * `othersHeld`: the record's held-back changes other than this one (discarded with it).
 */
export function toOutboxEntryView(
  entry: OutboxEntry,
  descriptor: DatasetDescriptor | null,
  marks: { leftScope: boolean; nationalVersion: boolean; notOnPlatform: boolean; othersHeld: number },
): OutboxEntryView {
  const { notOnPlatform } = marks;
  return {
    seq: entry.seq,
    mutationId: entry.mutationId,
    dataset: entry.dataset,
    recordId: entry.recordId,
    op: entry.op,
    status: entry.status,
    attempts: entry.attempts,
    createdAt: entry.createdAt,
    errors: (entry.errors ?? []).map(toFieldError),
    title: recordTitle(descriptor, entry.data),
    leftScope: marks.leftScope,
    // The platform answered it does not hold the record: there is no national version to go back to.
    nationalVersion: marks.nationalVersion && !notOnPlatform,
    notOnPlatform,
    othersHeld: marks.othersHeld,
  };
}

/**
 * Outbox entries as the API shows them, with their records' marks: one lookup
 * each for the whole page, not one per entry. Each mark is the record's, so
 * every entry of one record says the same (as outbox.retry and outbox.discard
 * judge the record, whichever of its entries is named).
 */
export async function outboxEntryViews(db: Sql, entries: readonly OutboxEntry[], catalog: ReadonlyMap<string, DatasetDescriptor>): Promise<OutboxEntryView[]> {
  const leftScope = await leftScopeMarks(db, entries);
  const nationalVersion = await nationalVersionMarks(db, entries);
  const notOnPlatform = await notOnPlatformMarks(db, entries);
  // Every held-back entry of the page's records, on whatever page of the list it sits: outbox.discard drops them all.
  const held = new Map<string, number>();
  for (const h of await entryHeadsOfRecords(db, entries)) {
    if (h.status === 'quarantined') held.set(outboxRecordKey(h.dataset, h.recordId), (held.get(outboxRecordKey(h.dataset, h.recordId)) ?? 0) + 1);
  }
  return entries.map((e) =>
    toOutboxEntryView(e, catalog.get(e.dataset) ?? null, {
      leftScope: leftScope(e.dataset, e.recordId),
      nationalVersion: nationalVersion(e.dataset, e.recordId),
      notOnPlatform: notOnPlatform(e.dataset, e.recordId),
      othersHeld: (held.get(outboxRecordKey(e.dataset, e.recordId)) ?? 0) - (e.status === 'quarantined' ? 1 : 0),
    }),
  );
}

/**
 * Which of these records the platform holds a live version of, as this
 * computer last received it (a rev, not deleted there): the version a
 * discarded change goes back to. Not so for a record this office created that
 * the platform has not accepted, nor for one it holds deleted.
 */
export function nationalVersionMarks(db: Sql, records: readonly { dataset: string; recordId: string }[]): Promise<(dataset: string, recordId: string) => boolean> {
  return recordMarks(db, records, (part) => `SELECT "id" FROM "records" WHERE "dataset" = ? AND "rev" IS NOT NULL AND "base_deleted" = 0 AND ${idsIn(part)}`);
}

/** `scope`: the office's, from its enrollment (null before one). */
export function toDatasetView(descriptor: DatasetDescriptor, records: number, scope: SiteScope | null): DatasetView {
  return {
    name: descriptor.name,
    title: descriptor.title,
    access: descriptor.access,
    scope: descriptor.scope,
    schema: descriptor.schema,
    display: descriptor.display,
    uniqueFields: descriptor.uniqueFields,
    officeValues: officeValues(descriptor, scope),
    records,
  };
}

/**
 * What every record this office may write in a province-scoped dataset holds, whatever the
 * record (records/site-scope.ts refuses any other): its province, and its commune when the
 * scope is one commune. Never a person's data.
 */
function officeValues(descriptor: DatasetDescriptor, scope: SiteScope | null): Record<string, string> {
  const values: Record<string, string> = {};
  if (!scope || descriptor.scope !== 'province' || descriptor.access !== 'read-write') return values;
  if (descriptor.scopeField) values[descriptor.scopeField] = scope.provinceCode;
  const communes = scope.communeCodes ?? [];
  if (descriptor.communeField && communes.length === 1) values[descriptor.communeField] = communes[0]!;
  return values;
}

/** Live records per dataset in the local cache, kept until the next write (CountCache): the Overview and the dataset list read them at every refresh. */
export async function liveCounts(store: Pick<AgentStore, 'sql' | 'counts'>): Promise<Map<string, number>> {
  const rows = await store.counts.get(LIVE_COUNTS, () =>
    store.sql.all<{ dataset: string; n: number }>(`SELECT "dataset", COUNT(*) AS n FROM "records" WHERE "deleted" = 0 GROUP BY "dataset"`),
  );
  return new Map(rows.map((r) => [r.dataset, r.n]));
}

const LIVE_COUNTS = 'live records per dataset';

import type { Sql } from '../store/sql.js';
import { chunk } from '../store/sql.js';
import { deleteRecords } from './record-row.js';
import { idsIn, recordMarks } from './record-marks.js';

/**
 * Records that left this office's scope while a local change of them was
 * pending (SYNC-PROTOCOL.md, Pull: `{ id, removed: true }`, sent once).
 *
 * A `removed` drops a synced record from the cache at once. A record with a
 * pending change is kept instead, so the change is never lost unseen: it goes
 * to the platform (which refuses it: scope) or stays in its conflict, and a
 * person settles it. It is marked here, and once nothing of it is pending any
 * more (the person took the national version or discarded the change, or the
 * change turned out applied) `dropLeftScope` takes it out of the cache, as the
 * `removed` would have: the platform sends nothing more about it, so without
 * the mark only a digest mismatch and a whole resync of the dataset would.
 * A resync's snapshot that lacks such a record marks it too
 * (`markMissingFromSnapshot`).
 *
 * A platform version of the record arriving later (it came back into scope)
 * clears the mark. A mark lives only as long as its record (store migration
 * 0004: ON DELETE CASCADE).
 */
export async function markLeftScope(tx: Sql, dataset: string, ids: readonly string[], now: string): Promise<void> {
  for (const part of chunk(ids, 500)) {
    await tx.run(
      `INSERT INTO "left_scope" ("dataset", "id", "removed_at") VALUES ${part.map(() => '(?, ?, ?)').join(', ')}
       ON CONFLICT ("dataset", "id") DO UPDATE SET "removed_at" = excluded."removed_at"`,
      part.flatMap((id) => [dataset, id, now]),
    );
  }
}

/**
 * The end of a resync's snapshot (pull from the beginning): a record with a
 * pending change that the snapshot did not hold (stamped with an older pull
 * generation) is kept for its change, as after a `removed`, and marked the same
 * way, since the snapshot holds every record in this office's scope. A record
 * the platform never had (a local create, rev null) is not missing from it.
 * Returns the ids marked.
 */
export async function markMissingFromSnapshot(tx: Sql, dataset: string, generation: number, now: string): Promise<string[]> {
  const rows = await tx.all<{ id: string }>(
    `SELECT "id" FROM "records" WHERE "dataset" = ? AND "pull_gen" < ? AND "state" <> 'synced' AND "rev" IS NOT NULL`,
    [dataset, generation],
  );
  const ids = rows.map((r) => r.id);
  await markLeftScope(tx, dataset, ids, now);
  return ids;
}

/** The platform sent a version of these records again: they are in this office's scope. */
export async function clearLeftScope(tx: Sql, dataset: string, ids: readonly string[]): Promise<void> {
  for (const part of chunk(ids, 500)) {
    await tx.run(`DELETE FROM "left_scope" WHERE "dataset" = ? AND "id" IN (${part.map(() => '?').join(', ')})`, [dataset, ...part]);
  }
}

/**
 * Drops from the cache those of `ids` that left the scope and have nothing
 * pending any more (state 'synced'); returns their ids, for the caller's audit
 * event. Call it at the end of whatever settled their pending change.
 */
export async function dropLeftScope(tx: Sql, dataset: string, ids: readonly string[]): Promise<string[]> {
  const gone: string[] = [];
  for (const part of chunk([...new Set(ids)], 500)) {
    const rows = await tx.all<{ id: string }>(
      `SELECT l."id" FROM "left_scope" l JOIN "records" r ON r."dataset" = l."dataset" AND r."id" = l."id"
       WHERE l."dataset" = ? AND l."id" IN (${part.map(() => '?').join(', ')}) AND r."state" = 'synced'`,
      [dataset, ...part],
    );
    gone.push(...rows.map((r) => r.id));
  }
  await deleteRecords(tx, dataset, gone);
  return gone;
}

/**
 * Which of these records are marked, for the conflict and outbox views: the
 * person is told before choosing that settling the change takes the record
 * out of this computer's cache.
 */
export function leftScopeMarks(db: Sql, records: readonly { dataset: string; recordId: string }[]): Promise<(dataset: string, recordId: string) => boolean> {
  return recordMarks(db, records, (part) => `SELECT "id" FROM "left_scope" WHERE "dataset" = ? AND ${idsIn(part)}`);
}

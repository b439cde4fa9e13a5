import type { Sql } from '../store/sql.js';

/**
 * Per-dataset pull position. `generation` counts resyncs: every record a pull
 * writes is stamped with it, so after a resync's full snapshot the records not
 * seen (stamped with an older generation) can be swept. `resyncing` survives a
 * crash mid-resync: the next run finishes the snapshot and still sweeps.
 * `restoredHeadAt`: the resync was begun because the platform was restored from
 * an older backup, whose newest change was at that time (lost-changes.ts).
 */
export interface CursorState {
  dataset: string;
  cursor: string | null;
  generation: number;
  resyncing: boolean;
  updatedAt: string | null;
  caughtUpAt: string | null;
  restoredHeadAt: string | null;
}

export async function cursorState(db: Sql, dataset: string): Promise<CursorState> {
  const row = await db.get<{
    cursor: string | null;
    generation: number;
    resyncing: number;
    updated_at: string;
    caught_up_at: string | null;
    restored_head_at: string | null;
  }>(
    'SELECT * FROM "cursors" WHERE "dataset" = ?',
    [dataset],
  );
  return {
    dataset,
    cursor: row?.cursor ?? null,
    generation: row?.generation ?? 0,
    resyncing: row?.resyncing === 1,
    updatedAt: row?.updated_at ?? null,
    caughtUpAt: row?.caught_up_at ?? null,
    restoredHeadAt: row?.resyncing === 1 ? (row.restored_head_at ?? null) : null,
  };
}

export async function allCursorStates(db: Sql): Promise<CursorState[]> {
  const rows = await db.all<{ dataset: string }>('SELECT "dataset" FROM "cursors" ORDER BY "dataset"');
  return Promise.all(rows.map((r) => cursorState(db, r.dataset)));
}

/** Stores the cursor after a page, in the page's transaction. */
export async function saveCursor(tx: Sql, dataset: string, cursor: string, caughtUp: boolean, now: string): Promise<void> {
  await tx.run(
    `INSERT INTO "cursors" ("dataset", "cursor", "generation", "resyncing", "updated_at", "caught_up_at") VALUES (?, ?, 0, 0, ?, ?)
     ON CONFLICT ("dataset") DO UPDATE SET "cursor" = excluded."cursor", "updated_at" = excluded."updated_at",
       "caught_up_at" = COALESCE(excluded."caught_up_at", "cursors"."caught_up_at")`,
    [dataset, cursor, now, caughtUp ? now : null],
  );
}

/**
 * Begins a resync: from the beginning, under a new generation. Returns the new
 * generation. `restoredHeadAt`: the platform said it was restored (a resync
 * begun again before the last one ended keeps the head time that one had).
 */
export async function beginResync(tx: Sql, dataset: string, now: string, restoredHeadAt: string | null = null): Promise<number> {
  await tx.run(
    `INSERT INTO "cursors" ("dataset", "cursor", "generation", "resyncing", "updated_at", "restored_head_at") VALUES (?, NULL, 1, 1, ?, ?)
     ON CONFLICT ("dataset") DO UPDATE SET "cursor" = NULL, "generation" = "cursors"."generation" + 1, "resyncing" = 1,
       "updated_at" = excluded."updated_at",
       "restored_head_at" = CASE WHEN "cursors"."resyncing" = 1 AND "cursors"."restored_head_at" IS NOT NULL
         AND (excluded."restored_head_at" IS NULL OR "cursors"."restored_head_at" < excluded."restored_head_at")
         THEN "cursors"."restored_head_at" ELSE excluded."restored_head_at" END`,
    [dataset, now, restoredHeadAt],
  );
  return (await cursorState(tx, dataset)).generation;
}

export async function endResync(tx: Sql, dataset: string): Promise<void> {
  await tx.run('UPDATE "cursors" SET "resyncing" = 0, "restored_head_at" = NULL WHERE "dataset" = ?', [dataset]);
}

import { buildSearchText } from '../domain/search-fold.js';
import type { CatalogResponse, DatasetDescriptor } from '../protocol/catalog.js';
import { dropStaleFilterIndexes } from '../records/record-filter.js';
import { REDOABLE } from '../store/durability.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import { isoNow, type EngineContext } from '../store/engine-context.js';
import type { Sql } from '../store/sql.js';
import type { PlatformClient } from './ports.js';

/**
 * Fetches the catalog and replaces the cached one in one transaction. A dataset
 * whose search fields changed gets its records' search text rebuilt in the same
 * transaction, so search never reads a half-rebuilt index; the Records list's
 * filter indexes a schema no longer asks for are dropped with it (the missing
 * ones are built between runs: records/filter-index-build.ts). Answers the catalog
 * as fetched, with the caps the platform advertised (`limits`, if any).
 */
export async function refreshCatalog(ctx: EngineContext, client: PlatformClient): Promise<CatalogResponse> {
  const answer = await client.catalog();
  const { datasets } = answer;
  await ctx.store.transaction(async (tx) => {
    const changed = await ctx.catalog.replace(tx, datasets, isoNow(ctx));
    for (const name of changed) {
      const descriptor = datasets.find((d) => d.name === name);
      if (descriptor) await rebuildSearchText(tx, descriptor);
    }
    await dropStaleFilterIndexes(tx, datasets);
  }, REDOABLE);
  return answer;
}

/** Recomputes `search_text` for every record of a dataset, 2000 rows per statement. */
export async function rebuildSearchText(tx: Sql, descriptor: DatasetDescriptor): Promise<void> {
  const fields = searchFieldsOf(descriptor);
  let after = '';
  for (;;) {
    const rows = await tx.all<{ rid: number; id: string; data: string | null }>(
      'SELECT "rid", "id", "data" FROM "records" WHERE "dataset" = ? AND "id" > ? ORDER BY "id" LIMIT 2000',
      [descriptor.name, after],
    );
    if (rows.length === 0) return;
    const values = rows.flatMap((row) => [row.rid, row.data ? buildSearchText(JSON.parse(row.data) as Record<string, unknown>, fields) : '']);
    // One multi-row UPDATE ... FROM (VALUES ...) per chunk (SQLite 3.33+).
    await tx.run(
      `UPDATE "records" SET "search_text" = v.column2 FROM (VALUES ${rows.map(() => '(?, ?)').join(', ')}) AS v WHERE "records"."rid" = v.column1`,
      values,
    );
    after = rows.at(-1)?.id ?? after;
  }
}

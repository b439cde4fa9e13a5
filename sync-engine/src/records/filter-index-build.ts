import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { EngineContext } from '../store/engine-context.js';
import type { Sql } from '../store/sql.js';
import { filterIndexes, presentFilterIndexes, type FilterIndex } from './record-filter.js';

/**
 * The filter indexes (record-filter.ts) the store lacks for the datasets of
 * `datasets` whose pull has caught up with the platform at least once. An
 * initial pull (100,000 or 1,000,000 records) writes without them, each index
 * adding about an eighth to the agent's CPU per pulled record
 * (docs/performance.md); until an index is built a filter is answered by
 * reading the dataset's rows.
 */
export async function missingFilterIndexes(db: Sql, datasets: readonly DatasetDescriptor[]): Promise<FilterIndex[]> {
  const caughtUp = new Set((await db.all<{ dataset: string }>(`SELECT "dataset" FROM "cursors" WHERE "caught_up_at" IS NOT NULL`)).map((r) => r.dataset));
  const present = new Set(await presentFilterIndexes(db));
  return datasets.filter((d) => caughtUp.has(d.name)).flatMap((d) => filterIndexes(d).filter((i) => !present.has(i.name)));
}

/**
 * Builds the missing filter indexes of the cached catalog, one at a time, each
 * giving way to any write asked for while it runs (AgentStore.runGivingWay:
 * built on a connection of its own, stopped and rolled back for a person's
 * save or a sync run, which then wait only for it to stop). Over a large
 * cache one index takes seconds (9-13 s each at 1,000,000 dossiers on a
 * busy 2-core machine, docs/performance.md): it is never built inside a
 * run's transaction. True when none is missing any more; false when one gave
 * way, to be built again later (service/filter-index-builder.ts).
 */
export async function buildFilterIndexes(ctx: EngineContext): Promise<boolean> {
  const datasets = await ctx.catalog.list(ctx.store.sql);
  for (const index of await missingFilterIndexes(ctx.store.sql, datasets)) {
    if (!(await ctx.store.runGivingWay(index.sql))) return false;
  }
  return true;
}

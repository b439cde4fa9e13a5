import type { Sql } from './sql.js';

/** Counts kept at most; past it the cache starts again (a few keys are in use at a time: datasets, states). */
const MAX_KEPT = 64;

/**
 * Counts of the cache, kept until something is written to the store
 * (docs/performance.md, "Large caches in the window"). A COUNT over a cache
 * of 1,000,000 records reads a whole index (75-160 ms here), and the Records
 * screen asked for one with every page of 100 it scrolled to, the Overview
 * and the dataset list with every refresh. A kept count is served while the
 * store's write generation (this connection's transactions, counted as each
 * begins and ends) and SQLite's `data_version` (commits of any other
 * connection: the window's process beside the service, a CLI command, the
 * lease keeper) are what they were before it was counted; anything written
 * since counts again. Exact, never stale: only a count with nothing written
 * since is served.
 */
export class CountCache {
  private readonly kept = new Map<string, { stamp: string; value: unknown }>();

  constructor(
    private readonly sql: Sql,
    private readonly generation: () => number,
  ) {}

  /** `compute`'s value for `key`, computed again only when something was written since it was last kept. */
  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    // Read before counting: a write that begins meanwhile changes the stamp, and the next call counts again.
    const stamp = `${this.generation()}:${(await this.sql.get<{ data_version: number }>('PRAGMA data_version'))?.data_version ?? 0}`;
    const hit = this.kept.get(key);
    if (hit && hit.stamp === stamp) return hit.value as T;
    const value = await compute();
    if (this.kept.size >= MAX_KEPT) this.kept.clear();
    this.kept.set(key, { stamp, value });
    return value;
  }

  /** `SELECT COUNT(*) AS n ...` with its parameters, kept as `get` says. */
  count(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.get(`${sql}\u0000${JSON.stringify(params)}`, async () => (await this.sql.get<{ n: number }>(sql, params))?.n ?? 0);
  }
}

import type { DataSource } from 'typeorm';

/** The tables whose row counts and value spread the pull, digest and push queries are planned on. */
const TABLES = ['records', 'record_scope_history', 'unique_keys', 'digest_buckets', 'message_log'];
/** Changed records that call for fresh statistics: at least this many... */
const MIN_CHANGES = 500;
/** ...and at least this share of the records there were at the last analysis. */
const GROWTH = 0.2;

/**
 * PostgreSQL: refreshes the planner's statistics of the feed tables after bulk
 * changes, in the background. Autovacuum does the same, but only on its next
 * round (up to a minute away), and a table that was never analysed is planned
 * with default estimates: right after a bulk load, the incremental pull's
 * scope-history check was planned as a nested loop over every history row of
 * the province for each record: 258 ms for a page over 2,000 records, against
 * 1.4 ms with statistics, and quadratic in the table size. A fresh national
 * import followed by every site's first sync is exactly that moment.
 *
 * ANALYZE samples (about 30,000 rows per table at the default target), takes
 * no lock that blocks reads or writes, and runs at most once at a time.
 */
export class PlannerStatistics {
  private changedSince = 0;
  private analysedAtHead = 0;
  private running: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** Called after a sequenced write committed `count` record changes, the head now at `head`. */
  noteChanges(count: number, head: number): void {
    this.changedSince += count;
    if (this.running || this.changedSince < Math.max(MIN_CHANGES, GROWTH * this.analysedAtHead)) return;
    this.changedSince = 0;
    this.analysedAtHead = head;
    this.running = this.dataSource
      .query(`ANALYZE ${TABLES.join(', ')}`)
      // Best effort: if it fails (the store is closing, a lock timeout), autovacuum still will.
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.running = null;
      });
  }

  /** Waits for an analysis in progress (before the store closes). */
  async settled(): Promise<void> {
    await this.running;
  }
}

import type { Sql } from './sql.js';
import { placeholders } from './sql.js';

/** One health probe's outcome, the Overview's latency chart and connection state read these. */
export interface HealthSample {
  at: string;
  ok: boolean;
  latencyMs: number | null;
  httpStatus: number | null;
  errorCode: string | null;
  skewMs: number | null;
}

export class HealthSamples {
  async record(tx: Sql, sample: HealthSample): Promise<void> {
    await tx.run(
      `INSERT INTO "health_samples" ("at", "ok", "latency_ms", "http_status", "error_code", "skew_ms") VALUES ${placeholders(6)}`,
      [sample.at, sample.ok ? 1 : 0, sample.latencyMs, sample.httpStatus, sample.errorCode, sample.skewMs],
    );
  }

  /**
   * Samples at or after `since` (ISO time), in the order they were recorded:
   * after this computer's clock was set back, a later sample is dated before
   * an earlier one, and the latest measurement is the last recorded.
   */
  async since(db: Sql, since: string, limit = 5000): Promise<HealthSample[]> {
    const rows = await db.all<{
      at: string;
      ok: number;
      latency_ms: number | null;
      http_status: number | null;
      error_code: string | null;
      skew_ms: number | null;
    }>('SELECT * FROM "health_samples" WHERE "at" >= ? ORDER BY "id" LIMIT ?', [since, limit]);
    return rows.map((r) => ({
      at: r.at,
      ok: r.ok === 1,
      latencyMs: r.latency_ms,
      httpStatus: r.http_status,
      errorCode: r.error_code,
      skewMs: r.skew_ms,
    }));
  }

  /** Drops samples older than `before` (keep the table to the chart's window). */
  async prune(tx: Sql, before: string): Promise<number> {
    return tx.run('DELETE FROM "health_samples" WHERE "at" < ?', [before]);
  }
}

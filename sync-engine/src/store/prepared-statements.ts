import type { Database, Statement } from 'sqlite3';

/** How many statements stay prepared: the hot paths use a few dozen SQL texts. */
export const PREPARED_STATEMENTS_KEPT = 48;

/**
 * The connection's prepared statements, kept by SQL text and reused, so a
 * statement that runs again is bound and run without being compiled again.
 *
 * Why (docs/performance.md, "Prepared statements"): node-sqlite3's
 * `Database#run` / `#all`, which TypeORM's `query()` calls, compile the SQL
 * every time, and TypeORM adds its logger and event broadcasting to each call.
 * A local write runs eight statements (BEGIN, six, COMMIT): reusing them took
 * about 0.7 ms off its median. (A pulled page's INSERT of 1,000 rows compiles
 * in about 3 ms; the initial sync did not move beyond the noise.) Only the
 * engine's own SQL goes through here; TypeORM keeps migrations and entities.
 *
 * Kept in order of use; past `capacity` the least recently used one is
 * finalized (node-sqlite3 queues the finalize behind any run still pending on
 * it). Statements of variable shape (an `IN (?, ...)` of n values) are simply
 * prepared again when their shape comes back after being dropped, as before.
 *
 * Safety: `sqlite3_prepare_v2` statements recompile themselves after a schema
 * change. A statement is always stepped to its end (run, all), so none holds
 * a read transaction open between uses. node-sqlite3 binds, steps and resets
 * one call at a time per statement, so two callers of the same SQL never mix
 * their parameters. `close()` must run before the connection closes: SQLite
 * refuses to close a connection with statements not finalized.
 */
export class PreparedStatements {
  private readonly kept = new Map<string, Kept>();
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly capacity = PREPARED_STATEMENTS_KEPT,
    /** Told of every failed step, before the caller (the store notes damage met at run time). */
    private readonly onFailure: (error: Error) => void = () => undefined,
  ) {}

  /**
   * Runs a statement that changes rows; resolves with how many it changed.
   * A statement that returns rows (a PRAGMA, a SELECT) is stepped to its end
   * like a query and counts 0, as TypeORM's query() did: node-sqlite3's `run`
   * would stop it at its first row and leave it open, and SQLite then refuses
   * to COMMIT ("SQL statements in progress").
   */
  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    const kept = this.statement(sql);
    if (!kept.changesRows) {
      await this.all(sql, params);
      return 0;
    }
    const statement = await kept.prepared;
    const onFailure = this.onFailure;
    return new Promise<number>((resolve, reject) => {
      statement.run(params, function (this: { changes: number }, error: Error | null) {
        if (error) failed(statement, error, reject, onFailure);
        else resolve(this.changes);
      });
    });
  }

  /** Runs a query; resolves with every row. */
  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const statement = await this.statement(sql).prepared;
    return new Promise<T[]>((resolve, reject) => {
      statement.all(params, (error: Error | null, rows: T[]) => {
        if (error) failed(statement, error, reject, this.onFailure);
        else resolve(rows);
      });
    });
  }

  /** How many statements are prepared or being prepared (tests). */
  get size(): number {
    return this.kept.size;
  }

  /** Finalizes every statement; later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const statements = [...this.kept.values()];
    this.kept.clear();
    await Promise.all(statements.map((s) => s.prepared.then(finalize, () => undefined)));
  }

  private statement(sql: string): Kept {
    if (this.closed) return { prepared: Promise.reject(new Error('the store is closed')), changesRows: true };
    const found = this.kept.get(sql);
    if (found) {
      // Most recently used goes last.
      this.kept.delete(sql);
      this.kept.set(sql, found);
      return found;
    }
    // Wait for the compile: node-sqlite3 drops, without a callback, the calls
    // queued on a statement whose compile failed.
    const prepared = new Promise<Statement>((resolve, reject) => {
      const statement = this.db.prepare(sql, (error: Error | null) => {
        if (!error) return resolve(statement);
        this.onFailure(error);
        reject(error);
      });
    });
    const kept: Kept = { prepared, changesRows: changesRows(sql) };
    this.kept.set(sql, kept);
    prepared.catch(() => {
      if (this.kept.get(sql) === kept) this.kept.delete(sql);
    });
    if (this.kept.size > this.capacity) {
      const [oldest, dropped] = this.kept.entries().next().value as [string, Kept];
      this.kept.delete(oldest);
      dropped.prepared.then(finalize, () => undefined);
    }
    return kept;
  }
}

interface Kept {
  prepared: Promise<Statement>;
  /** Run with node-sqlite3's `run` (see PreparedStatements.run). */
  changesRows: boolean;
}

const WRITE = /^\s*(INSERT|UPDATE|DELETE|REPLACE|BEGIN|COMMIT|ROLLBACK|END|SAVEPOINT|RELEASE)\b/i;
const CTE_WRITE = /^\s*WITH\b[\s\S]*\b(INSERT|UPDATE|DELETE|REPLACE)\b/i;

/** True for a statement that changes rows or ends a transaction and returns no rows. */
function changesRows(sql: string): boolean {
  return (WRITE.test(sql) || CTE_WRITE.test(sql)) && !/\bRETURNING\b/i.test(sql);
}

/**
 * Reports a failed step after resetting the statement. SQLite ends a
 * statement on most errors by itself; one stopped by SQLITE_BUSY may be
 * stepped again and keeps its read open until it is reset.
 */
function failed(statement: Statement, error: Error, reject: (error: Error) => void, onFailure: (error: Error) => void): void {
  onFailure(error);
  statement.reset(() => reject(error));
}

function finalize(statement: Statement): Promise<void> {
  return new Promise<void>((resolve) => statement.finalize(() => resolve()));
}

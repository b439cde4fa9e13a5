import sqlite3 from 'sqlite3';

/** How often a statement asked to give way is interrupted again, until it has stopped (see runYieldingStatement). */
const INTERRUPT_AGAIN_MS = 20;

/** What the store does around the statement, on its own connection (AgentStore.runGivingWay reads its data_version). */
export interface YieldingStatementHooks {
  /** Once the statement's connection is open and has read its data_version, just before the statement. */
  beforeRun?: () => Promise<void>;
  /** Once the statement has committed, before its connection reads its data_version again. */
  afterRun?: () => Promise<void>;
}

export interface YieldingStatementOutcome {
  /** The statement ran to its end (committed); false when it gave way, having changed nothing. */
  ran: boolean;
  /**
   * Another connection (another process's) committed between the two data_version reads of the
   * statement's connection, which enclose beforeRun, the statement and afterRun: what the store read
   * in its hooks then may hold more than this statement's commit. Always false when it did not run.
   */
  othersCommitted: boolean;
}

/**
 * One long statement (a CREATE INDEX over the whole cache) that gives way:
 * run on a connection of its own, opened for it and closed after, so the
 * store's connection keeps answering reads meanwhile (WAL: readers do not
 * wait for a writer; on one connection a read waited for the whole
 * statement). `giveWay()` interrupts it (SQLITE_INTERRUPT): SQLite rolls it
 * back, which leaves the file as before, and the statement resolves with
 * `ran` false. An interrupt that comes before the statement has started is a
 * no-op in SQLite, so it is repeated until the statement has stopped; one
 * asked before the statement started (during `beforeRun`) keeps it from
 * starting.
 *
 * The connection has the store's settings that matter for a build
 * (temp_store in memory, the same page cache) and `busyTimeoutMs` for
 * another process's write lock.
 */
export function runYieldingStatement(
  file: string,
  sql: string,
  busyTimeoutMs: number,
  hooks: YieldingStatementHooks = {},
): { done: Promise<YieldingStatementOutcome>; giveWay: () => void } {
  let db: sqlite3.Database | null = null;
  let stopped = false;
  let asked = false;
  let again: ReturnType<typeof setInterval> | null = null;
  const gaveWay = { ran: false, othersCommitted: false };
  const giveWay = () => {
    if (asked || stopped) return;
    asked = true;
    db?.interrupt();
    again = setInterval(() => db?.interrupt(), INTERRUPT_AGAIN_MS);
  };
  const done = (async (): Promise<YieldingStatementOutcome> => {
    try {
      db = await open(file);
      db.configure('busyTimeout', busyTimeoutMs);
      await exec(db, 'PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384');
      const versionBefore = await dataVersion(db);
      await hooks.beforeRun?.();
      if (asked) return gaveWay;
      await exec(db, sql);
      // Ran and committed: nothing is left to interrupt (the data_version read below must not be).
      stopped = true;
      if (again) clearInterval(again);
      await hooks.afterRun?.();
      return { ran: true, othersCommitted: (await dataVersion(db)) !== versionBefore };
    } catch (error) {
      if (asked && !stopped && /SQLITE_INTERRUPT|interrupted/i.test(String((error as Error)?.message ?? error))) return gaveWay;
      throw error;
    } finally {
      stopped = true;
      if (again) clearInterval(again);
      if (db) await close(db);
    }
  })();
  return { done, giveWay };
}

function open(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => (error ? reject(error) : resolve(db)));
  });
}

function exec(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error ? reject(error) : resolve())));
}

/** PRAGMA data_version of this connection: it moves only when another connection commits. */
function dataVersion(db: sqlite3.Database): Promise<number | null> {
  return new Promise((resolve, reject) =>
    db.get<{ data_version: number }>('PRAGMA data_version', (error, row) => (error ? reject(error) : resolve(row?.data_version ?? null))),
  );
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()));
}

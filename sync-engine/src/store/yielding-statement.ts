import sqlite3 from 'sqlite3';

/** How often a statement asked to give way is interrupted again, until it has stopped (see runYieldingStatement). */
const INTERRUPT_AGAIN_MS = 20;

/**
 * One long statement (a CREATE INDEX over the whole cache) that gives way:
 * run on a connection of its own, opened for it and closed after, so the
 * store's connection keeps answering reads meanwhile (WAL: readers do not
 * wait for a writer; on one connection a read waited for the whole
 * statement). `giveWay()` interrupts it (SQLITE_INTERRUPT): SQLite rolls it
 * back, which leaves the file as before, and the statement resolves false.
 * An interrupt that comes before the statement has started is a no-op in
 * SQLite, so it is repeated until the statement has stopped.
 *
 * The connection has the store's settings that matter for a build
 * (temp_store in memory, the same page cache) and `busyTimeoutMs` for
 * another process's write lock.
 */
export function runYieldingStatement(file: string, sql: string, busyTimeoutMs: number): { done: Promise<boolean>; giveWay: () => void } {
  let db: sqlite3.Database | null = null;
  let stopped = false;
  let asked = false;
  let again: ReturnType<typeof setInterval> | null = null;
  const giveWay = () => {
    if (asked || stopped) return;
    asked = true;
    db?.interrupt();
    again = setInterval(() => db?.interrupt(), INTERRUPT_AGAIN_MS);
  };
  const done = (async () => {
    try {
      db = await open(file);
      db.configure('busyTimeout', busyTimeoutMs);
      await exec(db, 'PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384');
      if (asked) return false;
      await exec(db, sql);
      return true;
    } catch (error) {
      if (asked && /SQLITE_INTERRUPT|interrupted/i.test(String((error as Error)?.message ?? error))) return false;
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

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()));
}

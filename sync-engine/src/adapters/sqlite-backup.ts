import sqlite3 from 'sqlite3';

/**
 * SQLite file operations that must not go through the agent's TypeORM store:
 * an online copy of a live database and an integrity check of a copy.
 */

/**
 * Writes a consistent copy of `source` to `target` while other connections
 * (a running service) keep writing: VACUUM INTO reads one snapshot inside a
 * read transaction (WAL mode lets writers go on) and writes a compact file.
 */
export async function copyLiveDatabase(source: string, target: string, busyTimeoutMs = 10_000): Promise<void> {
  const db = await open(source, sqlite3.OPEN_READWRITE);
  try {
    db.configure('busyTimeout', busyTimeoutMs);
    await run(db, 'VACUUM INTO ?', [target]);
  } finally {
    await close(db);
  }
}

/**
 * `PRAGMA integrity_check` of a database file: [] when sound, else the problems
 * SQLite lists. Opened read-write because FTS5's check needs it: pass a COPY.
 */
export async function integrityProblems(file: string): Promise<string[]> {
  let db: sqlite3.Database;
  try {
    db = await open(file, sqlite3.OPEN_READWRITE);
  } catch (error) {
    return [String((error as Error).message)];
  }
  try {
    const rows = await all<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
    return rows.map((r) => r.integrity_check).filter((p) => p !== 'ok');
  } catch (error) {
    return [String((error as Error).message)];
  } finally {
    await close(db);
  }
}

/** The number a one-row, one-column query answers over a database file (opened read-only). */
/** The first column of every row `sql` returns from `file` (opened read-only), as text. */
export async function queryTexts(file: string, sql: string): Promise<string[]> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    return (await all<Record<string, unknown>>(db, sql)).map((row) => String(Object.values(row)[0]));
  } finally {
    await close(db);
  }
}

export async function queryNumber(file: string, sql: string): Promise<number> {
  const db = await open(file, sqlite3.OPEN_READONLY);
  try {
    const [row] = await all<Record<string, unknown>>(db, sql);
    const value = row ? Object.values(row)[0] : undefined;
    if (typeof value !== 'number') throw new Error(`not a number: ${sql}`);
    return value;
  } finally {
    await close(db);
  }
}

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((done, fail) => {
    const db = new sqlite3.Database(file, mode, (error) => (error ? fail(error) : done(db)));
  });
}

function run(db: sqlite3.Database, sql: string, params: unknown[]): Promise<void> {
  return new Promise((done, fail) => db.run(sql, params, (error: Error | null) => (error ? fail(error) : done())));
}

function all<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((done, fail) => db.all(sql, (error: Error | null, rows: T[]) => (error ? fail(error) : done(rows))));
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((done) => db.close(() => done()));
}

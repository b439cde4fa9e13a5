import { resolve } from 'node:path';
import pg from 'pg';
import sqlite3 from 'sqlite3';
import { driverOf } from './data-source.js';

/**
 * Whether `serve` runs on a platform database, as `copy` must know: a copy
 * taken while agents push could miss their last writes. Every `serve` holds a
 * shared lock for as long as it runs; `copy` takes the same lock exclusively
 * for the whole copy, so it is refused while a serve runs, and a serve started
 * during a copy is refused until it ends. The locks are the database's own,
 * held by a connection, so a serve that crashed (or was killed) holds none and
 * leaves nothing stale behind:
 *
 * - SQLite: an empty SQLite file beside the database (`<db>-serve.lock`, in
 *   rollback-journal mode, the default: nothing ever writes to it) in which
 *   serve keeps a read transaction open (a SHARED lock) and copy begins an
 *   EXCLUSIVE one. The database file itself
 *   cannot carry it: in WAL mode readers take no lock a writer waits for, and
 *   every command (`agents list`, `status`, a backup) opens it while serve runs.
 * - PostgreSQL: a session advisory lock of the database (pg_advisory_lock_shared
 *   for serve, pg_try_advisory_lock for copy), gone with the session.
 */
export interface HeldLock {
  release(): Promise<void>;
}

/** `copy` was asked for while a serve runs on the database. */
export class ServeRunningError extends Error {
  constructor(readonly db: string) {
    super(`serve is running on ${db}`);
  }
}

/** `serve` was asked for while a copy of the database runs. */
export class CopyRunningError extends Error {
  constructor(readonly db: string) {
    super(`a copy of ${db} is running`);
  }
}

/** A fixed key of the platform's advisory lock (PostgreSQL advisory locks are per database). */
const ADVISORY_KEY = 7_441_926_301;

/** The SQLite file that carries the lock of the database at `db`. */
export function serveLockFile(db: string): string {
  return `${resolve(db)}-serve.lock`;
}

/** Held by `serve` while it runs; throws CopyRunningError while a copy runs. */
export async function holdServeLock(db: string): Promise<HeldLock> {
  if (driverOf(db) === 'postgres') return advisoryLock(db, 'pg_try_advisory_lock_shared', () => new CopyRunningError(db));
  const file = await openLockFile(serveLockFile(db));
  try {
    // Nothing is ever written to the file (an empty database): two serves starting at once both read, neither waits.
    await run(file, 'BEGIN');
    // A read inside the transaction takes the SHARED lock, kept until it ends.
    await run(file, 'SELECT count(*) FROM sqlite_master');
  } catch (error) {
    await close(file);
    throw isBusy(error) ? new CopyRunningError(db) : error;
  }
  return { release: () => close(file) };
}

/** Held by `copy` over its source for the whole copy; throws ServeRunningError while a serve runs. */
export async function holdCopyLock(db: string): Promise<HeldLock> {
  if (driverOf(db) === 'postgres') return advisoryLock(db, 'pg_try_advisory_lock', () => new ServeRunningError(db));
  const file = await openLockFile(serveLockFile(db));
  try {
    await run(file, 'BEGIN EXCLUSIVE');
  } catch (error) {
    await close(file);
    throw isBusy(error) ? new ServeRunningError(db) : error;
  }
  return { release: () => close(file) };
}

async function advisoryLock(url: string, take: 'pg_try_advisory_lock' | 'pg_try_advisory_lock_shared', refused: () => Error): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ held: boolean }>(`SELECT ${take}($1::bigint) AS held`, [ADVISORY_KEY]);
    if (rows[0]?.held !== true) throw refused();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error;
  }
  // The lock ends with the session.
  return { release: () => client.end() };
}

function openLockFile(path: string): Promise<sqlite3.Database> {
  return new Promise((done, fail) => {
    const db = new sqlite3.Database(path, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (error) => {
      if (error) return fail(error);
      // Never wait: a lock held by the other side is the answer.
      db.configure('busyTimeout', 0);
      done(db);
    });
  });
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((done, fail) => db.all(sql, (error) => (error ? fail(error) : done())));
}

/** Closing the connection ends its transaction and so its lock. */
function close(db: sqlite3.Database): Promise<void> {
  return new Promise((done) => db.close(() => done()));
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

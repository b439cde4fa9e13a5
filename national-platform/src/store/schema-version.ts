import { existsSync } from 'node:fs';
import sqlite3 from 'sqlite3';
import type { DataSource } from 'typeorm';
import type { StoreDriver } from './data-source.js';

/** The table TypeORM records the migrations it ran in (data-source.ts). */
const MIGRATIONS_TABLE = 'platform_migrations';

/**
 * A platform database a newer build upgraded: it holds migrations this build
 * does not know. Opening it would write rows without what those migrations
 * added (an older build serving it left new columns unset for every change it
 * made), so it is refused before anything is written.
 */
export class NewerPlatformStoreError extends Error {
  constructor(readonly unknownMigrations: string[]) {
    super(
      `this platform database was upgraded by a newer build of the national platform (changes this build does not know: ` +
        `${unknownMigrations.join(', ')}); nothing was changed: run the newer build, or restore a backup this build made`,
    );
    this.name = 'NewerPlatformStoreError';
  }
}

/** An operator command that only uses a platform database found none where --db points (a mistyped path or URL). */
export class MissingPlatformStoreError extends Error {
  constructor(readonly location: string) {
    super(
      `there is no platform database at ${location}: check --db (the default is ./national-platform.sqlite in the ` +
        'current folder); a new one is made only by "sites add" or "seed --demo"',
    );
    this.name = 'MissingPlatformStoreError';
  }
}

/** Whether a SQLite file exists at `target` (nothing is created). PostgreSQL is asked once connected: hasPlatformTables. */
export function sqliteFileExists(target: string): boolean {
  return target === ':memory:' || existsSync(target);
}

/**
 * Whether the SQLite file at `target` holds a platform store (its migrations
 * table), read through a read-only connection, so a file that holds none (an
 * empty file: a `sqlite3 wrong-name.sqlite ".backup …"` makes one; another
 * program's database) is neither changed nor taken for a platform. A file that
 * cannot be read as a database answers true: opening it says why.
 */
export async function sqliteHoldsPlatform(target: string): Promise<boolean> {
  if (target === ':memory:') return true;
  return new Promise((resolve) => {
    const db = new sqlite3.Database(target, sqlite3.OPEN_READONLY, (openError) => {
      if (openError) {
        resolve(true);
        return;
      }
      db.get(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '${MIGRATIONS_TABLE}'`, (err, row: { n: number } | undefined) => {
        db.close(() => resolve(err ? true : row?.n === 1));
      });
    });
  });
}

/** Whether this PostgreSQL database holds a platform store (its migrations table), read without writing. */
export async function hasPlatformTables(dataSource: DataSource): Promise<boolean> {
  const rows = (await dataSource.query(`SELECT to_regclass('${MIGRATIONS_TABLE}') IS NOT NULL AS present`)) as { present: boolean }[];
  return rows[0]?.present === true;
}

/**
 * Runs this build's pending migrations all in one transaction (TypeORM's
 * "all" mode: a failing one leaves the database as the older build left it),
 * after refusing a database that a newer build upgraded. TypeORM alone runs
 * the migrations it does not find recorded and ignores recorded ones it does
 * not know, so an older build opened a newer database without a word.
 */
export async function migratePlatformStore(dataSource: DataSource, driver: StoreDriver): Promise<void> {
  const known = new Set(dataSource.migrations.map((m) => m.name ?? m.constructor.name));
  const recorded = await recordedMigrations(dataSource, driver);
  const unknown = recorded.filter((name) => !known.has(name));
  if (unknown.length > 0) throw new NewerPlatformStoreError(unknown);
  await dataSource.runMigrations({ transaction: 'all' });
}

async function recordedMigrations(dataSource: DataSource, driver: StoreDriver): Promise<string[]> {
  const present =
    driver === 'postgres'
      ? await hasPlatformTables(dataSource)
      : ((await dataSource.query(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '${MIGRATIONS_TABLE}'`)) as { n: number }[])[0]?.n === 1;
  if (!present) return [];
  const rows = (await dataSource.query(`SELECT name FROM ${MIGRATIONS_TABLE} ORDER BY id`)) as { name: string }[];
  return rows.map((r) => r.name);
}

import type { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

export type MigrationClass = new () => MigrationInterface & { name: string };

/**
 * The store was last opened by a newer build of the agent: it holds schema
 * changes (migrations) this build does not know. Refused at open before
 * anything is written: this build's code would write rows the newer schema
 * may not expect, and no migration is ever undone. `migrations`: the unknown
 * ones' names, as the store lists them.
 */
export class StoreNewerError extends Error {
  readonly kind = 'store_newer' as const;
  readonly messages: { vi: string; en: string };
  constructor(
    readonly file: string,
    readonly migrations: readonly string[],
  ) {
    super(`the agent store ${file} was upgraded by a newer version of the agent (unknown migrations: ${migrations.join(', ')})`);
    this.name = 'StoreNewerError';
    const names = migrations.join(', ');
    this.messages = {
      vi: `Tệp dữ liệu của tác tử (${file}) đã được một phiên bản mới hơn của tác tử nâng cấp (thay đổi cấu trúc mà phiên bản này không biết: ${names}). Phiên bản này không mở tệp và không thay đổi gì trong đó. Hãy cài lại phiên bản mới hơn, hoặc khôi phục một bản sao lưu do phiên bản này tạo.`,
      en: `The agent's data file (${file}) was upgraded by a newer version of the agent (schema changes this version does not know: ${names}). This version does not open it and changed nothing in it. Install the newer version again, or restore a backup made by this version.`,
    };
  }
}

/**
 * The table of migrations run, as TypeORM's migration runner created it in
 * every store until this module replaced it: the same text, so a store made
 * now has the same schema as one an older build made and this one upgraded.
 */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "schema_migrations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "timestamp" bigint NOT NULL, "name" varchar NOT NULL)`;

type Query = Pick<QueryRunner, 'query'> | Pick<DataSource, 'query'>;

/** The names of the migrations the store has run, oldest first ([] for a new file). */
export async function appliedMigrations(db: Query): Promise<string[]> {
  const table = (await db.query(`SELECT 1 FROM "sqlite_master" WHERE "type" = 'table' AND "name" = 'schema_migrations'`)) as unknown[];
  if (table.length === 0) return [];
  const rows = (await db.query(`SELECT "name" FROM "schema_migrations" ORDER BY "id"`)) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/** The migrations in `applied` (a store's list) that are not in `migrations`: a newer build ran them. */
export function unknownMigrations(applied: readonly string[], migrations: readonly MigrationClass[] = MIGRATIONS): string[] {
  const known = new Set(migrations.map((M) => new M().name));
  return applied.filter((name) => !known.has(name));
}

/** StoreNewerError when `applied` holds a migration not in `migrations`. */
export function refuseUnknownMigrations(file: string, applied: readonly string[], migrations: readonly MigrationClass[] = MIGRATIONS): void {
  const unknown = unknownMigrations(applied, migrations);
  if (unknown.length > 0) throw new StoreNewerError(file, unknown);
}

/**
 * Brings the store to this build's schema, all or nothing. A store already up
 * to date is only read (no write lock: opening a folder the service writes
 * never waits for it). Otherwise, in ONE transaction begun IMMEDIATE (waiting
 * up to the busy timeout for another process's write lock): the list of
 * migrations run is read again under the lock, so two processes opening an
 * old store at once run each migration once (the second finds them run; it
 * failed with "duplicate column name" when TypeORM's runner read the list
 * before its transaction), then every pending migration runs and is recorded.
 * Any failure (a migration's error, a full disk, the process killed) rolls
 * the whole upgrade back: the store stays exactly as the older build left it,
 * and that build can still open it (TypeORM's runner committed each migration
 * on its own, so a failure half-way left a store newer than the older build
 * and older than this one). A store holding a migration this build does not
 * know is refused (StoreNewerError) before anything is written.
 *
 * A new file (no migration run yet) gets its schema one migration per
 * transaction instead: SQLite 3.44 refuses ("SQL logic error") to create an
 * FTS5 table again in the transaction that created it once its content table
 * was altered, which 0001 then 0002 do to records_fts; a new file holds
 * nothing to lose, and the next open finishes a creation cut short.
 *
 * As TypeORM's runner did, foreign keys are off while migrations run (a
 * migration that rebuilds a table must not cascade) and on again after.
 * Returns the names of the migrations run.
 */
export async function migrateStore(dataSource: DataSource, file: string, migrations: readonly MigrationClass[] = MIGRATIONS): Promise<string[]> {
  const first = await appliedMigrations(dataSource);
  refuseUnknownMigrations(file, first, migrations);
  if (migrations.every((M) => first.includes(new M().name))) return [];
  const steps = first.length === 0 ? migrations.map((M) => [M]) : [migrations];
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('PRAGMA foreign_keys = OFF');
    const ran: string[] = [];
    for (const step of steps) ran.push(...(await runInOneTransaction(runner, file, step, migrations)));
    return ran;
  } finally {
    await runner.query('PRAGMA foreign_keys = ON').catch(() => undefined);
    await runner.release();
  }
}

/** Runs those of `step` the store has not run, in one IMMEDIATE transaction, after reading the list again under the lock. */
async function runInOneTransaction(runner: QueryRunner, file: string, step: readonly MigrationClass[], migrations: readonly MigrationClass[]): Promise<string[]> {
  await runner.query('BEGIN IMMEDIATE');
  try {
    await runner.query(MIGRATIONS_TABLE);
    const applied = await appliedMigrations(runner);
    refuseUnknownMigrations(file, applied, migrations);
    const ran: string[] = [];
    for (const M of step) {
      const migration = new M();
      if (applied.includes(migration.name)) continue;
      await migration.up(runner);
      await runner.query(`INSERT INTO "schema_migrations" ("timestamp", "name") VALUES (?, ?)`, [timestampOf(migration.name), migration.name]);
      ran.push(migration.name);
    }
    await runner.query('COMMIT');
    return ran;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** The migration's time, the 13 digits its class name ends with (as TypeORM stored it). */
function timestampOf(name: string): number {
  const digits = /(\d{13})$/.exec(name)?.[1];
  if (!digits) throw new Error(`migration ${name}: its name must end with a 13-digit timestamp`);
  return Number(digits);
}

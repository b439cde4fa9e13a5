import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource, type EntityManager } from 'typeorm';
import { ENTITIES } from './entities.js';
import { MIGRATIONS } from './migrations/index.js';
import { Sql } from './sql.js';

/** The file the agent keeps its cache, outbox and audit log in, inside the data folder. */
export const AGENT_DB_FILE = 'agent.sqlite';

/** The store could not be opened because the file is damaged or is not an agent store. */
export class StoreCorruptedError extends Error {
  readonly kind = 'store_corrupted' as const;
  readonly messages: { vi: string; en: string };
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`the agent store ${file} is damaged: ${problems.slice(0, 3).join('; ')}`);
    this.name = 'StoreCorruptedError';
    this.messages = {
      vi: `Tệp dữ liệu của tác tử (${file}) bị hỏng. Hãy khôi phục từ bản sao lưu hoặc đồng bộ lại từ đầu.`,
      en: `The agent's data file (${file}) is damaged. Restore a backup or re-sync from the beginning.`,
    };
  }
}

export interface OpenStoreOptions {
  /** `PRAGMA quick_check` at open (default true). O(size of the file); skip only in benchmarks. */
  integrityCheck?: boolean;
  /** How long a statement waits for another process's lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

/**
 * The agent's SQLite store: one DataSource (the sqlite3 driver keeps ONE
 * connection), WAL, synchronous=NORMAL, foreign keys, explicit migrations.
 *
 * Writes: every write goes through `transaction()`. The sqlite driver shares one
 * connection, so two overlapping TypeORM transactions would silently nest as
 * savepoints of each other; the write lock here serialises them. A statement
 * run outside `transaction()` while one is open would join it, so the engine
 * never writes outside it. Reads (`sql`, `manager`) may run at any time and then
 * see the state of an open transaction on this connection.
 */
export class AgentStore {
  private lock: Promise<unknown> = Promise.resolve();
  private depthMarker = 0;
  readonly sql: Sql;

  constructor(
    readonly dataSource: DataSource,
    readonly file: string,
  ) {
    this.sql = new Sql(dataSource.manager);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * Runs `fn` in one SQLite transaction, after every earlier transaction ended.
   * Rolls back if `fn` throws. Do not call transaction() from inside `fn`: pass
   * the given Sql down instead (a nested call would wait for itself).
   */
  async transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    try {
      await previous.catch(() => undefined);
      this.depthMarker += 1;
      return await this.dataSource.transaction(async (manager) => fn(new Sql(manager)));
    } finally {
      this.depthMarker -= 1;
      release();
    }
  }

  /** True while a transaction runs (diagnostics). */
  get busy(): boolean {
    return this.depthMarker > 0;
  }

  async close(): Promise<void> {
    await this.lock.catch(() => undefined);
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * Opens (creating if needed) the store in `dataDir`: runs pending migrations,
 * then checks the file. A file that is not SQLite or fails `quick_check` is
 * reported as StoreCorruptedError, never opened half-way.
 */
export async function openAgentStore(dataDir: string, options: OpenStoreOptions = {}): Promise<AgentStore> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, AGENT_DB_FILE);
  const dataSource = new DataSource({
    type: 'sqlite',
    database: file,
    driver: quietSqlite3,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    enableWAL: true,
    busyTimeout: options.busyTimeoutMs ?? 5000,
    logging: false,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw asCorruption(file, error) ?? error;
  }
  try {
    // WAL + NORMAL: a commit survives a process crash; only an OS crash or power
    // loss may lose the last transactions, never corrupt the file.
    await dataSource.query('PRAGMA synchronous = NORMAL');
    if (options.integrityCheck !== false) {
      const rows = (await dataSource.query('PRAGMA quick_check')) as Array<{ quick_check: string }>;
      const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok');
      if (problems.length > 0) throw new StoreCorruptedError(file, problems);
    }
    await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw asCorruption(file, error) ?? error;
  }
  return new AgentStore(dataSource, file);
}

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every Database and Statement
 * call to capture a stack trace: measurable on hot paths (thousands of
 * statements per sync). The same module, minus that switch.
 */
const quietSqlite3 = { ...sqlite3, verbose: () => sqlite3 };

function asCorruption(file: string, error: unknown): StoreCorruptedError | null {
  if (error instanceof StoreCorruptedError) return error;
  const text = String((error as { message?: unknown })?.message ?? error);
  if (/SQLITE_NOTADB|SQLITE_CORRUPT|file is not a database|malformed/i.test(text)) return new StoreCorruptedError(file, [text]);
  return null;
}

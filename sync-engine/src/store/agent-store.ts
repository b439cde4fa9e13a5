import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities.js';
import { appliedMigrations, migrateStore, refuseUnknownMigrations, type MigrationClass } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import type { TransactionOptions } from './durability.js';
import { checkedAtFromCleanClose, forgetCleanClose, writeCleanClose } from './clean-close.js';
import { CountCache } from './count-cache.js';
import { checkFile, checkFullTextIndexes } from './file-check.js';
import { isDamage, storeFailureOf } from './store-failures.js';
import { PreparedStatements } from './prepared-statements.js';
import { Sql } from './sql.js';
import { runYieldingStatement } from './yielding-statement.js';

type Synchronous = 'FULL' | 'NORMAL';

// The store's failures (damaged, in use), defined in store-failures.ts, are imported from here across the engine.
export { StoreBusyError, StoreCorruptedError, storeFailureOf } from './store-failures.js';

/** The file the agent keeps its cache, outbox and audit log in, inside the data folder. */
export const AGENT_DB_FILE = 'agent.sqlite';

export interface OpenStoreOptions {
  /**
   * The check at open (checkFile), O(size of the file):
   * - true (default): every table, index and page, read-only, then the
   *   full-text index, which holds the write lock while it runs.
   * - 'read-only': the first part only; the check never takes the write lock.
   *   For a second process opening a folder another process uses, whose saves
   *   must not wait for it; the full-text index is that process's to check
   *   (checkFullTextIndex).
   * - false: none (a short-lived reader or writer of a few rows; benchmarks).
   * Either check is skipped when a clean close's note vouches for the file
   * (clean-close.ts), unless trustCleanClose is false.
   */
  integrityCheck?: boolean | 'read-only';
  /**
   * Default true: skip the check when this build closed the file cleanly, it
   * is exactly as then, and its whole check passed less than a week ago
   * (clean-close.ts). false: check whatever the note says (`doctor`).
   */
  trustCleanClose?: boolean;
  /** The clock of the note's dates (tests). */
  now?: () => number;
  /** How long a statement waits for another process's lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * false: run no migration and accept a store a newer build upgraded, for a
   * peek that only reads a table every version has, as it is (the lease:
   * restore must see whether a service runs on a folder this build cannot
   * open). Default true: refuse a newer store, run pending migrations.
   */
  migrate?: boolean;
  /** The schema's migrations, oldest first (default MIGRATIONS; a test adds one that fails). */
  migrations?: readonly MigrationClass[];
  /**
   * Checkpoint the WAL once no transaction has run for this long (default 1000
   * ms; 0: never, SQLite's own checkpoints only). See STORE_PRAGMAS.
   */
  idleCheckpointMs?: number;
}

/**
 * Connection settings besides WAL and the per-transaction durability
 * (TransactionOptions), measured in docs/performance.md:
 *
 * - wal_autocheckpoint 10000 pages (~40 MB; SQLite's default is 1000). SQLite
 *   checkpoints (copies the WAL into the database file and syncs it) inside
 *   the commit that crosses the limit. A pulled page of 1,000 records crossed
 *   1000 pages nearly every time (a third of its time), and a local write
 *   dirties about 20 pages (record, indexes, full-text index, outbox entry,
 *   audit event), so in a burst of writes one in 50 paid 10-15 ms: the slowest
 *   1%. Fewer, larger checkpoints copy a page that changed many times once.
 *   The store also checkpoints when idle (idleCheckpointMs), so after a pause
 *   the next write finds a short WAL. (A second connection checkpointing in
 *   the background was measured too: on two cores it slowed the writes down.)
 * - temp_store MEMORY: sorts of ranked search matches never touch a temp file.
 * - cache_size 16 MiB (SQLite's default is 2 MiB): holds the full-text index
 *   and ix_records_search of a 100,000-record cache, so a search reads them
 *   without a system call per page (its median halved), and a page of 1,000
 *   national updates keeps its dirty pages in memory until the commit. Bounded:
 *   the agent's memory is budgeted (docs/performance.md). mmap stays off: the
 *   mapped pages of the whole file would count as the agent's memory too.
 */
const STORE_PRAGMAS = ['PRAGMA wal_autocheckpoint = 10000', 'PRAGMA temp_store = MEMORY', 'PRAGMA cache_size = -16384'] as const;
const IDLE_CHECKPOINT_MS = 1000;

/**
 * The agent's SQLite store: one DataSource (the sqlite3 driver keeps ONE
 * connection), WAL, foreign keys, explicit migrations, and durable commits
 * unless a transaction says it may be redone (TransactionOptions).
 *
 * Writes: every write goes through `transaction()`. The sqlite driver shares one
 * connection, so two overlapping transactions would run inside one BEGIN; the
 * write lock here serialises them (and beginCommit says why not TypeORM's
 * own transaction()). A statement
 * run outside `transaction()` while one is open would join it, so the engine
 * never writes outside it (runGivingWay, for an index over the whole cache,
 * writes on a connection of its own, between transactions). Reads (`sql`) may run at any time and then
 * see the state of an open transaction on this connection.
 */
export class AgentStore {
  private lock: Promise<unknown> = Promise.resolve();
  /** The connection's `synchronous` setting, as last set (openAgentStore sets FULL). */
  private synchronous: Synchronous = 'FULL';
  private depthMarker = 0;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private closing = false;
  private readonly statements: PreparedStatements;
  /** Bumped as each transaction begins and as it ends (CountCache: nothing was written while it stays the same). */
  private generation = 0;
  readonly sql: Sql;
  /** Counts of the cache kept until the next write (CountCache). */
  readonly counts: CountCache;

  /**
   * When the file's whole check last passed, as far as this process knows
   * (its own check, or a clean close's note): null when it did not check the
   * whole file. Written into the note at close (clean-close.ts).
   */
  private checkedAt: number | null;
  /** Part 1 of the check (quick_check) passed at open; checkFullTextIndex completes it. */
  private readonly quickCheckedAt: number | null;
  /** A statement met SQLITE_CORRUPT or SQLITE_NOTADB: no note at close, so the next open checks the whole file. */
  private damageSeen = false;
  private readonly now: () => number;
  /** PRAGMA data_version after this process's own last commit through another connection (runGivingWay); at open first. */
  private dataVersionSeen: number | null;
  /** Transactions asked for that stop a build giving way (TransactionOptions.preempts) and have not begun yet. */
  private preemptersWaiting = 0;
  /** Stops the build giving way now (runGivingWay), if one runs. */
  private giveWay: (() => void) | null = null;

  constructor(
    readonly dataSource: DataSource,
    readonly file: string,
    private readonly idleCheckpointMs = IDLE_CHECKPOINT_MS,
    checked: { checkedAt: number | null; quickCheckedAt: number | null; now: () => number; dataVersion: number | null } = {
      checkedAt: null,
      quickCheckedAt: null,
      now: Date.now,
      dataVersion: null,
    },
    private readonly busyTimeoutMs = 5000,
  ) {
    this.checkedAt = checked.checkedAt;
    this.dataVersionSeen = checked.dataVersion;
    this.quickCheckedAt = checked.quickCheckedAt;
    this.now = checked.now;
    this.statements = new PreparedStatements((dataSource.driver as unknown as { databaseConnection: sqlite3.Database }).databaseConnection, undefined, (error) => {
      if (isDamage(String(error.message))) this.damageSeen = true;
    });
    this.sql = new Sql(this.statements);
    this.counts = new CountCache(this.sql, () => this.generation);
  }

  /**
   * Runs `fn` in one SQLite transaction, after every earlier transaction ended.
   * Rolls back if `fn` throws. Do not call transaction() from inside `fn`: pass
   * the given Sql down instead (a nested call would wait for itself).
   */
  async transaction<T>(fn: (tx: Sql) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const wanted: Synchronous = options.durable === false ? 'NORMAL' : 'FULL';
    try {
      return await this.exclusive(options.preempts !== false, async () => {
        // Between transactions: SQLite refuses a change of `synchronous` inside one.
        if (this.synchronous !== wanted) {
          await this.dataSource.query(`PRAGMA synchronous = ${wanted}`);
          this.synchronous = wanted;
        }
        return this.beginCommit(fn, wanted === 'FULL');
      });
    } finally {
      this.checkpointWhenIdle();
    }
  }

  /**
   * BEGIN, `fn`, COMMIT on the one connection; ROLLBACK on any failure. By hand
   * rather than through TypeORM's transaction(): on some errors (SQLITE_FULL,
   * SQLITE_IOERR, SQLITE_NOMEM) SQLite ends the transaction itself, TypeORM's
   * ROLLBACK then fails, and its own count stays "one transaction open", so
   * every later transaction() became a SAVEPOINT inside it. After a failure
   * SQLite did not roll back, such a SAVEPOINT was rolled back to and stayed
   * open: from then on nothing was committed, and a restart lost every write
   * since (seen on a really full disk, test/reliability/agent-faults.test.ts).
   * Here a failure always ends with ROLLBACK, which is harmless when SQLite has
   * already rolled back, so the connection is out of any transaction after.
   *
   * A durable transaction (a person's change, settings, an audit event)
   * begins IMMEDIATE: the write lock is taken first, waiting up to the busy
   * timeout while another connection writes (the CLI's `network set`, an audit
   * event for a backup, the lease keeper of another process). A plain BEGIN
   * that had read and then wrote failed at once with SQLITE_BUSY when the
   * other connection committed in between, whatever the timeout: a person's
   * save failed because IT ran a command. The engine's redoable work (pull
   * pages, push answers) keeps a plain BEGIN: such a failure only ends the
   * run, which is redone, and the initial sync measured 8-10 % slower with
   * IMMEDIATE on every page (docs/performance.md).
   */
  private async beginCommit<T>(fn: (tx: Sql) => Promise<T>, immediate: boolean): Promise<T> {
    this.generation += 1;
    await this.statements.run(immediate ? 'BEGIN IMMEDIATE' : 'BEGIN');
    try {
      const result = await fn(this.sql);
      await this.statements.run('COMMIT');
      return result;
    } catch (error) {
      await this.statements.run('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.generation += 1;
    }
  }

  /**
   * Runs `fn` after every earlier transaction (or checkpoint) ended, and before
   * any later one. `preempts`: a build giving way (runGivingWay) that runs or
   * is queued ahead stops for it (TransactionOptions.preempts).
   */
  private async exclusive<T>(preempts: boolean, fn: () => Promise<T>): Promise<T> {
    const previous = this.lock;
    let release!: () => void;
    this.lock = new Promise<void>((resolve) => (release = resolve));
    let waiting = preempts;
    if (waiting) {
      this.preemptersWaiting += 1;
      this.giveWay?.();
    }
    try {
      await previous.catch(() => undefined);
      if (waiting) this.preemptersWaiting -= 1;
      waiting = false;
      this.depthMarker += 1;
      return await fn();
    } finally {
      if (waiting) this.preemptersWaiting -= 1;
      else this.depthMarker -= 1;
      release();
    }
  }

  /**
   * Runs one long statement that may be stopped (a filter index built over the
   * whole cache, records/filter-index-build.ts) in its own transaction,
   * between this store's transactions, on a connection of its own
   * (yielding-statement.ts): the store's reads go on meanwhile, and a
   * transaction asked for meanwhile (TransactionOptions.preempts) stops it, so
   * that transaction waits for the statement's rollback, not for the
   * statement. True when it ran to the end; false when it gave way (or did not
   * start because a transaction was waiting, or the store is closing), having
   * changed nothing: the caller runs it again later.
   */
  async runGivingWay(sql: string): Promise<boolean> {
    return this.exclusive(false, async () => {
      if (this.preemptersWaiting > 0 || this.closing) return false;
      const seen = { before: null as number | null, after: null as number | null };
      const statement = runYieldingStatement(this.file, sql, this.busyTimeoutMs, {
        beforeRun: async () => void (seen.before = await this.dataVersion()),
        afterRun: async () => void (seen.after = await this.dataVersion()),
      });
      // With no await since the check above: a transaction or close() asked for from here on stops the statement.
      this.giveWay = statement.giveWay;
      try {
        const { ran, othersCommitted } = await statement.done;
        if (ran) {
          // Its commit was this process's own: unless another connection committed before it or beside it (the
          // statement's connection's reads enclose both of ours), the clean-close note still vouches for the file.
          if (seen.before === this.dataVersionSeen && !othersCommitted) this.dataVersionSeen = seen.after;
          // A read makes this connection load the changed schema now (a plan explained before it would not see a new index).
          await this.dataSource.query('SELECT 1 FROM "sqlite_master" LIMIT 1');
        }
        return ran;
      } catch (error) {
        throw storeFailureOf(this.file, error);
      } finally {
        this.giveWay = null;
      }
    });
  }

  private async dataVersion(): Promise<number | null> {
    const rows = (await this.dataSource.query('PRAGMA data_version')) as Array<{ data_version: number }>;
    return rows[0]?.data_version ?? null;
  }

  /**
   * (Re)arms the idle checkpoint: once no transaction has run for
   * idleCheckpointMs, the WAL is copied into the database file between
   * transactions, so the cost falls in a pause rather than inside the commit of
   * someone's next write. PASSIVE: it never waits for other processes.
   */
  private checkpointWhenIdle(): void {
    if (this.idleCheckpointMs <= 0 || this.closing) return;
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.closing) return;
      // A failed checkpoint changes nothing: the commits are in the WAL, and SQLite's own checkpoints still run.
      this.exclusive(false, () => this.dataSource.query('PRAGMA wal_checkpoint(PASSIVE)')).catch(() => undefined);
    }, this.idleCheckpointMs);
    this.idleTimer.unref();
  }

  /**
   * Part 2 of the open-time check (checkFile) for a store opened with
   * integrityCheck 'read-only': the full-text index, holding the write lock
   * while it runs. StoreCorruptedError when it is damaged; StoreBusyError when
   * another process keeps the write lock past the busy timeout.
   */
  async checkFullTextIndex(): Promise<void> {
    // A clean close's note vouched for the whole file at open.
    if (this.checkedAt !== null) return;
    await this.exclusive(true, async () => {
      try {
        await checkFullTextIndexes((sql) => this.dataSource.query(sql) as Promise<unknown[]>, this.file);
      } catch (error) {
        throw storeFailureOf(this.file, error);
      }
    });
    if (this.quickCheckedAt !== null) this.checkedAt = this.quickCheckedAt;
  }

  /** When the file's whole check last passed, as this process knows it (null: not checked whole). */
  get lastFullCheck(): number | null {
    return this.checkedAt;
  }

  /**
   * Waits until no other process holds the write lock, up to the busy
   * timeout, and holds it for no time (BEGIN IMMEDIATE, ROLLBACK);
   * StoreBusyError past the timeout.
   */
  async awaitWriteLock(): Promise<void> {
    await this.exclusive(true, async () => {
      try {
        await this.statements.run('BEGIN IMMEDIATE');
        await this.statements.run('ROLLBACK');
      } catch (error) {
        throw storeFailureOf(this.file, error);
      }
    });
  }

  /** True while a transaction runs (diagnostics). */
  get busy(): boolean {
    return this.depthMarker > 0;
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.giveWay?.();
    await this.lock.catch(() => undefined);
    // SQLite refuses to close a connection whose statements are not finalized.
    await this.statements.close();
    if (this.dataSource.isInitialized) {
      const othersWrote = this.checkedAt !== null && (await this.othersCommitted());
      await this.dataSource.destroy();
      if (this.damageSeen || othersWrote) forgetCleanClose(this.file);
      else if (this.checkedAt !== null) writeCleanClose(this.file, this.checkedAt, this.now());
    }
  }

  /**
   * Whether another connection (a command beside the service, another
   * program) committed since this one opened: SQLite's data_version moves
   * only for other connections' commits. Their changes were not made under
   * this process's check, so its close vouches for nothing then.
   */
  private async othersCommitted(): Promise<boolean> {
    try {
      return (await this.dataVersion()) !== this.dataVersionSeen;
    } catch {
      return true;
    }
  }
}

/**
 * Opens (creating if needed) the store in `dataDir`: refuses a store a newer
 * build upgraded (StoreNewerError, nothing written), checks the file
 * (checkFile, as `integrityCheck` says), then runs pending migrations, all or
 * none (migrate.ts). A file that is not SQLite or fails the check is reported
 * as StoreCorruptedError, never opened half-way; a file another process keeps
 * locked past the busy timeout (while the full-text index's check or a
 * migration waits for the write lock), as StoreBusyError.
 */
export async function openAgentStore(dataDir: string, options: OpenStoreOptions = {}): Promise<AgentStore> {
  // A folder made here is its owner's only: other local users cannot read the records.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, AGENT_DB_FILE);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  // Read before SQLite opens the file: a note that vouches for it as it is now.
  const noted = options.trustCleanClose === false ? null : checkedAtFromCleanClose(file, now());
  let checked = { checkedAt: noted, quickCheckedAt: null as number | null, now, dataVersion: null as number | null };
  const dataSource = new DataSource({
    type: 'sqlite',
    database: file,
    driver: quietSqlite3,
    entities: ENTITIES,
    synchronize: false,
    enableWAL: true,
    busyTimeout: busyTimeoutMs,
    logging: false,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw storeFailureOf(file, error);
  }
  try {
    // WAL + FULL: every commit syncs the log (TransactionOptions.durable).
    await dataSource.query('PRAGMA synchronous = FULL');
    for (const pragma of STORE_PRAGMAS) await dataSource.query(pragma);
    // A store a newer build upgraded is refused before the check, which may take the write lock
    // (a list that cannot be read is the check's to report: damage is said there).
    const migrate = options.migrate !== false;
    const applied = migrate ? await appliedMigrations(dataSource).catch(() => null) : null;
    const migrations = options.migrations ?? MIGRATIONS;
    if (applied) refuseUnknownMigrations(file, applied, migrations);
    if (options.integrityCheck !== false && noted === null) {
      const fullText = options.integrityCheck !== 'read-only';
      const started = now();
      await checkFile(dataSource, file, fullText);
      checked = fullText ? { ...checked, checkedAt: started } : { ...checked, quickCheckedAt: started };
    }
    if (migrate) await migrateStore(dataSource, file, migrations);
    const [version] = (await dataSource.query('PRAGMA data_version')) as Array<{ data_version: number }>;
    checked = { ...checked, dataVersion: version?.data_version ?? null };
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw storeFailureOf(file, error);
  }
  return new AgentStore(dataSource, file, options.idleCheckpointMs, checked, busyTimeoutMs);
}

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every Database and Statement
 * call to capture a stack trace: measurable on hot paths (thousands of
 * statements per sync). The same module, minus that switch.
 */
const quietSqlite3 = { ...sqlite3, verbose: () => sqlite3 };

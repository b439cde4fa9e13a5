import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { createDataSource, driverOf, SQLITE_PRAGMAS, type StoreDriver } from './data-source.js';
import { PlatformStateEntity, type PlatformStateRow } from './entities/platform-state.js';
import { parseEpochHeadSeqs } from '../services/rev-gap.js';
import { Gate, OPEN_GATE } from './gate.js';
import { PlannerStatistics } from './planner-statistics.js';
import { hasPlatformTables, migratePlatformStore, MissingPlatformStoreError, sqliteFileExists, sqliteHoldsPlatform } from './schema-version.js';

/** Hands out seq numbers inside a sequenced write; they are stored as the head on commit. */
export interface SeqCounter {
  /** The head when the transaction took the lock. */
  readonly start: number;
  next(): number;
  /** The last seq handed out (or `start`). */
  readonly head: number;
  /** The head seq at which each `epoch new` began, ascending (services/rev-gap.ts). */
  readonly epochHeadSeqs: readonly number[];
  /** platform_state.catalog_version as the lock read it: bumped by every dataset publish (services/dataset-versions.ts). */
  readonly catalogVersion: number;
  /** platform_state.admin_units_version as the lock read it: bumped by every change of an `admin-units` record (services/change-set.ts). */
  readonly adminUnitsVersion: number;
}

export interface WriteOptions {
  /** Lock the seq counter first: required for every transaction that changes records. */
  sequenced?: boolean;
}

export interface PlatformStore {
  readonly driver: StoreDriver;
  readonly dataSource: DataSource;
  /** Runs `work` in one read-only snapshot. */
  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  /**
   * Runs `work`, which must issue exactly one SELECT, outside any transaction
   * (a single statement is consistent on its own): one round trip on
   * PostgreSQL where read() costs three.
   */
  lookup<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
  /** Runs `work` in one write transaction; all or nothing. */
  write<T>(work: (em: EntityManager, seq: SeqCounter) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** The platform_state row as committed now. */
  state(): Promise<PlatformStateRow>;
  close(): Promise<void>;
}

const STATE_ID = 1;

export interface OpenOptions {
  /**
   * false: refuse (MissingPlatformStoreError) when there is no platform
   * database there yet (no SQLite file; a PostgreSQL database without the
   * platform's tables) instead of making a new, empty one. Default true.
   */
  create?: boolean;
}

/**
 * Opens (creating and migrating when needed) the platform store at a SQLite
 * path or a postgres:// URL. A database a newer build upgraded is refused
 * (NewerPlatformStoreError) before anything is written.
 */
export async function openPlatformStore(dbUrlOrPath: string, options: OpenOptions = {}): Promise<PlatformStore> {
  const driver = driverOf(dbUrlOrPath);
  const target = driver === 'sqlite' && dbUrlOrPath !== ':memory:' ? resolve(dbUrlOrPath) : dbUrlOrPath;
  const create = options.create !== false;
  if (driver === 'sqlite' && !create && !(sqliteFileExists(target) && (await sqliteHoldsPlatform(target)))) throw new MissingPlatformStoreError(target);
  if (driver === 'sqlite' && target !== ':memory:') mkdirSync(dirname(target), { recursive: true });
  const dataSource = createDataSource(target);
  dataSource.setOptions({ migrationsRun: false });
  await dataSource.initialize();
  try {
    if (driver === 'postgres' && !create && !(await hasPlatformTables(dataSource))) throw new MissingPlatformStoreError(redactedUrl(target));
    await migratePlatformStore(dataSource, driver);
    if (driver === 'sqlite') for (const pragma of SQLITE_PRAGMAS) await dataSource.query(pragma);
  } catch (err) {
    await dataSource.destroy().catch(() => undefined);
    throw err;
  }
  const store = new TypeOrmPlatformStore(driver, dataSource);
  await store.ensureState();
  return store;
}

/** A postgres:// URL without its password, to print. */
export function redactedUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

class TypeOrmPlatformStore implements PlatformStore {
  private readonly gate;
  /**
   * PostgreSQL: sequenced writes of this process queue here, before they take
   * a pool connection. They serialise on the platform_state row lock anyway;
   * waiting for it while holding a connection let a burst of pushes occupy the
   * whole pool, so every read (and every signer lookup) queued behind them.
   */
  private readonly sequenceGate;
  private readonly statistics: PlannerStatistics | null;

  constructor(
    readonly driver: StoreDriver,
    readonly dataSource: DataSource,
  ) {
    this.gate = driver === 'sqlite' ? new Gate() : OPEN_GATE;
    this.sequenceGate = driver === 'postgres' ? new Gate() : OPEN_GATE;
    // SQLite plans these queries well without statistics (and has no autovacuum to wait for).
    this.statistics = driver === 'postgres' ? new PlannerStatistics(dataSource) : null;
  }

  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.gate.run(async () => {
      const runner = this.dataSource.createQueryRunner();
      // SQLite (WAL) gives a deferred transaction a snapshot. PostgreSQL needs
      // REPEATABLE READ for one, opened with one statement: TypeORM's
      // startTransaction sends the isolation level as a second round trip, and
      // round trips are what a signed request costs on PostgreSQL.
      const postgres = this.driver === 'postgres';
      try {
        if (postgres) await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
        else await runner.startTransaction();
        try {
          const out = await work(runner.manager);
          if (postgres) await runner.query('COMMIT');
          else await runner.commitTransaction();
          return out;
        } catch (err) {
          await (postgres ? runner.query('ROLLBACK') : runner.rollbackTransaction()).catch(() => undefined);
          throw err;
        }
      } finally {
        await runner.release();
      }
    });
  }

  lookup<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.gate.run(() => work(this.dataSource.manager));
  }

  write<T>(work: (em: EntityManager, seq: SeqCounter) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    if (options.sequenced) return this.sequenceGate.run(() => this.transact(work, true));
    return this.transact(work, false);
  }

  private transact<T>(work: (em: EntityManager, seq: SeqCounter) => Promise<T>, sequenced: boolean): Promise<T> {
    return this.gate.run(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        try {
          const em = runner.manager;
          const counter = await this.lock(em, sequenced);
          const out = await work(em, counter);
          if (sequenced && counter.head !== counter.start) {
            await em.createQueryBuilder().update(PlatformStateEntity).set({ headSeq: counter.head }).where('id = :id', { id: STATE_ID }).execute();
          }
          await runner.commitTransaction();
          if (sequenced) this.statistics?.noteChanges(counter.head - counter.start, counter.head);
          return out;
        } catch (err) {
          await runner.rollbackTransaction().catch(() => undefined);
          throw err;
        }
      } finally {
        await runner.release();
      }
    });
  }

  /**
   * Takes the locks a write starts with. SQLite: a write as the first statement,
   * so the transaction takes the write lock now instead of upgrading a read
   * lock later (an upgrade can fail with SQLITE_BUSY when another process
   * writes). PostgreSQL, sequenced: the platform_state row lock, taken and read
   * in one statement (SELECT ... FOR UPDATE); every record change waits there,
   * so seq grows in commit order.
   */
  private async lock(em: EntityManager, sequenced: boolean): Promise<SeqCounter> {
    if (this.driver === 'postgres') {
      if (!sequenced) return NO_COUNTER;
      const state = await em.getRepository(PlatformStateEntity).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id: STATE_ID }).getOne();
      if (!state) throw new Error('platform_state row missing: the store was not initialised');
      return counterFrom(state);
    }
    await em.createQueryBuilder().update(PlatformStateEntity).set({ id: STATE_ID }).where('id = :id', { id: STATE_ID }).execute();
    return sequenced ? counterFrom(await readState(em)) : NO_COUNTER;
  }

  async state(): Promise<PlatformStateRow> {
    return this.read((em) => readState(em));
  }

  async close(): Promise<void> {
    await this.statistics?.settled();
    await this.gate.run(async () => {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    });
  }

  /** Creates the state row on first start: a fresh epoch and cursor key. */
  async ensureState(): Promise<void> {
    await this.gate.run(async () => {
      await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(PlatformStateEntity)
        .values({
          id: STATE_ID,
          headSeq: 0,
          epoch: uuidv7(),
          epochHeadSeqs: '',
          epochHeadAt: null,
          cursorKey: randomBytes(32).toString('hex'),
          purgeHorizonSeq: 0,
          maintenance: false,
          maintenanceRetryAfter: 0,
          catalogVersion: 0,
          adminUnitsVersion: 0,
          createdAt: new Date().toISOString(),
        })
        .orIgnore()
        .updateEntity(false)
        .execute();
    });
  }
}

/** Hands out head + 1, head + 2, ... */
function counterFrom(state: PlatformStateRow): SeqCounter {
  const start = state.headSeq;
  let head = start;
  return {
    start,
    epochHeadSeqs: parseEpochHeadSeqs(state.epochHeadSeqs),
    catalogVersion: state.catalogVersion,
    adminUnitsVersion: state.adminUnitsVersion,
    next: () => (head += 1),
    get head() {
      return head;
    },
  };
}

const NO_COUNTER: SeqCounter = {
  start: 0,
  head: 0,
  epochHeadSeqs: [],
  catalogVersion: 0,
  adminUnitsVersion: 0,
  next: () => {
    throw new Error('this write was not opened with { sequenced: true }');
  },
};

export async function readState(em: EntityManager): Promise<PlatformStateRow> {
  const state = await em.getRepository(PlatformStateEntity).findOneBy({ id: STATE_ID });
  if (!state) throw new Error('platform_state row missing: the store was not initialised');
  return state;
}

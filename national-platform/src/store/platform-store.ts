import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { createDataSource, driverOf, type StoreDriver } from './data-source.js';
import { PlatformStateEntity, type PlatformStateRow } from './entities/platform-state.js';
import { Gate, OPEN_GATE } from './gate.js';

/** Hands out seq numbers inside a sequenced write; they are stored as the head on commit. */
export interface SeqCounter {
  /** The head when the transaction took the lock. */
  readonly start: number;
  next(): number;
  /** The last seq handed out (or `start`). */
  readonly head: number;
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
  /** Runs `work` in one write transaction; all or nothing. */
  write<T>(work: (em: EntityManager, seq: SeqCounter) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** The platform_state row as committed now. */
  state(): Promise<PlatformStateRow>;
  close(): Promise<void>;
}

const STATE_ID = 1;

/** Opens (creating and migrating when needed) the platform store at a SQLite path or a postgres:// URL. */
export async function openPlatformStore(dbUrlOrPath: string): Promise<PlatformStore> {
  const driver = driverOf(dbUrlOrPath);
  const target = driver === 'sqlite' && dbUrlOrPath !== ':memory:' ? resolve(dbUrlOrPath) : dbUrlOrPath;
  if (driver === 'sqlite' && target !== ':memory:') mkdirSync(dirname(target), { recursive: true });
  const dataSource = createDataSource(target);
  await dataSource.initialize();
  const store = new TypeOrmPlatformStore(driver, dataSource);
  await store.ensureState();
  return store;
}

class TypeOrmPlatformStore implements PlatformStore {
  private readonly gate;

  constructor(
    readonly driver: StoreDriver,
    readonly dataSource: DataSource,
  ) {
    this.gate = driver === 'sqlite' ? new Gate() : OPEN_GATE;
  }

  read<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.gate.run(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        // SQLite (WAL) gives a deferred transaction a snapshot; PostgreSQL needs REPEATABLE READ for one.
        await runner.startTransaction(this.driver === 'postgres' ? 'REPEATABLE READ' : undefined);
        try {
          const out = await work(runner.manager);
          await runner.commitTransaction();
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

  write<T>(work: (em: EntityManager, seq: SeqCounter) => Promise<T>, options: WriteOptions = {}): Promise<T> {
    return this.gate.run(async () => {
      const runner = this.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        try {
          const em = runner.manager;
          const lock = options.sequenced === true || this.driver === 'sqlite';
          // A write as the first statement takes the row lock on PostgreSQL and makes
          // SQLite take its write lock now instead of upgrading a read lock later
          // (an upgrade can fail with SQLITE_BUSY when another process writes).
          if (lock) await em.createQueryBuilder().update(PlatformStateEntity).set({ id: STATE_ID }).where('id = :id', { id: STATE_ID }).execute();
          const counter = options.sequenced ? await this.counter(em) : NO_COUNTER;
          const out = await work(em, counter);
          if (options.sequenced && counter.head !== counter.start) {
            await em.createQueryBuilder().update(PlatformStateEntity).set({ headSeq: counter.head }).where('id = :id', { id: STATE_ID }).execute();
          }
          await runner.commitTransaction();
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

  async state(): Promise<PlatformStateRow> {
    return this.read((em) => readState(em));
  }

  async close(): Promise<void> {
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
          cursorKey: randomBytes(32).toString('hex'),
          purgeHorizonSeq: 0,
          maintenance: false,
          maintenanceRetryAfter: 0,
          createdAt: new Date().toISOString(),
        })
        .orIgnore()
        .updateEntity(false)
        .execute();
    });
  }

  private async counter(em: EntityManager): Promise<SeqCounter> {
    const state = await readState(em);
    let head = state.headSeq;
    return {
      start: state.headSeq,
      next: () => (head += 1),
      get head() {
        return head;
      },
    };
  }
}

const NO_COUNTER: SeqCounter = {
  start: 0,
  head: 0,
  next: () => {
    throw new Error('this write was not opened with { sequenced: true }');
  },
};

export async function readState(em: EntityManager): Promise<PlatformStateRow> {
  const state = await em.getRepository(PlatformStateEntity).findOneBy({ id: STATE_ID });
  if (!state) throw new Error('platform_state row missing: the store was not initialised');
  return state;
}

import sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { InitialPostgres1764100000000 } from './migrations/postgres/1764100000000-initial.js';
import { InitialSqlite1764100000000 } from './migrations/sqlite/1764100000000-initial.js';
import { SignedRequestsPostgres1764200000000 } from './migrations/postgres/1764200000000-signed-requests.js';
import { SignedRequestsSqlite1764200000000 } from './migrations/sqlite/1764200000000-signed-requests.js';
import { ScopeHistoryLeftPostgres1764300000000 } from './migrations/postgres/1764300000000-scope-history-left.js';
import { ScopeHistoryLeftSqlite1764300000000 } from './migrations/sqlite/1764300000000-scope-history-left.js';
import { TokenRevocationPostgres1764400000000 } from './migrations/postgres/1764400000000-token-revocation.js';
import { TokenRevocationSqlite1764400000000 } from './migrations/sqlite/1764400000000-token-revocation.js';
import { EpochHeadSeqsPostgres1764500000000 } from './migrations/postgres/1764500000000-epoch-head-seqs.js';
import { EpochHeadSeqsSqlite1764500000000 } from './migrations/sqlite/1764500000000-epoch-head-seqs.js';
import { EpochHeadAtPostgres1764600000000 } from './migrations/postgres/1764600000000-epoch-head-at.js';
import { EpochHeadAtSqlite1764600000000 } from './migrations/sqlite/1764600000000-epoch-head-at.js';
import { RecordsUpdatedAtPostgres1764700000000 } from './migrations/postgres/1764700000000-records-updated-at.js';
import { RecordsUpdatedAtSqlite1764700000000 } from './migrations/sqlite/1764700000000-records-updated-at.js';
import { AgentsLastSeenPostgres1764800000000 } from './migrations/postgres/1764800000000-agents-last-seen.js';
import { AgentsLastSeenSqlite1764800000000 } from './migrations/sqlite/1764800000000-agents-last-seen.js';
import { DatasetVersionsPostgres1764900000000 } from './migrations/postgres/1764900000000-dataset-versions.js';
import { DatasetVersionsSqlite1764900000000 } from './migrations/sqlite/1764900000000-dataset-versions.js';
import { AdminUnitsVersionPostgres1765000000000 } from './migrations/postgres/1765000000000-admin-units-version.js';
import { AdminUnitsVersionSqlite1765000000000 } from './migrations/sqlite/1765000000000-admin-units-version.js';

export type StoreDriver = 'sqlite' | 'postgres';

/** A `postgres://` (or `postgresql://`) URL selects PostgreSQL; anything else is a SQLite file path. */
export function driverOf(dbUrlOrPath: string): StoreDriver {
  return /^postgres(ql)?:\/\//i.test(dbUrlOrPath) ? 'postgres' : 'sqlite';
}

/**
 * The same entities on both drivers, each with its own explicit migrations,
 * run on start. Never `synchronize`: the schema changes only through migrations.
 */
export function createDataSource(dbUrlOrPath: string): DataSource {
  if (driverOf(dbUrlOrPath) === 'postgres') {
    return new DataSource({
      type: 'postgres',
      url: dbUrlOrPath,
      entities: ENTITIES,
      migrations: [InitialPostgres1764100000000, SignedRequestsPostgres1764200000000, ScopeHistoryLeftPostgres1764300000000, TokenRevocationPostgres1764400000000, EpochHeadSeqsPostgres1764500000000, EpochHeadAtPostgres1764600000000, RecordsUpdatedAtPostgres1764700000000, AgentsLastSeenPostgres1764800000000, DatasetVersionsPostgres1764900000000, AdminUnitsVersionPostgres1765000000000],
      migrationsRun: true,
      migrationsTableName: 'platform_migrations',
      synchronize: false,
      logging: false,
      extra: { max: 10 },
    });
  }
  return new DataSource({
    type: 'sqlite',
    database: dbUrlOrPath,
    driver: quietSqlite3,
    entities: ENTITIES,
    migrations: [InitialSqlite1764100000000, SignedRequestsSqlite1764200000000, ScopeHistoryLeftSqlite1764300000000, TokenRevocationSqlite1764400000000, EpochHeadSeqsSqlite1764500000000, EpochHeadAtSqlite1764600000000, RecordsUpdatedAtSqlite1764700000000, AgentsLastSeenSqlite1764800000000, DatasetVersionsSqlite1764900000000, AdminUnitsVersionSqlite1765000000000],
    migrationsRun: true,
    migrationsTableName: 'platform_migrations',
    synchronize: false,
    logging: false,
    enableWAL: true,
    // Another process (the CLI while `serve` runs) may hold the write lock briefly.
    busyTimeout: 10_000,
  });
}

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every Database and Statement
 * call to capture a stack trace (sqlite3/lib/trace.js shows in every profile of
 * the platform). The same module, minus that switch; the agent store does the same.
 */
const quietSqlite3 = { ...sqlite3, verbose: () => sqlite3 };

/**
 * SQLite durability, set on the one connection after it opens. `synchronous`
 * stays FULL (SQLite's default, stated here on purpose): with WAL, every commit
 * syncs the log, so a push the platform answered `applied` survives a power cut;
 * the agent marks that change settled on the answer and never sends it again,
 * so a lost commit would be a silent loss. NORMAL would only risk the last
 * commits before a power cut (not a process crash), but those are exactly the
 * answered pushes. FULL costs one fsync (~4 ms here) per commit, and after the
 * nonce batching (services/nonce-registry.ts) the only commits left on the
 * request path are pushes and a nonce flush every few hundred milliseconds:
 * reads commit nothing.
 */
export const SQLITE_PRAGMAS = ['PRAGMA synchronous = FULL'];

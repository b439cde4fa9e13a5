import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { InitialPostgres1764100000000 } from './migrations/postgres/1764100000000-initial.js';
import { InitialSqlite1764100000000 } from './migrations/sqlite/1764100000000-initial.js';

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
      migrations: [InitialPostgres1764100000000],
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
    entities: ENTITIES,
    migrations: [InitialSqlite1764100000000],
    migrationsRun: true,
    migrationsTableName: 'platform_migrations',
    synchronize: false,
    logging: false,
    enableWAL: true,
    // Another process (the CLI while `serve` runs) may hold the write lock briefly.
    busyTimeout: 10_000,
  });
}

import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createDataSource, driverOf } from '../../national-platform/src/store/data-source.js';
import { openPlatformStore } from '../../national-platform/src/store/platform-store.js';
import { platformCli as cli } from '../support/platform-cli.js';
import { describeOnEachStore } from '../support/platform-harness.js';

/** Whether `db` holds any table: a SQLite file that exists, a PostgreSQL database with tables. */
async function holdsTables(db: string): Promise<boolean> {
  if (driverOf(db) === 'sqlite') return existsSync(db);
  const ds = createDataSource(db);
  ds.setOptions({ migrationsRun: false });
  await ds.initialize();
  try {
    const rows = (await ds.query(`SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`)) as { n: string }[];
    return Number(rows[0]?.n) > 0;
  } finally {
    await ds.destroy();
  }
}

describeOnEachStore('cli: the platform database --db names', (env) => {
  test('commands that only use a platform refuse a --db holding none and make nothing there; sites add makes it', async () => {
    const db = await env.newDb();
    for (const args of [['status'], ['agents', 'list'], ['tokens', 'create', '--site', 'HN-01'], ['serve', '--port', '0']]) {
      const refused = await cli(db, args);
      assert.equal(refused.code, 1, args.join(' '));
      assert.match(refused.err, /^error: there is no platform database at .*: check --db .*"sites add" or "seed --demo"\n$/, args.join(' '));
      assert.equal(refused.out, '', args.join(' '));
      assert.equal(await holdsTables(db), false, `${args.join(' ')} made a database`);
    }
    const added = await cli(db, ['sites', 'add', 'HN-01', '--province', '01', '--name', 'Hà Nội']);
    assert.equal(added.code, 0, added.err);
    const status = await cli(db, ['status', '--json']);
    assert.equal(status.code, 0, status.err);
    assert.equal((JSON.parse(status.out) as { headSeq: number }).headSeq, 0);
  });

  test('a database a newer build upgraded: every command refuses it in one sentence, exit 1', async () => {
    const db = await env.newDb();
    await (await openPlatformStore(db)).close();
    const ds = createDataSource(db);
    ds.setOptions({ migrationsRun: false });
    await ds.initialize();
    await ds.query(`INSERT INTO platform_migrations (timestamp, name) VALUES (1799999999999, 'FutureChange1799999999999')`);
    await ds.destroy();
    for (const args of [['status'], ['sites', 'add', 'HN-01', '--province', '01', '--name', 'Hà Nội'], ['serve', '--port', '0']]) {
      const refused = await cli(db, args);
      assert.equal(refused.code, 1, args.join(' '));
      assert.match(refused.err, /^error: this platform database was upgraded by a newer build .*FutureChange1799999999999.*nothing was changed/, args.join(' '));
    }
  });

  test('agents list --site with a code no site has is refused, not listed as no agents', async () => {
    const p = await env.start();
    await p.agent('HN-01');
    const wrong = await cli(p.db, ['agents', 'list', '--site', 'hn-01']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.err, 'error: no site with code hn-01 (not_found)\n');
    const right = await cli(p.db, ['agents', 'list', '--site', 'HN-01', '--json']);
    assert.equal((JSON.parse(right.out) as unknown[]).length, 1);
  });
});

test('a SQLite --db that exists but holds no platform (an empty file, another program\'s database) is refused and left as it was', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'platform-db-'));
  try {
    // `sqlite3 platform.sqlite ".backup …"` run beside national-platform.sqlite makes an empty file and an empty backup.
    const empty = join(dir, 'platform.sqlite');
    writeFileSync(empty, '');
    const other = join(dir, 'other.sqlite');
    const store = createDataSource(other);
    store.setOptions({ migrationsRun: false });
    await store.initialize();
    await store.query('CREATE TABLE notes (id integer PRIMARY KEY, text varchar)');
    await store.destroy();
    for (const db of [empty, other]) {
      const before = readFileSync(db);
      for (const args of [['status'], ['agents', 'list'], ['serve', '--port', '0']]) {
        const refused = await cli(db, args);
        assert.equal(refused.code, 1, `${db} ${args.join(' ')}`);
        assert.equal(refused.err, `error: there is no platform database at ${db}: check --db (the default is ./national-platform.sqlite in the current folder); a new one is made only by "sites add" or "seed --demo"\n`);
      }
      assert.deepEqual(readFileSync(db), before, `${db} was changed`);
    }
    // Nothing made beside the empty file (a reader of a WAL database, as other.sqlite is, may leave SQLite's empty -wal and -shm).
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('platform.sqlite')), ['platform.sqlite']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import sqlite3 from 'sqlite3';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { startPlatform } from '../../national-platform/src/index.js';
import { createBackup } from '../../sync-engine/src/ops/backup.js';
import { createAgentService, type AgentService } from '../../sync-engine/src/index.js';
import { AGENT_DB_FILE, openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { ENTITIES } from '../../sync-engine/src/store/entities.js';
import { migrateStore, StoreNewerError } from '../../sync-engine/src/store/migrate.js';
import { MIGRATIONS } from '../../sync-engine/src/store/migrations/index.js';
import { ok, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

// A data folder and a backup made by an OLDER BUILD of the agent (commit in expected.json, store migrations
// 0001-0004), with the reference platform it synced with: fixtures/old-build-0004/README.md says how they were made.
const FIXTURE = resolve(import.meta.dirname, 'fixtures/old-build-0004');
const OLD_BACKUP = join(FIXTURE, 'old-backup.tar.gz');
const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8'));
const DS = 'civil-status-births';
const ROOT = resolve(import.meta.dirname, '../..');

const temp = new TempDirs();
after(() => temp.cleanup());

/** The old build's data folder, as it left it, in a temp folder; with the platform's database beside it. */
function oldFolder(): { dataDir: string; platformDb: string } {
  const root = temp.make('old-build-');
  const dataDir = join(root, 'agent');
  mkdirSync(dataDir, { mode: 0o700 });
  writeFileSync(join(dataDir, AGENT_DB_FILE), gunzipSync(readFileSync(join(FIXTURE, 'agent.sqlite.gz'))), { mode: 0o600 });
  // As the agent keeps its private key (a checkout gives the fixture's copy the usual 0644).
  copyFileSync(join(FIXTURE, 'agent-key.pem'), join(dataDir, 'agent-key.pem'));
  chmodSync(join(dataDir, 'agent-key.pem'), 0o600);
  copyFileSync(join(FIXTURE, 'agent-key.pub.pem'), join(dataDir, 'agent-key.pub.pem'));
  const platformDb = join(root, 'platform.sqlite');
  writeFileSync(platformDb, gunzipSync(readFileSync(join(FIXTURE, 'platform.sqlite.gz'))));
  return { dataDir, platformDb };
}

/** What a data file holds, read with a plain SQLite connection: its schema, the migrations run, and its rows that matter. */
async function fileState(file: string): Promise<Record<string, unknown>> {
  const db = await new Promise<sqlite3.Database>((done, fail) => {
    const opened = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => (error ? fail(error) : done(opened)));
  });
  const all = (sql: string) => new Promise<unknown[]>((done, fail) => db.all(sql, (error, rows) => (error ? fail(error) : done(rows))));
  try {
    return {
      schema: await all(`SELECT "type", "name", "tbl_name", "sql" FROM "sqlite_master" WHERE "name" <> 'sqlite_sequence' ORDER BY "type", "name"`),
      migrations: await all(`SELECT "id", "timestamp", "name" FROM "schema_migrations" ORDER BY "id"`),
      outbox: await all(`SELECT * FROM "outbox" ORDER BY "seq"`),
      conflicts: await all(`SELECT * FROM "conflicts" ORDER BY "id"`),
      audit: await all(`SELECT * FROM "audit_log" ORDER BY "seq"`),
      settings: await all(`SELECT * FROM "settings" ORDER BY "key"`),
      credentials: await all(`SELECT * FROM "credentials" ORDER BY "key"`),
    };
  } finally {
    await new Promise<void>((done) => db.close(() => done()));
  }
}

/** The schema (sqlite_master) and migrations of the store in `dataDir`, opened by this build. */
async function schemaOf(dataDir: string): Promise<unknown> {
  const store = await openAgentStore(dataDir);
  try {
    return {
      schema: await store.sql.all(`SELECT "type", "name", "tbl_name", "sql" FROM "sqlite_master" WHERE "name" <> 'sqlite_sequence' ORDER BY "type", "name"`),
      migrations: await store.sql.all(`SELECT "id", "timestamp", "name" FROM "schema_migrations" ORDER BY "id"`),
    };
  } finally {
    await store.close();
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** The old build's views, compared with what this build's AgentApi shows of the same folder. */
async function assertAsTheOldBuildLeftIt(agent: AgentService): Promise<void> {
  assert.deepEqual(await ok(agent, 'settings.get', {}), expected.settings, 'settings');
  const status = await ok(agent, 'status.get', {});
  assert.deepEqual({ enrollment: status.enrollment, outbox: status.outbox, rejected: status.rejected, openConflicts: status.openConflicts }, expected.status);
  assert.deepEqual(
    (await ok(agent, 'outbox.list', {})).items.map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: e.status, recordId: e.recordId })),
    expected.outbox,
    'the outbox: every entry, with its mutation id and status (one in flight, one held back, two queued)',
  );
  assert.deepEqual(
    (await ok(agent, 'conflicts.list', {})).items.map((c) => ({ id: c.id, recordId: c.recordId, kind: c.kind })),
    expected.open,
  );
  const resolved = (await ok(agent, 'conflicts.list', { status: 'resolved' })).items;
  assert.deepEqual(
    resolved.map((c) => ({ id: c.id, recordId: c.recordId })),
    expected.resolved,
  );
  // Settled by the old build: this build still says when, by whom and which side.
  assert.deepEqual(resolved.map((c) => [c.settled?.by, c.settled?.choice]).sort(), [
    [expected.user, 'local'],
    [expected.user, 'national'],
  ]);
  assert.deepEqual(
    (await ok(agent, 'records.list', { dataset: DS })).items.map((r) => ({ id: r.id, state: r.state, rev: r.rev })),
    expected.records,
  );
  assert.deepEqual(await ok(agent, 'audit.verify', {}), expected.audit, 'the audit chain the old build wrote verifies');
}

describe('upgrading a data folder an older build made (store migrations 0001-0004)', () => {
  test('this build opens it with nothing lost (settings, enrollment, outbox, conflicts, records, audit chain as the old build showed them), and its schema is then a new store\'s', async () => {
    const { dataDir } = oldFolder();
    const status = await cli(dataDir, ['--lang', 'en', 'status', '--json']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.json.enrollment, 'active');
    assert.deepEqual(status.json.outbox, expected.status.outbox);
    const agent = await createAgentService({ dataDir, onError: () => undefined });
    try {
      await assertAsTheOldBuildLeftIt(agent);
    } finally {
      await agent.close();
    }
    assert.deepEqual(await schemaOf(dataDir), await schemaOf(temp.make('new-store-')), 'sqlite_master and schema_migrations as in a store this build creates');
  });

  test('its outbox goes up once: the change whose answer was lost is applied once, the others go up, the held-back one on retry; its open conflict settles; the audit chain still verifies', async () => {
    const { dataDir, platformDb } = oldFolder();
    const platform = await startPlatform({ db: platformDb, rateLimit: false, log: () => undefined });
    const agent = await createAgentService({ dataDir, onError: () => undefined, user: 'new-build-clerk' });
    try {
      // The platform runs at another address than when the fixture was made.
      await ok(agent, 'settings.update', { platformUrl: platform.url });
      const first = await ok(agent, 'sync.now', {});
      assert.equal(first.run?.status, 'ok', JSON.stringify(first.run?.error));
      assert.equal(first.run?.pushed, 3, 'the change in flight, the new record and the edit');
      // The office's scope widened again, the held-back change is retried; the open conflict keeps this office's side.
      await platform.admin.setSiteScope(expected.site, { provinceCode: '01', communeCodes: expected.communes });
      assert.deepEqual(await ok(agent, 'outbox.retry', {}), { retried: 1, kept: [] });
      const [open] = (await ok(agent, 'conflicts.list', {})).items;
      assert.equal(open?.id, expected.open[0].id);
      assert.deepEqual(await ok(agent, 'conflicts.resolve', { id: open!.id, take: 'local' }), { id: open!.id, recordState: 'waiting', sent: true });
      const second = await ok(agent, 'sync.now', {});
      assert.equal(second.run?.status, 'ok', JSON.stringify(second.run?.error));
      assert.equal(second.run?.pushed, 2);
      await ok(agent, 'sync.now', {});

      const status = await ok(agent, 'status.get', {});
      assert.deepEqual([status.outbox.depth, status.outbox.quarantined, status.rejected, status.openConflicts], [0, 0, 0, 0]);
      assert.ok(status.datasets.every((d) => d.digest === 'match'), JSON.stringify(status.datasets.map((d) => [d.dataset, d.digest])));
      const national = await platform.admin.listRecords(DS, { province: '01', limit: 1000 });
      for (const id of [expected.ids.lost, expected.ids.pending, expected.ids.refused]) {
        const copies = national.filter((r) => r.id === id && !r.deleted);
        assert.equal(copies.length, 1, `${id} once on the platform`);
        assert.equal(copies[0]?.rev, 1, `${id} applied once`);
      }
      assert.equal(national.find((r) => r.id === expected.ids.national[0])?.data?.['registrar'], 'Cán bộ xã', 'the conflict settled with this office\'s side');
      const audit = await ok(agent, 'audit.verify', {});
      assert.equal(audit.ok, true);
      assert.ok(audit.events > expected.audit.events);
    } finally {
      await agent.close();
      await platform.close();
    }
  });

  test('a backup the older build made verifies and restores, into an empty folder and over a folder this build uses, and shows what the old build had', async () => {
    assert.equal((await cli(temp.make('verify-'), ['--lang', 'en', 'verify-backup', OLD_BACKUP])).code, 0);
    const used = oldFolder().dataDir;
    await (await createAgentService({ dataDir: used, onError: () => undefined })).close();
    for (const dataDir of [join(temp.make('restore-'), 'agent'), used]) {
      const restored = await cli(dataDir, ['--lang', 'en', 'restore', OLD_BACKUP]);
      assert.equal(restored.code, 0, restored.stderr);
      const agent = await createAgentService({ dataDir, onError: () => undefined });
      try {
        const status = await ok(agent, 'status.get', {});
        assert.deepEqual({ enrollment: status.enrollment, outbox: status.outbox, rejected: status.rejected, openConflicts: status.openConflicts }, expected.status);
        assert.equal((await ok(agent, 'audit.verify', {})).ok, true);
      } finally {
        await agent.close();
      }
      assert.deepEqual(await schemaOf(dataDir), await schemaOf(temp.make('new-store-')));
    }
  });
});

/** A migration some newer build has and this one does not. */
const NEWER = 'FutureChange1799999999999';

/** `dataDir`'s store as a newer build leaves it: one more migration run, one more column. */
async function upgradedByANewerBuild(dataDir: string): Promise<void> {
  const store = await openAgentStore(dataDir);
  await store.transaction(async (tx) => {
    await tx.run(`ALTER TABLE "outbox" ADD COLUMN "future" TEXT NOT NULL DEFAULT 'x'`);
    await tx.run(`INSERT INTO "schema_migrations" ("timestamp", "name") VALUES (1799999999999, '${NEWER}')`);
  });
  await store.close();
}

describe('a data folder a newer build upgraded', () => {
  test('is refused by every way in, in Vietnamese and English, saying what to do, and the file is left as it was', async () => {
    const { dataDir } = oldFolder();
    await upgradedByANewerBuild(dataDir);
    const file = join(dataDir, AGENT_DB_FILE);
    const before = sha256(file);
    const state = await fileState(file);

    const vi = await cli(dataDir, ['status']);
    assert.equal(vi.code, 4, vi.stderr);
    assert.match(vi.stderr, /đã được một phiên bản mới hơn của tác tử nâng cấp/);
    assert.match(vi.stderr, new RegExp(NEWER));
    assert.match(vi.stderr, /không thay đổi gì/);
    assert.match(vi.stderr, /restore <tệp sao lưu>/);
    for (const args of [['status'], ['sync'], ['outbox', 'list'], ['doctor']]) {
      const en = await cli(dataDir, ['--lang', 'en', ...args]);
      assert.equal(en.code, 4, `${args.join(' ')}: ${en.stdout}${en.stderr}`);
      assert.match(en.stdout + en.stderr, /was upgraded by a newer version of the agent \(schema changes this version does not know: FutureChange1799999999999\)\. This version does not open it and changed nothing in it\./, args.join(' '));
      assert.doesNotMatch(en.stderr, /\n\s+at |StoreNewerError/);
    }
    // backup copies the file, but its audit event cannot be written there: refused in the same words, no copy kept.
    const copy = join(temp.make('newer-copy-'), 'copy.tar.gz');
    const backup = await cli(dataDir, ['--lang', 'en', 'backup', copy]);
    assert.equal(backup.code, 4, backup.stderr);
    assert.match(backup.stderr, /was upgraded by a newer version of the agent \(schema changes this version does not know: FutureChange1799999999999\)\. This version does not open it and changed nothing in it\./);
    assert.match(backup.stderr, /No backup was kept/);
    assert.ok(!existsSync(copy), 'no backup kept');
    await assert.rejects(createAgentService({ dataDir, onError: () => undefined }), (error: unknown) => {
      assert.ok(error instanceof StoreNewerError);
      assert.deepEqual(error.migrations, [NEWER]);
      assert.match(error.messages.vi, /phiên bản mới hơn/);
      assert.match(error.messages.en, /newer version/);
      return true;
    });
    assert.equal(sha256(file), before, 'the data file is byte for byte as it was');
    assert.deepEqual(await fileState(file), state);

    // The way out it names: a backup this (or an older) build made restores over it.
    const restored = await cli(dataDir, ['--lang', 'en', 'restore', OLD_BACKUP]);
    assert.equal(restored.code, 0, restored.stderr);
    const agent = await createAgentService({ dataDir, onError: () => undefined });
    assert.deepEqual((await ok(agent, 'status.get', {})).outbox, expected.status.outbox);
    await agent.close();
    const kept = readdirSync(dataDir).find((name) => name.startsWith('pre-restore-'));
    assert.ok(kept && sha256(join(dataDir, kept, AGENT_DB_FILE)) === before, 'the newer store is kept, unchanged, in pre-restore-<time>');
  });

  test('its backup is refused by verify-backup and restore, which change nothing', async () => {
    const newer = oldFolder().dataDir;
    await upgradedByANewerBuild(newer);
    const backup = join(temp.make('newer-backup-'), 'newer.tar.gz');
    await createBackup(newer, backup, { now: Date.now, agentVersion: '9.9.9' });

    const verify = await cli(temp.make('verify-'), ['--lang', 'en', 'verify-backup', backup]);
    assert.equal(verify.code, 1);
    assert.match(verify.stderr, /This backup was made by a newer version of the agent \(schema changes this version does not know: FutureChange1799999999999\): this version cannot use it\./);
    const { dataDir } = oldFolder();
    const before = sha256(join(dataDir, AGENT_DB_FILE));
    const restore = await cli(dataDir, ['restore', backup]);
    assert.equal(restore.code, 1);
    assert.match(restore.stderr, /Bản sao lưu này do một phiên bản mới hơn của tác tử tạo/);
    assert.match(restore.stderr, /không có gì bị thay đổi/);
    assert.equal(sha256(join(dataDir, AGENT_DB_FILE)), before);
    assert.deepEqual(readdirSync(dataDir).sort(), ['agent-key.pem', 'agent-key.pub.pem', AGENT_DB_FILE]);
  });
});

describe('an upgrade that does not finish', () => {
  test('a migration that fails leaves the store as the older build left it (none of the upgrade\'s migrations kept), and the next open upgrades it', async () => {
    const { dataDir } = oldFolder();
    const file = join(dataDir, AGENT_DB_FILE);
    const before = await fileState(file);
    class Failing1799999999999 implements MigrationInterface {
      name = 'Failing1799999999999';
      async up(q: QueryRunner): Promise<void> {
        await q.query('CREATE TABLE "half_way" ("id" INTEGER PRIMARY KEY)');
        throw new Error('disk full (injected)');
      }
      async down(): Promise<void> {}
    }
    await assert.rejects(openAgentStore(dataDir, { migrations: [...MIGRATIONS, Failing1799999999999] }), /disk full \(injected\)/);
    assert.deepEqual(await fileState(file), before, 'migration 0005 is not kept either');
    assert.deepEqual(await schemaOf(dataDir), await schemaOf(temp.make('new-store-')));
  });

  test('a process killed in the middle of an upgrade leaves the store as the older build left it', async () => {
    const { dataDir } = oldFolder();
    const file = join(dataDir, AGENT_DB_FILE);
    const before = await fileState(file);
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/ops/support/migrate-child.ts'), dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('migrating')) done();
      });
      child.on('exit', (code) => fail(new Error(`the child exited (${code}) before migrating: ${err}`)));
    });
    child.kill('SIGKILL');
    await exited;
    assert.ok(existsSync(`${file}-wal`), 'the upgrade had written to the log when it was killed');
    assert.deepEqual(await fileState(file), before);
    assert.deepEqual(await schemaOf(dataDir), await schemaOf(temp.make('new-store-')));
  });

  test('a data file whose creation was cut short (no table yet) is no obstacle: restore puts a backup in its place', async () => {
    const dataDir = temp.make('cut-short-');
    writeFileSync(join(dataDir, AGENT_DB_FILE), '');
    const restored = await cli(dataDir, ['--lang', 'en', 'restore', OLD_BACKUP]);
    assert.equal(restored.code, 0, restored.stderr);
    const agent = await createAgentService({ dataDir, onError: () => undefined });
    assert.deepEqual((await ok(agent, 'status.get', {})).outbox, expected.status.outbox);
    await agent.close();
  });

  test('two processes opening an old store at once run each migration once: the second finds it run when it gets the write lock', async () => {
    const { dataDir } = oldFolder();
    const file = join(dataDir, AGENT_DB_FILE);
    const dataSource = new DataSource({ type: 'sqlite', database: file, entities: ENTITIES, enableWAL: true, busyTimeout: 5000, logging: false });
    await dataSource.initialize();
    try {
      // Once this process has seen the upgrade's migrations pending, as it begins its transaction, another one opens the folder and runs them first.
      const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
      let otherProcess = false;
      dataSource.createQueryRunner = (...args) => {
        const runner = createQueryRunner(...args);
        const query = runner.query.bind(runner);
        runner.query = (async (...queryArgs: Parameters<typeof query>) => {
          if (!otherProcess && /^BEGIN/.test(queryArgs[0])) {
            otherProcess = true;
            await (await openAgentStore(dataDir)).close();
          }
          return query(...queryArgs);
        }) as typeof runner.query;
        return runner;
      };
      assert.deepEqual(await migrateStore(dataSource, file), []);
      assert.ok(otherProcess, 'the other process opened the folder in between');
    } finally {
      await dataSource.destroy();
    }
    assert.deepEqual(await schemaOf(dataDir), await schemaOf(temp.make('new-store-')));
  });
});

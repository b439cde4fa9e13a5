import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../../national-platform/src/index.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { openPlatformStore } from '../../national-platform/src/store/platform-store.js';
import { COPIED_TABLES } from '../../national-platform/src/store/store-copy.js';
import type { DigestResponse, PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { MutationResult, PushResponse } from '../../sync-engine/src/protocol/push.js';
import { birthsWithEthnicity, descriptorFile } from '../support/dataset-versions.js';
import { SignedClient } from '../support/platform-client.js';
import { platformCli as cli } from '../support/platform-cli.js';
import { describeOnEachStore, upsert, type PlatformEnv } from '../support/platform-harness.js';
import { startPostgres, type RunningPostgres } from '../support/postgres.js';

const BIRTHS = 'civil-status-births';

const dirs: string[] = [];
let postgres: Promise<RunningPostgres> | null = null;
after(async () => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await (await postgres?.catch(() => null))?.stop();
});

function sqliteFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'platform-copy-'));
  dirs.push(dir);
  return join(dir, 'copy.sqlite');
}

/** A new, empty database of the other kind than the suite's: the copy crosses drivers both ways. */
async function otherDb(env: PlatformEnv): Promise<string> {
  if (env.storeName === 'PostgreSQL') return sqliteFile();
  postgres ??= startPostgres();
  return (await postgres).newDatabase();
}

function only(res: { status: number; body: PushResponse }): MutationResult {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.results[0] as MutationResult;
}

describeOnEachStore('copy: the platform moved to another database', (env) => {
  test('agents carry on against the copy with their pull position, revs and signatures; nothing resyncs', async () => {
    const p = await env.start();
    const office = await p.agent('HN-01');
    const gen = createSampleGenerator(7);
    const create = upsert(BIRTHS, gen.birth('01'));
    const created = only(await office.push<PushResponse>([create]));
    assert.equal(created.status, 'applied');
    await p.admin.putRecord(BIRTHS, gen.birth('01'));
    let page = await office.pull<PullPage>(BIRTHS);
    while (page.body.hasMore) page = await office.pull<PullPage>(BIRTHS, page.body.cursor);
    const before = await office.digest<DigestResponse>(BIRTHS);
    await p.close();

    const to = await otherDb(env);
    const copied = await cli(p.db, ['copy', '--to', to]);
    assert.equal(copied.code, 0, copied.err);
    assert.match(copied.out, /^copied the platform from .+: 1 site, 1 agent, 1 enrollment token, 2 records, 1 message log entry; epoch \S+ and head seq 2 are kept/);
    assert.match(copied.out, /From now on give --db \S+ to every command, serve included/);

    const moved = await startPlatform({ db: to, rateLimit: false, now: p.clock.now });
    try {
      const same = new SignedClient(moved.url, office.agentId, office.keys, p.clock.seconds);
      // The cursor issued by the old database is taken as it is: no 410, nothing new.
      const next = await same.pull<PullPage>(BIRTHS, page.body.cursor);
      assert.equal(next.status, 200, JSON.stringify(next.body));
      assert.deepEqual(next.body.changes, []);
      assert.equal((await same.digest<DigestResponse>(BIRTHS)).body.digest, before.body.digest);
      const edit = only(await same.push<PushResponse>([upsert(BIRTHS, { ...create.data, notes: 'sửa' }, { id: create.id, baseRev: 1 })]));
      assert.ok(edit.status === 'applied' && edit.rev === 2 && edit.seq === 3, JSON.stringify(edit));
    } finally {
      await moved.close();
    }
    // What the office signed before the move still proves itself on the copy.
    const proof = await cli(to, ['messages', 'verify', create.mutationId]);
    assert.equal(proof.code, 0, proof.err);
    assert.match(proof.out, /^verified: signed by agent /);
  });

  test('a target that holds a platform, an existing file or the same database is refused, and nothing is left behind', async () => {
    const p = await env.start();
    await p.agent('HN-01');
    await p.close();
    const taken = await otherDb(env);
    assert.equal((await cli(taken, ['sites', 'add', 'DN-01', '--province', '48', '--name', 'Đà Nẵng'])).code, 0);
    const refused = await cli(p.db, ['copy', '--to', taken]);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /already (holds a platform \(.+\)|exists); nothing was copied/);
    assert.deepEqual(JSON.parse((await cli(taken, ['sites', 'list', '--json'])).out).map((s: { code: string }) => s.code), ['DN-01']);
    const vi = await cli(p.db, ['copy', '--to', p.db], '', 'vi');
    assert.equal(vi.code, 1);
    assert.match(vi.err, /^lỗi: --to phải là một cơ sở dữ liệu khác --db/);
    if (env.storeName === 'SQLite') {
      // A half-made SQLite copy is removed: a later command must not take it for a platform.
      const file = sqliteFile();
      writeFileSync(file, '');
      assert.match((await cli(p.db, ['copy', '--to', file])).err, /already exists; nothing was copied/);
    }
  });

  test('the dataset versions the operator published go over with the copy and stay in force there', async () => {
    const p = await env.start();
    const office = await p.agent('HN-01');
    const dir = mkdtempSync(join(tmpdir(), 'platform-copy-'));
    dirs.push(dir);
    assert.equal((await cli(p.db, ['datasets', 'publish', descriptorFile(dir, birthsWithEthnicity()), '--yes'])).code, 0);
    await p.close();
    const to = await otherDb(env);
    const copied = await cli(p.db, ['copy', '--to', to]);
    assert.equal(copied.code, 0, copied.err);
    const listed = JSON.parse((await cli(to, ['datasets', 'list', '--json'])).out) as { name: string; version: number }[];
    assert.equal(listed.find((d) => d.name === BIRTHS)?.version, 2);
    const moved = await startPlatform({ db: to, rateLimit: false, now: p.clock.now });
    try {
      const same = new SignedClient(moved.url, office.agentId, office.keys, p.clock.seconds);
      const catalog = await same.catalog<{ datasets: { name: string; version: number }[] }>();
      assert.equal(catalog.body.datasets.find((d) => d.name === BIRTHS)?.version, 2);
      const gen = createSampleGenerator(8);
      assert.equal(only(await same.push<PushResponse>([upsert(BIRTHS, { ...gen.birth('01'), ethnicity: 'Tày' })])).status, 'applied');
    } finally {
      await moved.close();
    }
  });

  test('the copy knows every table of the store this build makes', async () => {
    const store = await openPlatformStore(await env.newDb());
    try {
      const sql =
        store.driver === 'sqlite'
          ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
          : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
      const tables = ((await store.dataSource.query(sql)) as { name: string }[]).map((r) => r.name).filter((t) => t !== 'platform_migrations');
      assert.deepEqual(tables.sort(), COPIED_TABLES.map((c) => c.table).sort());
    } finally {
      await store.close();
    }
  });
});

test('a copy to a SQLite file that fails removes the file', async () => {
  const from = sqliteFile();
  assert.equal((await cli(from, ['sites', 'add', 'HN-01', '--province', '01', '--name', 'Hà Nội'])).code, 0);
  // A table this build does not know stops the copy after the target file was made.
  const store = await openPlatformStore(from);
  await store.dataSource.query('CREATE TABLE operator_notes (id integer PRIMARY KEY)');
  await store.close();
  const to = sqliteFile();
  const failed = await cli(from, ['copy', '--to', to]);
  assert.equal(failed.code, 1);
  assert.match(failed.err, /holds tables this build cannot copy: operator_notes; nothing was copied/);
  assert.equal(existsSync(to), false);
});

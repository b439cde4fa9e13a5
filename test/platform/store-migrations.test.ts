import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readMessageLog } from '../../national-platform/src/services/message-log.js';
import { checkProof } from '../../national-platform/src/services/proof.js';
import { createDataSource, driverOf } from '../../national-platform/src/store/data-source.js';
import { InitialPostgres1764100000000 } from '../../national-platform/src/store/migrations/postgres/1764100000000-initial.js';
import { InitialSqlite1764100000000 } from '../../national-platform/src/store/migrations/sqlite/1764100000000-initial.js';
import { SignedRequestsPostgres1764200000000 } from '../../national-platform/src/store/migrations/postgres/1764200000000-signed-requests.js';
import { SignedRequestsSqlite1764200000000 } from '../../national-platform/src/store/migrations/sqlite/1764200000000-signed-requests.js';
import { createPlatformAdmin } from '../../national-platform/src/services/admin.js';
import { openPlatformStore } from '../../national-platform/src/store/platform-store.js';
import { NewerPlatformStoreError } from '../../national-platform/src/store/schema-version.js';
import { birthsWithEthnicity } from '../support/dataset-versions.js';
import { describeOnEachStore } from '../support/platform-harness.js';

const OLD_ROW = {
  mutation_id: '0190a000-0000-7000-8000-000000000001',
  agent_id: '0190a000-0000-7000-8000-0000000000aa',
  site_code: 'HN-01',
  dataset: 'civil-status-births',
  record_id: '0190a000-0000-7000-8000-0000000000bb',
  seq: 7,
  rev: 2,
  signature: 'sig1=:c2lnbmF0dXJl:',
  signature_input: 'sig1=("@method" "@target-uri" "content-digest");created=1;keyid="k";alg="ed25519";nonce="n"',
  content_digest: 'sha-256=:ZGlnZXN0:',
  mutation: '{"mutationId":"0190a000-0000-7000-8000-000000000001","op":"upsert"}',
  received_at: '2025-11-20T08:00:00.000Z',
};

describeOnEachStore('platform store migrations', (env) => {
  test('message log entries written before signed requests were kept read back unchanged after the migration', async () => {
    const db = await env.newDb();
    // The store as the first release left it: only the initial migration, one logged mutation.
    const first = createDataSource(db);
    first.setOptions({ migrations: [driverOf(db) === 'postgres' ? InitialPostgres1764100000000 : InitialSqlite1764100000000] });
    await first.initialize();
    const columns = Object.keys(OLD_ROW);
    const marks = columns.map((_, i) => (driverOf(db) === 'postgres' ? `$${i + 1}` : '?')).join(', ');
    await first.query(`INSERT INTO message_log (${columns.join(', ')}) VALUES (${marks})`, Object.values(OLD_ROW));
    await first.destroy();

    const store = await openPlatformStore(db);
    try {
      const [entry, ...rest] = await readMessageLog(store);
      assert.equal(rest.length, 0);
      assert.deepEqual(entry, {
        mutationId: OLD_ROW.mutation_id,
        agentId: OLD_ROW.agent_id,
        siteCode: OLD_ROW.site_code,
        dataset: OLD_ROW.dataset,
        recordId: OLD_ROW.record_id,
        seq: OLD_ROW.seq,
        rev: OLD_ROW.rev,
        signature: OLD_ROW.signature,
        signatureInput: OLD_ROW.signature_input,
        contentDigest: OLD_ROW.content_digest,
        mutation: OLD_ROW.mutation,
        receivedAt: OLD_ROW.received_at,
        requestId: null,
      });
      assert.deepEqual(await readMessageLog(store, { recordId: OLD_ROW.record_id }), [entry], 'found through the record index');
      // No target URI or signed body was kept for it: its proof cannot be checked again.
      assert.equal((await checkProof(store, OLD_ROW.mutation_id)).status, 'unverifiable');
    } finally {
      await store.close();
    }
  });

  test('scope history rows of places a record has left get its current seq as left_seq; its present place none', async () => {
    const db = await env.newDb();
    const postgres = driverOf(db) === 'postgres';
    const before = createDataSource(db);
    before.setOptions({
      migrations: postgres ? [InitialPostgres1764100000000, SignedRequestsPostgres1764200000000] : [InitialSqlite1764100000000, SignedRequestsSqlite1764200000000],
    });
    await before.initialize();
    const mark = (n: number) => (postgres ? `$${n}` : '?');
    const id = '0190a000-0000-7000-8000-0000000000cc';
    // A birth registered in commune 00004 of Hà Nội, moved to 00008, then to Đà Nẵng (province 48, commune 20194).
    await before.query(
      `INSERT INTO records (dataset, id, rev, deleted, data, updated_at, updated_by, seq, province_code, commune_code, digest_part)
       VALUES (${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(mark).join(', ')})`,
      ['civil-status-births', id, 3, false, '{}', '2025-11-20T08:00:00.000Z', '{"national":true}', 42, '48', '20194', '0'.repeat(32)],
    );
    for (const [province, commune] of [['01', '00004'], ['01', '00008'], ['48', '20194']]) {
      await before.query(`INSERT INTO record_scope_history (dataset, record_id, province_code, commune_code) VALUES (${[1, 2, 3, 4].map(mark).join(', ')})`, [
        'civil-status-births',
        id,
        province,
        commune,
      ]);
    }
    await before.destroy();

    const store = await openPlatformStore(db);
    try {
      const rows = await store.read((em) =>
        em.query(`SELECT province_code, commune_code, left_seq FROM record_scope_history ORDER BY province_code, commune_code`),
      ) as { province_code: string; commune_code: string; left_seq: number | string | null }[];
      assert.deepEqual(
        rows.map((r) => [r.province_code, r.commune_code, r.left_seq === null ? null : Number(r.left_seq)]),
        [
          ['01', '00004', 42],
          ['01', '00008', 42],
          ['48', '20194', null],
        ],
      );
    } finally {
      await store.close();
    }
  });

  test('a database made before dataset versions were kept serves every shipped dataset at version 1, and takes a published one', async () => {
    const db = await env.newDb();
    // The store as the build before dataset versions left it: every migration before them.
    const before = createDataSource(db);
    const all = before.options.migrations as (new () => unknown)[];
    before.setOptions({ migrations: all.filter((m) => !m.name.startsWith('DatasetVersions') && !m.name.startsWith('AdminUnitsVersion')) });
    await before.initialize();
    assert.equal(before.migrations.length, 8);
    await before.destroy();

    const store = await openPlatformStore(db);
    try {
      assert.equal((await store.state()).catalogVersion, 0);
      const admin = createPlatformAdmin({ store });
      assert.deepEqual((await admin.listDatasets()).map((d) => [d.version, d.publishedAt]), [[1, null], [1, null], [1, null], [1, null]]);
      const { descriptor } = await admin.datasetPublishImpact(birthsWithEthnicity());
      await admin.publishDataset(descriptor);
      assert.equal((await store.state()).catalogVersion, 1);
      assert.equal((await admin.showDataset('civil-status-births'))?.version, 2);
    } finally {
      await store.close();
    }
  });

  test('a database a newer build upgraded is refused, naming what it does not know, before anything is written', async () => {
    const db = await env.newDb();
    const postgres = driverOf(db) === 'postgres';
    // Made by the first release, then upgraded by a build with a migration this one does not know.
    const first = createDataSource(db);
    first.setOptions({ migrations: [postgres ? InitialPostgres1764100000000 : InitialSqlite1764100000000] });
    await first.initialize();
    await first.query(`INSERT INTO platform_migrations (timestamp, name) VALUES (1799999999999, 'FutureChange1799999999999')`);
    await first.destroy();

    await assert.rejects(openPlatformStore(db), (err: unknown) => {
      assert.ok(err instanceof NewerPlatformStoreError, String(err));
      assert.deepEqual(err.unknownMigrations, ['FutureChange1799999999999']);
      assert.match(err.message, /upgraded by a newer build.*FutureChange1799999999999.*nothing was changed/);
      return true;
    });
    const after = createDataSource(db);
    after.setOptions({ migrationsRun: false });
    await after.initialize();
    try {
      const ran = (await after.query(`SELECT name FROM platform_migrations ORDER BY id`)) as { name: string }[];
      assert.deepEqual(ran.map((r) => r.name), [first.migrations[0]?.name, 'FutureChange1799999999999'], 'no migration of this build ran');
      const state = (await after.query(`SELECT count(*) AS n FROM platform_state`)) as { n: number | string }[];
      assert.equal(Number(state[0]?.n), 0, 'no state row was written');
    } finally {
      await after.destroy();
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { localDigest, saveDigest, settledLocalDigest, storedDigests, pendingDigest } from '../../sync-engine/src/sync/digest-check.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

const DS = 'civil-status-births';
const NOW = '2025-10-01T02:00:00.000Z';

/** A cached record as a pull would leave it (rev set, base live), written with plain SQL so no code path marks the digest stale. */
async function insert(f: EngineFixture, id: string, rev: number | null, baseDeleted = 0): Promise<void> {
  await f.store.transaction((tx) =>
    tx.run(
      `INSERT INTO "records" ("dataset", "id", "data", "deleted", "rev", "base_deleted", "state", "search_text", "updated_at", "pull_gen")
       VALUES (?, ?, '{}', 0, ?, ?, 'synced', '', ?, 0)`,
      [DS, id, rev, baseDeleted, NOW],
    ),
  );
}

const exec = (f: EngineFixture, sql: string, params: unknown[]) => f.store.transaction((tx) => tx.run(sql, params));
const settled = (f: EngineFixture) => f.store.transaction((tx) => settledLocalDigest(tx, DS, NOW));
const journalRows = (f: EngineFixture) => f.count('digest_journal');

test('a kept digest follows inserts, new revs, deletes and tombstoned bases exactly as a full recount would', async () => {
  const f = await openEngineFixture();
  try {
    const ids = Array.from({ length: 40 }, () => uuidv7());
    for (const id of ids.slice(0, 30)) await insert(f, id, 1);
    // Nothing is journaled before the digest was ever computed.
    assert.equal(await journalRows(f), 0);
    assert.deepEqual(await settled(f), await localDigest(f.store.sql, DS));

    await exec(f, 'UPDATE "records" SET "rev" = 2 WHERE "id" IN (?, ?, ?)', ids.slice(0, 3));
    await exec(f, 'UPDATE "records" SET "base_deleted" = 1 WHERE "id" = ?', [ids[3]]);
    await exec(f, 'DELETE FROM "records" WHERE "id" IN (?, ?)', ids.slice(4, 6));
    await exec(f, `UPDATE "records" SET "data" = '{"x":1}', "state" = 'waiting' WHERE "id" = ?`, [ids[6]]);
    await exec(f, `UPDATE "records" SET "state" = 'synced' WHERE "id" = ?`, [ids[6]]);
    for (const id of ids.slice(30, 35)) await insert(f, id, 1);
    await insert(f, ids[35] as string, null); // created here, never on the platform: not in the digest
    await insert(f, ids[36] as string, 4, 1); // a tombstone's base: not live
    await exec(f, 'UPDATE "records" SET "rev" = 1 WHERE "id" = ?', [ids[35]]); // its push was applied

    // 3 revs (out + in), a base deleted, 2 deletes, 5 inserts, 1 record reaching the platform.
    assert.equal(await journalRows(f), 3 * 2 + 1 + 2 + 5 + 1);
    const folded = await settled(f);
    assert.deepEqual(folded, await localDigest(f.store.sql, DS));
    assert.equal(folded?.count, 30 - 1 - 2 + 5 + 1);
    assert.equal(await journalRows(f), 0, 'the journal is emptied once folded');
    assert.deepEqual(await settled(f), folded, 'and the stored digest is the folded one');
  } finally {
    await f.close();
  }
});

test('a digest marked stale stops the journal and is recounted from the records', async () => {
  const f = await openEngineFixture();
  try {
    for (let i = 0; i < 10; i += 1) await insert(f, uuidv7(), 1);
    await settled(f);
    await insert(f, uuidv7(), 1);
    assert.equal(await journalRows(f), 1);
    await exec(f, 'UPDATE "digests" SET "local_stale" = 1 WHERE "dataset" = ?', [DS]);
    await insert(f, uuidv7(), 1);
    assert.equal(await journalRows(f), 1, 'nothing is journaled while stale');
    assert.deepEqual(await settled(f), await localDigest(f.store.sql, DS));
    assert.equal(await journalRows(f), 0, 'a recount drops the journal it replaces');
  } finally {
    await f.close();
  }
});

test('a pending check keeps the digest the journal continues from, and shows none', async () => {
  const f = await openEngineFixture();
  try {
    for (let i = 0; i < 5; i += 1) await insert(f, uuidv7(), 1);
    const first = await settled(f);
    await f.store.transaction((tx) => saveDigest(tx, DS, pendingDigest(NOW)));
    assert.equal((await storedDigests(f.store.sql))[DS]?.localDigest, null);
    await insert(f, uuidv7(), 1);
    const next = await settled(f);
    assert.equal(next?.count, (first?.count ?? 0) + 1);
    assert.deepEqual(next, await localDigest(f.store.sql, DS));
  } finally {
    await f.close();
  }
});

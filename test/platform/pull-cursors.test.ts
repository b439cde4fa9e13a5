import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from '../../sync-engine/src/protocol/cursor.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import type { PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { SignedClient } from '../support/platform-client.js';
import { describeOnEachStore } from '../support/platform-harness.js';
import { BIRTHS, ids, pullAll, seedBirths } from '../support/pull-feed.js';

// Cursors the platform refuses: older than the purge horizon, ahead of the head or of another epoch
// (resync_required, 410), garbled, another dataset's or another agent's (bad_cursor, 400).
describeOnEachStore('pull: cursors refused', (env) => {
  test('a cursor older than the purge horizon is answered resync_required; a fresh pull works', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const { records } = await seedBirths(p, 28, [['01', undefined, 3]]);
    const { cursor } = await pullAll(agent, BIRTHS);
    await p.admin.deleteRecord(BIRTHS, records[0]?.id ?? '');
    const afterDelete = await pullAll(agent, BIRTHS, cursor);
    p.clock.advance(3 * 86_400);
    assert.equal((await p.admin.purgeTombstones(86_400)).purgedTombstones, 1);
    const stale = await agent.pull<ErrorBody>(BIRTHS, cursor);
    assert.equal(stale.status, 410);
    assert.equal(stale.body.error, 'resync_required');
    assert.deepEqual([stale.body.reason, stale.body.headAt], [undefined, undefined], 'not a restore');
    // A cursor that already saw the tombstone is still good.
    assert.equal((await agent.pull<PullPage>(BIRTHS, afterDelete.cursor)).status, 200);
    const fresh = await pullAll(agent, BIRTHS);
    assert.deepEqual(ids(fresh.changes), records.slice(1).map((r) => r.id).sort());
  });

  test('a cursor ahead of the head (a restored platform) or from another epoch is answered resync_required', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    await seedBirths(p, 29, [['01', undefined, 2]]);
    const { cursor } = await pullAll(agent, BIRTHS);
    const state = await p.store.state();
    const key = Buffer.from(state.cursorKey, 'hex');
    const payload = decodeCursor(cursor, key);
    assert.ok(payload);
    for (const forged of [encodeCursor({ ...payload, seq: state.headSeq + 5 }, key), encodeCursor({ ...payload, ep: 'another-epoch' }, key)]) {
      const res = await agent.pull<ErrorBody>(BIRTHS, forged);
      assert.equal(res.status, 410);
      assert.equal(res.body.error, 'resync_required');
      assert.equal(res.body.reason, 'platform_restored');
    }
  });

  test('after epoch new, an earlier cursor is answered resync_required with reason platform_restored and the time of the newest change the platform held', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    await seedBirths(p, 31, [['01', undefined, 2]]);
    const { cursor, changes } = await pullAll(agent, BIRTHS);
    p.clock.advance(60);
    await p.admin.newEpoch();
    const res = await agent.pull<ErrorBody>(BIRTHS, cursor);
    assert.equal(res.status, 410);
    const newest = changes.map((c) => ('updatedAt' in c ? String(c.updatedAt) : '')).sort().at(-1);
    assert.deepEqual([res.body.error, res.body.reason, res.body.headAt], ['resync_required', 'platform_restored', newest]);
  });

  test('a garbled cursor, another dataset’s and another agent’s are answered bad_cursor', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const other = await p.agent('HN-02');
    await seedBirths(p, 30, [['01', undefined, 1]]);
    const mine = (await pullAll(agent, BIRTHS)).cursor;
    const dossiers = (await pullAll(agent, 'procedure-dossiers')).cursor;
    const tampered = mine.slice(0, -3) + (mine.endsWith('AAA') ? 'BBB' : 'AAA');
    const cases: [SignedClient, string, string][] = [
      [agent, BIRTHS, 'garbage'],
      [agent, BIRTHS, tampered],
      [agent, BIRTHS, dossiers],
      [other, BIRTHS, mine],
    ];
    for (const [client, dataset, since] of cases) {
      const res = await client.pull<ErrorBody>(dataset, since);
      assert.equal(res.status, 400, since);
      assert.equal(res.body.error, 'bad_cursor');
      assert.equal(typeof res.body.message, 'string');
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor } from '../../sync-engine/src/protocol/cursor.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import type { DigestResponse, PullChange, PullPage } from '../../sync-engine/src/protocol/pull.js';
import { describeOnEachStore } from '../support/platform-harness.js';
import { BIRTHS, ids, independentDigest, pullAll, seedBirths } from '../support/pull-feed.js';

// A site whose scope the admin changes: the rescope pass sends what left as removed, once, and what
// entered in full, over several pages, while records are edited, and from a cursor of an earlier version.
describeOnEachStore('pull: a site whose scope changes', (env) => {
  test('after the site scope changes, records that left it come as removed and records that entered it in full', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-COMMUNE', { provinceCode: '01', communeCodes: ['00004'] });
    const { gen, records } = await seedBirths(p, 27, [['01', ['00004'], 3], ['01', ['00008'], 4]]);
    const before = await pullAll(agent, BIRTHS);
    assert.equal(before.changes.length, 3);
    await p.admin.setSiteScope('HN-COMMUNE', { provinceCode: '01', communeCodes: ['00008'] });
    // Paged with a small limit: the rescope pass spans several pages.
    const after = await pullAll(agent, BIRTHS, before.cursor, 2);
    assert.ok(after.pages >= 3);
    const removed = after.changes.filter((c) => c.removed).map((c) => c.id).sort();
    const added = after.changes.filter((c) => !c.removed).map((c) => c.id).sort();
    assert.deepEqual(removed, records.slice(0, 3).map((r) => r.id).sort());
    assert.deepEqual(added, records.slice(3).map((r) => r.id).sort());
    // The normal feed goes on under the new scope.
    await p.admin.putRecords(BIRTHS, [{ data: gen.birth('01', ['00004']) }, { data: gen.birth('01', ['00008']) }]);
    const later = await pullAll(agent, BIRTHS, after.cursor);
    assert.equal(later.changes.length, 1);
    assert.equal(later.changes[0]?.removed, undefined);
    // Widening the scope brings the first commune back.
    await p.admin.setSiteScope('HN-COMMUNE', { provinceCode: '01' });
    const widened = await pullAll(agent, BIRTHS, later.cursor);
    assert.equal(widened.changes.filter((c) => !c.removed).length, 4);
    assert.equal(widened.changes.filter((c) => c.removed).length, 0);
  });

  test('a rescope pass sends each record that left the scope once, even one edited while the pass runs, and the agent ends with the new scope', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-COMMUNE', { provinceCode: '01', communeCodes: ['00004'] });
    const { gen, records } = await seedBirths(p, 29, [['01', ['00004'], 4], ['01', ['00008'], 3], ['01', ['00025'], 1]]);
    const communeOf = (id: string) => (records.findIndex((r) => r.id === id) < 4 ? '00004' : '00008');
    const start = await pullAll(agent, BIRTHS);
    const held = new Set(ids(start.changes));
    const removed = new Map<string, number>();
    const take = (changes: PullChange[]) => {
      for (const c of changes) {
        if (c.removed) removed.set(c.id, (removed.get(c.id) ?? 0) + 1);
        if (c.removed || c.deleted) held.delete(c.id);
        else held.add(c.id);
      }
    };
    await p.admin.setSiteScope('HN-COMMUNE', { provinceCode: '01', communeCodes: ['00008'] });

    // One change a page until the pass has sent a `removed`.
    let cursor = start.cursor;
    const named = new Set<string>();
    while (removed.size === 0) {
      const page = await agent.pull<PullPage>(BIRTHS, cursor, 1);
      assert.equal(page.status, 200);
      assert.ok(page.body.hasMore, 'the pass is not over');
      take(page.body.changes);
      for (const c of page.body.changes) named.add(c.id);
      cursor = page.body.cursor;
    }
    // While it runs: the records it named are edited where they are, as is one of the old
    // commune's it has not reached yet, and a record of a third commune moves into the new one.
    const unreached = records.slice(0, 4).find((r) => !named.has(r.id));
    assert.ok(unreached);
    for (const id of [...named, unreached.id]) await p.admin.putRecord(BIRTHS, gen.birth('01', [communeOf(id)]), { id });
    const arriving = records[7]?.id ?? '';
    await p.admin.putRecord(BIRTHS, gen.birth('01', ['00008']), { id: arriving });

    take((await pullAll(agent, BIRTHS, cursor, 2)).changes);
    assert.deepEqual([...removed.entries()].filter(([, n]) => n > 1), [], 'no record removed twice');
    assert.deepEqual([...removed.keys()].sort(), records.slice(0, 4).map((r) => r.id).sort());
    assert.deepEqual([...held].sort(), ids((await pullAll(agent, BIRTHS)).changes), 'what the agent holds is the new scope');
    assert.ok(held.has(arriving));
  });

  test('a cursor in the middle of a seq-ordered rescope pass (an earlier platform version) starts the pass again', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-COMMUNE', { provinceCode: '01', communeCodes: ['00004'] });
    const { records } = await seedBirths(p, 30, [['01', ['00004'], 3], ['01', ['00008'], 2]]);
    const start = await pullAll(agent, BIRTHS);
    await p.admin.setSiteScope('HN-COMMUNE', { provinceCode: '01', communeCodes: ['00008'] });
    const state = await p.store.state();
    const key = Buffer.from(state.cursorKey, 'hex');
    const payload = decodeCursor(start.cursor, key);
    assert.ok(payload);
    // As that version sealed it after one page: records up to seq 1 seen, under the old scope version.
    const legacy = encodeCursor({ ...payload, sv: payload.sv + 1, rs: { oldSv: payload.sv, after: 1, upTo: state.headSeq } }, key);
    const rest = await pullAll(agent, BIRTHS, legacy);
    assert.deepEqual(ids(rest.changes.filter((c) => c.removed)), records.slice(0, 3).map((r) => r.id).sort());
    assert.deepEqual(ids(rest.changes.filter((c) => !c.removed)), records.slice(3).map((r) => r.id).sort());
    const forged = encodeCursor({ ...payload, sv: payload.sv + 1, rs: { oldSv: payload.sv, after: 1, upTo: state.headSeq + 5 } }, key);
    assert.equal((await agent.pull<ErrorBody>(BIRTHS, forged)).status, 410, 'a pass beyond the head: a restored platform');
  });

  test('a site whose scope shrinks from its province to one commune gets removed for the rest only; moved to another province, for all of it', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const { records } = await seedBirths(p, 35, [['01', ['00004'], 2], ['01', ['00008'], 3], ['48', undefined, 2]]);
    const start = await pullAll(agent, BIRTHS);
    assert.equal(start.changes.length, 5);
    await p.admin.setSiteScope('HN-01', { provinceCode: '01', communeCodes: ['00004'] });
    const shrunk = await pullAll(agent, BIRTHS, start.cursor);
    assert.deepEqual(shrunk.changes.map((c) => Object.keys(c).sort()), Array(3).fill(['id', 'removed', 'seq']));
    assert.deepEqual(ids(shrunk.changes), records.slice(2, 5).map((r) => r.id).sort());
    const digest = await agent.digest<DigestResponse>(BIRTHS);
    assert.deepEqual({ count: digest.body.count, digest: digest.body.digest }, independentDigest(records.slice(0, 2).map((r) => ({ id: r.id, rev: 1 }))));
    await p.admin.setSiteScope('HN-01', { provinceCode: '48' });
    const moved = await pullAll(agent, BIRTHS, shrunk.cursor);
    assert.deepEqual(ids(moved.changes.filter((c) => c.removed)), records.slice(0, 2).map((r) => r.id).sort());
    assert.deepEqual(ids(moved.changes.filter((c) => !c.removed)), records.slice(5).map((r) => r.id).sort());
  });
});

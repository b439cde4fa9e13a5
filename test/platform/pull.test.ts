import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import { MAX_PULL_LIMIT } from '../../sync-engine/src/protocol/limits.js';
import type { PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { PushResponse } from '../../sync-engine/src/protocol/push.js';
import { describeOnEachStore, remove, upsert } from '../support/platform-harness.js';
import { BIRTHS, ids, pullAll, seedBirths } from '../support/pull-feed.js';

// The pull feed itself: what an entry carries (the latest rev, the data as pushed, a tombstone), pages
// in seq order under a limit (capped, not refused), and no change missed while pushes commit.
// What a site's scope lets through: pull-scope; its scope changed: pull-rescope; cursors refused: pull-cursors.
describeOnEachStore('pull: entries and pages', (env) => {
  test('three edits of a record come as one entry with the latest rev', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(23);
    const create = upsert(BIRTHS, gen.birth('01'));
    await agent.push([create]);
    const { cursor } = await pullAll(agent, BIRTHS);
    for (const [i, baseRev] of [1, 2, 3].entries()) {
      const res = await agent.push<PushResponse>([upsert(BIRTHS, { ...create.data, notes: `edit ${i + 1}` }, { id: create.id, baseRev })]);
      assert.equal(res.body.results[0]?.status, 'applied');
    }
    for (const since of [undefined, cursor]) {
      const { changes } = await pullAll(agent, BIRTHS, since);
      assert.equal(changes.length, 1);
      const [entry] = changes;
      assert.ok(entry && !entry.removed);
      assert.equal(entry.rev, 4);
      assert.equal(entry.data?.['notes'], 'edit 3');
    }
  });

  test('limit pages the feed in seq order without gaps, hasMore says when to stop, and new changes follow', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const { gen, records } = await seedBirths(p, 24, [['01', undefined, 7]]);
    const first = await agent.pull<PullPage>(BIRTHS, undefined, 3);
    assert.equal(first.body.changes.length, 3);
    assert.equal(first.body.hasMore, true);
    const all = await pullAll(agent, BIRTHS, undefined, 3);
    assert.equal(all.pages, 3);
    assert.deepEqual(ids(all.changes), records.map((r) => r.id).sort());
    const seqs = all.changes.map((c) => c.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    assert.equal(new Set(seqs).size, seqs.length);
    const idle = await agent.pull<PullPage>(BIRTHS, all.cursor, 3);
    assert.deepEqual(idle.body.changes, []);
    assert.equal(idle.body.hasMore, false);
    const [added] = await p.admin.putRecords(BIRTHS, [{ data: gen.birth('01') }]);
    const next = await agent.pull<PullPage>(BIRTHS, idle.body.cursor);
    assert.deepEqual(next.body.changes.map((c) => c.id), [added?.id]);
    const bad = await agent.pull<ErrorBody>(BIRTHS, undefined, 0);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error, 'bad_request');
  });

  test('a pulled record carries its data and updatedBy exactly as pushed, accents included', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const data = { ...createSampleGenerator(31).birth('01'), notes: 'Ghi chú: “trích lục” đã cấp — ½ \\ "quoted" \u2028' };
    const mutation = { ...upsert(BIRTHS, data), user: 'Nguyễn Thị Ánh' };
    const res = await agent.push<PushResponse>([mutation]);
    assert.equal(res.body.results[0]?.status, 'applied', JSON.stringify(res.body));
    const { changes } = await pullAll(agent, BIRTHS);
    const [entry] = changes;
    assert.ok(entry && !entry.removed);
    assert.deepEqual(entry.data, data);
    assert.deepEqual(entry.updatedBy, { siteCode: 'HN-01', agentId: agent.agentId, user: 'Nguyễn Thị Ánh' });
    assert.deepEqual(Object.keys(entry).sort(), ['data', 'deleted', 'id', 'rev', 'seq', 'updatedAt', 'updatedBy']);
  });

  test('a delete comes as a tombstone with no data', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const { records } = await seedBirths(p, 25, [['01', undefined, 2]]);
    const { cursor } = await pullAll(agent, BIRTHS);
    const victim = records[0]?.id ?? '';
    const res = await agent.push<PushResponse>([remove(BIRTHS, victim, 1)]);
    assert.equal(res.body.results[0]?.status, 'applied');
    const { changes } = await pullAll(agent, BIRTHS, cursor);
    assert.equal(changes.length, 1);
    const [tomb] = changes;
    assert.ok(tomb && !tomb.removed);
    assert.equal(tomb.id, victim);
    assert.equal(tomb.deleted, true);
    assert.equal(tomb.data, null);
    assert.equal(tomb.rev, 2);
  });

  test('a puller following its cursor while pushes commit concurrently misses no change', async () => {
    const p = await env.start();
    const pushers = await Promise.all(['HN-A', 'HN-B', 'HN-C'].map((site) => p.agent(site)));
    const puller = await p.agent('HN-READER');
    const gen = createSampleGenerator(32);
    const seen = new Set<string>();
    let cursor: string | undefined;
    let pushing = true;
    const follow = (async () => {
      while (pushing) {
        const page = await pullAll(puller, BIRTHS, cursor, 7);
        for (const c of page.changes) if (!c.removed) seen.add(c.id);
        cursor = page.cursor;
      }
    })();
    const batches = pushers.flatMap((agent) => Array.from({ length: 6 }, () => ({ agent, batch: Array.from({ length: 5 }, () => upsert(BIRTHS, gen.birth('01'))) })));
    const results = await Promise.all(batches.map(({ agent, batch }) => agent.push<PushResponse>(batch)));
    pushing = false;
    await follow;
    const applied = results.flatMap((r, i) => r.body.results.flatMap((x, j) => (x.status === 'applied' ? [batches[i]?.batch[j]?.id ?? ''] : [])));
    assert.equal(applied.length, 90);
    for (const c of (await pullAll(puller, BIRTHS, cursor)).changes) if (!c.removed) seen.add(c.id);
    assert.deepEqual([...seen].sort(), applied.sort());
  });

  test('limit is capped at the platform maximum, not refused; a page of 1,000 is always served', async () => {
    assert.ok(MAX_PULL_LIMIT >= 1000, 'the protocol: the platform caps limit at no less than 1,000');
    const p = await env.start();
    const agent = await p.agent('HN-01');
    await seedBirths(p, 33, [['01', undefined, MAX_PULL_LIMIT + 1]]);
    const thousand = await agent.pull<PullPage>(BIRTHS, undefined, 1000);
    assert.equal(thousand.status, 200);
    assert.equal(thousand.body.changes.length, 1000);
    assert.equal(thousand.body.hasMore, true);
    const huge = await agent.pull<PullPage>(BIRTHS, undefined, 1_000_000);
    assert.equal(huge.status, 200);
    assert.equal(huge.body.changes.length, MAX_PULL_LIMIT);
    assert.equal(huge.body.hasMore, true);
    const rest = await agent.pull<PullPage>(BIRTHS, huge.body.cursor, 1_000_000);
    assert.equal(rest.body.changes.length, 1);
    assert.equal(rest.body.hasMore, false);
  });
});

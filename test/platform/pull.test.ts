import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { decodeCursor, encodeCursor } from '../../sync-engine/src/protocol/cursor.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import { MAX_PULL_LIMIT } from '../../sync-engine/src/protocol/limits.js';
import { digestResponseSchema, pullPageSchema, type DigestResponse, type PullChange, type PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { PushResponse } from '../../sync-engine/src/protocol/push.js';
import type { SignedClient } from '../support/platform-client.js';
import { describeOnEachStore, remove, upsert, type TestPlatform } from '../support/platform-harness.js';

const BIRTHS = 'civil-status-births';

/** Pulls to the end, page by page; returns every change and the last cursor. */
async function pullAll(agent: SignedClient, dataset: string, since?: string, limit?: number) {
  const changes: PullChange[] = [];
  let cursor = since;
  let pages = 0;
  for (;;) {
    const res = await agent.pull<PullPage>(dataset, cursor, limit);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    pullPageSchema.parse(res.body);
    changes.push(...res.body.changes);
    cursor = res.body.cursor;
    pages += 1;
    if (!res.body.hasMore) return { changes, cursor, pages };
    assert.ok(pages < 1000, 'the feed must end');
  }
}

const ids = (changes: PullChange[]) => changes.map((c) => c.id).sort();

async function seedBirths(p: TestPlatform, seed: number, plan: [string, string[] | undefined, number][]) {
  const gen = createSampleGenerator(seed);
  const out: { id: string; province: string }[] = [];
  for (const [province, communes, n] of plan) {
    const written = await p.admin.putRecords(
      BIRTHS,
      Array.from({ length: n }, () => ({ data: gen.birth(province, communes) })),
    );
    out.push(...written.map((w) => ({ id: w.id, province })));
  }
  return { gen, records: out };
}

function independentDigest(records: { id: string; rev: number }[]) {
  const acc = Buffer.alloc(16);
  for (const r of records) {
    const h = createHash('sha256').update(`${r.id}:${r.rev}`).digest();
    for (let i = 0; i < 16; i += 1) acc[i] = (acc[i] ?? 0) ^ (h[i] ?? 0);
  }
  return { count: records.length, digest: acc.toString('hex') };
}

describeOnEachStore('pull', (env) => {
  test('a pull from the beginning is a snapshot of the scope: another province is invisible, national data is shared', async () => {
    const p = await env.start();
    const hanoi = await p.agent('HN-01');
    const danang = await p.agent('DN-48', { provinceCode: '48' });
    const { gen, records } = await seedBirths(p, 21, [['01', undefined, 4], ['48', undefined, 3]]);
    await p.admin.putRecords('admin-units', gen.adminUnitRecords().slice(0, 5).map((data) => ({ data })));
    const hn = await pullAll(hanoi, BIRTHS);
    const dn = await pullAll(danang, BIRTHS);
    assert.deepEqual(ids(hn.changes), records.filter((r) => r.province === '01').map((r) => r.id).sort());
    assert.deepEqual(ids(dn.changes), records.filter((r) => r.province === '48').map((r) => r.id).sort());
    assert.ok(hn.changes.every((c) => !c.removed && c.data?.['provinceCode'] === '01'));
    assert.equal((await pullAll(hanoi, 'admin-units')).changes.length, 5);
    assert.equal((await pullAll(danang, 'admin-units')).changes.length, 5);
  });

  test('a commune-scoped site sees only its communes', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-BA-DINH', { provinceCode: '01', communeCodes: ['00004'] });
    const { records } = await seedBirths(p, 22, [['01', ['00004'], 3], ['01', ['00008'], 2]]);
    const { changes } = await pullAll(agent, BIRTHS);
    assert.deepEqual(ids(changes), records.slice(0, 3).map((r) => r.id).sort());
  });

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

  test('a record whose province changes comes once as removed to the old province and in full to the new one', async () => {
    const p = await env.start();
    const hanoi = await p.agent('HN-01');
    const danang = await p.agent('DN-48', { provinceCode: '48' });
    const { gen, records } = await seedBirths(p, 26, [['01', undefined, 2]]);
    const hn = await pullAll(hanoi, BIRTHS);
    const dn = await pullAll(danang, BIRTHS);
    const moved = records[0]?.id ?? '';
    await p.admin.putRecord(BIRTHS, gen.birth('48'), { id: moved });
    const hnAfter = await pullAll(hanoi, BIRTHS, hn.cursor);
    assert.equal(hnAfter.changes.length, 1);
    assert.deepEqual(Object.keys(hnAfter.changes[0] ?? {}).sort(), ['id', 'removed', 'seq']);
    assert.equal(hnAfter.changes[0]?.id, moved);
    assert.equal(hnAfter.changes[0]?.removed, true);
    const dnAfter = await pullAll(danang, BIRTHS, dn.cursor);
    assert.equal(dnAfter.changes.length, 1);
    assert.ok(dnAfter.changes[0] && !dnAfter.changes[0].removed && dnAfter.changes[0].rev === 2);
    assert.deepEqual((await pullAll(hanoi, BIRTHS, hnAfter.cursor)).changes, []);
    // From the beginning, a record that left is simply absent.
    assert.deepEqual(ids((await pullAll(hanoi, BIRTHS)).changes), [records[1]?.id]);
  });

  test('a record that left the scope is removed once: its later edits elsewhere are not sent; moved back, it comes in full', async () => {
    const p = await env.start();
    const hanoi = await p.agent('HN-01');
    const { gen, records } = await seedBirths(p, 28, [['01', undefined, 2]]);
    const start = await pullAll(hanoi, BIRTHS);
    const moved = records[0]?.id ?? '';
    const inDanang = gen.birth('48');
    await p.admin.putRecord(BIRTHS, inDanang, { id: moved });
    const left = await pullAll(hanoi, BIRTHS, start.cursor);
    assert.deepEqual(left.changes.map((c) => [c.id, c.removed]), [[moved, true]]);

    // Edited twice in its new province (and a record of the old one, so the feed moves on).
    await p.admin.putRecord(BIRTHS, { ...inDanang, fatherName: 'Lê Văn Tám' }, { id: moved });
    await p.admin.putRecord(BIRTHS, { ...inDanang, fatherName: 'Lê Văn Chín' }, { id: moved });
    const stay = records[1]?.id ?? '';
    await p.admin.putRecord(BIRTHS, gen.birth('01'), { id: stay });
    const later = await pullAll(hanoi, BIRTHS, left.cursor);
    assert.deepEqual(later.changes.map((c) => c.id), [stay], 'nothing about the record that left');
    // An agent that had not pulled since before the move still gets its one `removed`.
    const behind = await pullAll(hanoi, BIRTHS, start.cursor);
    assert.deepEqual(behind.changes.map((c) => [c.id, c.removed]).sort(), [[moved, true], [stay, undefined]].sort());

    const back = gen.birth('01');
    await p.admin.putRecord(BIRTHS, back, { id: moved });
    const returned = await pullAll(hanoi, BIRTHS, later.cursor);
    assert.equal(returned.changes.length, 1);
    const [entry] = returned.changes;
    assert.ok(entry && !entry.removed);
    assert.equal(entry.id, moved);
    assert.equal(entry.rev, 5);
    assert.deepEqual(entry.data, back);
    // Moved away again: one `removed` again.
    await p.admin.putRecord(BIRTHS, gen.birth('48'), { id: moved });
    const again = await pullAll(hanoi, BIRTHS, returned.cursor);
    assert.deepEqual(again.changes.map((c) => [c.id, c.removed]), [[moved, true]]);
  });

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
    }
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

  test('a record moved to another commune comes once as removed to a site of the old commune, in full to one of the new, and as an edit to the province', async () => {
    const p = await env.start();
    const oldCommune = await p.agent('HN-C4', { provinceCode: '01', communeCodes: ['00004'] });
    const newCommune = await p.agent('HN-C8', { provinceCode: '01', communeCodes: ['00008'] });
    const province = await p.agent('HN-01');
    const { gen, records } = await seedBirths(p, 34, [['01', ['00004'], 2]]);
    const [moved, stays] = [records[0]?.id ?? '', records[1]?.id ?? ''];
    const before = await Promise.all([oldCommune, newCommune, province].map((a) => pullAll(a, BIRTHS)));
    assert.deepEqual(before.map((b) => b.changes.length), [2, 0, 2]);
    await p.admin.putRecord(BIRTHS, gen.birth('01', ['00008']), { id: moved });
    const [o, n, pr] = await Promise.all([oldCommune, newCommune, province].map((a, i) => pullAll(a, BIRTHS, before[i]?.cursor)));
    assert.deepEqual(o?.changes.map((c) => [c.id, c.removed]), [[moved, true]]);
    const entries = (changes: PullChange[] = []) => changes.map((c) => (c.removed ? [c.id, 'removed'] : [c.id, c.rev]));
    assert.deepEqual(entries(n?.changes), [[moved, 2]]);
    assert.deepEqual(entries(pr?.changes), [[moved, 2]]);
    assert.deepEqual((await pullAll(oldCommune, BIRTHS, o?.cursor)).changes, [], 'removed once');
    // Each site's digest counts what it now holds.
    const digestOf = async (agent: SignedClient) => {
      const res = await agent.digest<DigestResponse>(BIRTHS);
      return { count: res.body.count, digest: res.body.digest };
    };
    assert.deepEqual(await digestOf(oldCommune), independentDigest([{ id: stays, rev: 1 }]));
    assert.deepEqual(await digestOf(newCommune), independentDigest([{ id: moved, rev: 2 }]));
    assert.deepEqual(await digestOf(province), independentDigest([{ id: moved, rev: 2 }, { id: stays, rev: 1 }]));
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

  test('the digest equals an independent sha-256 computation over the live records in scope', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const { records } = await seedBirths(p, 31, [['01', undefined, 6], ['48', undefined, 2]]);
    const gen = createSampleGenerator(131);
    const own = upsert(BIRTHS, gen.birth('01'));
    await agent.push([own]);
    await agent.push([upsert(BIRTHS, { ...own.data, notes: 'x' }, { id: own.id, baseRev: 1 })]);
    await p.admin.deleteRecord(BIRTHS, records[0]?.id ?? '');
    const { changes, cursor } = await pullAll(agent, BIRTHS);
    const live = changes.flatMap((c) => (!c.removed && !c.deleted ? [{ id: c.id, rev: c.rev }] : []));
    assert.equal(live.length, 6);
    const res = await agent.digest<DigestResponse>(BIRTHS);
    assert.equal(res.status, 200);
    digestResponseSchema.parse(res.body);
    assert.deepEqual({ count: res.body.count, digest: res.body.digest }, independentDigest(live));
    // The digest's cursor describes the same head as the end of the pull.
    const key = Buffer.from((await p.store.state()).cursorKey, 'hex');
    assert.equal(decodeCursor(res.body.cursor, key)?.seq, decodeCursor(cursor, key)?.seq);
    const empty = await agent.digest<DigestResponse>('business-households');
    assert.deepEqual({ count: empty.body.count, digest: empty.body.digest }, { count: 0, digest: '0'.repeat(32) });
    // A national dataset: every live record, whatever the site's province.
    const units = await p.admin.putRecords('admin-units', gen.adminUnitRecords().slice(0, 4).map((data) => ({ data })));
    await p.admin.deleteRecord('admin-units', units[0]?.id ?? '');
    const danang = await p.agent('DN-48', { provinceCode: '48' });
    const national = await danang.digest<DigestResponse>('admin-units');
    assert.deepEqual({ count: national.body.count, digest: national.body.digest }, independentDigest(units.slice(1).map((u) => ({ id: u.id, rev: 1 }))));
  });
});

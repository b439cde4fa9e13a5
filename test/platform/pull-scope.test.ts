import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { decodeCursor } from '../../sync-engine/src/protocol/cursor.js';
import { digestResponseSchema, type DigestResponse, type PullChange } from '../../sync-engine/src/protocol/pull.js';
import type { SignedClient } from '../support/platform-client.js';
import { describeOnEachStore, upsert } from '../support/platform-harness.js';
import { BIRTHS, ids, independentDigest, pullAll, seedBirths } from '../support/pull-feed.js';

// What a site's pull and digest hold: the records of its scope (province, communes) and the national
// data, and a record that moves in or out of it (another province or commune) sent once as removed.
describeOnEachStore('pull: scope', (env) => {
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
    // A national dataset: every live record, whatever the site's province. The site first: the three units
    // held are the whole table from then on (admin-units-in-force.ts), and they are all of province 01.
    const danang = await p.agent('DN-48', { provinceCode: '48' });
    const units = await p.admin.putRecords('admin-units', gen.adminUnitRecords().slice(0, 4).map((data) => ({ data })));
    await p.admin.deleteRecord('admin-units', units[0]?.id ?? '');
    const national = await danang.digest<DigestResponse>('admin-units');
    assert.deepEqual({ count: national.body.count, digest: national.body.digest }, independentDigest(units.slice(1).map((u) => ({ id: u.id, rev: 1 }))));
  });
});

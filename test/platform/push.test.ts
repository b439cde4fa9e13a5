import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import assert from 'node:assert/strict';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { pushResponseSchema, type MutationResult, type PushResponse } from '../../sync-engine/src/protocol/push.js';
import { catalogResponseSchema } from '../../sync-engine/src/protocol/catalog.js';
import { contentDigest, verifyRequest } from '../../sync-engine/src/protocol/signing.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { describeOnEachStore, remove, upsert } from '../support/platform-harness.js';

const BIRTHS = 'civil-status-births';

function only(res: { status: number; body: PushResponse }): MutationResult {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  pushResponseSchema.parse(res.body);
  assert.equal(res.body.results.length, 1);
  return res.body.results[0] as MutationResult;
}

describeOnEachStore('push', (env) => {
  test('a create is applied at rev 1 and an edit on the current rev at rev 2 with a later seq', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(1);
    const create = upsert(BIRTHS, gen.birth('01'));
    const first = only(await agent.push<PushResponse>([create]));
    assert.equal(first.status, 'applied');
    assert.ok(first.status === 'applied' && first.rev === 1 && first.seq >= 1);
    const edit = upsert(BIRTHS, { ...create.data, notes: 'corrected' }, { id: create.id, baseRev: 1 });
    const second = only(await agent.push<PushResponse>([edit]));
    assert.ok(second.status === 'applied' && first.status === 'applied');
    assert.equal(second.rev, 2);
    assert.ok(second.seq > first.seq);
    const stored = await p.admin.getRecord(BIRTHS, create.id);
    assert.equal(stored?.rev, 2);
    assert.equal(stored?.data?.['notes'], 'corrected');
    assert.deepEqual(stored?.updatedBy, { siteCode: 'HN-01', agentId: agent.agentId });
  });

  test('a replayed batch answers duplicate for every item and re-applies nothing', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(2);
    const batch = [upsert(BIRTHS, gen.birth('01')), upsert(BIRTHS, gen.birth('01')), upsert(BIRTHS, gen.birth('01'))];
    const first = await agent.push<PushResponse>(batch);
    assert.deepEqual(first.body.results.map((r) => r.status), ['applied', 'applied', 'applied']);
    const head = (await p.admin.status()).headSeq;
    const replay = await agent.push<PushResponse>(batch);
    assert.equal(replay.status, 200);
    assert.deepEqual(replay.body.results.map((r) => r.status), ['duplicate', 'duplicate', 'duplicate']);
    for (const [i, r] of replay.body.results.entries()) {
      const original = first.body.results[i];
      assert.ok(r.status === 'duplicate' && original?.status === 'applied');
      assert.equal(r.rev, original.rev);
      assert.equal(r.seq, original.seq);
    }
    assert.equal((await p.admin.status()).headSeq, head);
    assert.equal((await p.admin.listRecords(BIRTHS)).length, 3);
  });

  test('a mutation replayed months later, after a purge, is still duplicate with its first rev and seq', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const m = upsert(BIRTHS, createSampleGenerator(3).birth('01'));
    const first = await agent.push<PushResponse>([m]);
    const [applied] = first.body.results;
    assert.ok(applied?.status === 'applied');
    p.clock.advance(120 * 86_400);
    await p.admin.purgeTombstones(0);
    const head = (await p.admin.status()).headSeq;
    const replay = await agent.push<PushResponse>([m]);
    assert.deepEqual(replay.body.results, [{ mutationId: m.mutationId, status: 'duplicate', rev: applied.rev, seq: applied.seq }]);
    assert.equal((await p.admin.status()).headSeq, head);
  });

  test('a stale baseRev is a conflict that carries the whole current record', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(3);
    const create = upsert(BIRTHS, gen.birth('01'));
    only(await agent.push<PushResponse>([create]));
    await p.admin.putRecord(BIRTHS, { ...create.data, notes: 'national edit' }, { id: create.id });
    const stale = only(await agent.push<PushResponse>([upsert(BIRTHS, { ...create.data, notes: 'local edit' }, { id: create.id, baseRev: 1 })]));
    assert.equal(stale.status, 'conflict');
    assert.ok(stale.status === 'conflict');
    assert.equal(stale.current.id, create.id);
    assert.equal(stale.current.rev, 2);
    assert.equal(stale.current.data?.['notes'], 'national edit');
    assert.deepEqual(stale.current.updatedBy, { national: true });
    assert.equal((await p.admin.getRecord(BIRTHS, create.id))?.data?.['notes'], 'national edit');
  });

  test('a create with an id that already exists is a conflict', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(4);
    const create = upsert(BIRTHS, gen.birth('01'));
    only(await agent.push<PushResponse>([create]));
    const again = only(await agent.push<PushResponse>([upsert(BIRTHS, gen.birth('01'), { id: create.id })]));
    assert.equal(again.status, 'conflict');
    assert.ok(again.status === 'conflict' && again.current.rev === 1);
  });

  test('a schema error is rejected with its path, and does not block the mutations after it', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(5);
    const bad = upsert(BIRTHS, { ...gen.birth('01'), fullName: 5 });
    const good = upsert(BIRTHS, gen.birth('01'));
    const res = await agent.push<PushResponse>([bad, good]);
    const [r1, r2] = res.body.results;
    assert.equal(r1?.status, 'rejected');
    assert.ok(r1?.status === 'rejected' && r1.errors.some((e) => e.path === '/fullName' && e.code === 'type'));
    assert.equal(r2?.status, 'applied');
    assert.equal(await p.admin.getRecord(BIRTHS, bad.id), null);
    // A rejected mutationId is not remembered: fixed and sent again, it is judged afresh.
    const fixed = only(await agent.push<PushResponse>([{ ...bad, data: { ...bad.data, fullName: 'Nguyễn Văn An' } }]));
    assert.equal(fixed.status, 'applied');
  });

  test('validation rules surface through push: an invalid personal ID and a commune outside the province', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(6);
    const res = await agent.push<PushResponse>([
      upsert(BIRTHS, { ...gen.birth('01'), personalId: '999123456789' }),
      upsert(BIRTHS, { ...gen.birth('01'), communeCode: '20194' }),
    ]);
    const [id, commune] = res.body.results;
    assert.ok(id?.status === 'rejected');
    assert.ok(id.errors.some((e) => e.path === '/personalId' && e.code === 'personal_id_province'), JSON.stringify(id.errors));
    assert.ok(id.errors.every((e) => e.messages?.vi && e.messages.en));
    assert.ok(commune?.status === 'rejected');
    assert.ok(commune.errors.some((e) => e.path === '/communeCode' && e.code === 'commune_not_in_province'), JSON.stringify(commune.errors));
  });

  test('data for another province is rejected as scope, and a record outside the scope is never revealed', async () => {
    const p = await env.start();
    const hanoi = await p.agent('HN-01');
    const danang = await p.agent('DN-48', { provinceCode: '48' });
    const gen = createSampleGenerator(7);
    const outside = only(await hanoi.push<PushResponse>([upsert(BIRTHS, gen.birth('48'))]));
    assert.ok(outside.status === 'rejected' && outside.errors[0]?.code === 'scope' && outside.errors[0].path === '/provinceCode');
    const create = upsert(BIRTHS, gen.birth('01'));
    only(await hanoi.push<PushResponse>([create]));
    // A stale edit of another province's record would be a conflict carrying the record: it must be a scope refusal.
    const peek = only(await danang.push<PushResponse>([upsert(BIRTHS, gen.birth('48'), { id: create.id, baseRev: 7 })]));
    assert.equal(peek.status, 'rejected');
    assert.ok(peek.status === 'rejected' && peek.errors[0]?.code === 'scope');
    assert.ok(!JSON.stringify(peek).includes(String(create.data['personalId'])));
    const del = only(await danang.push<PushResponse>([remove(BIRTHS, create.id, 1)]));
    assert.ok(del.status === 'rejected' && del.errors[0]?.code === 'scope');
  });

  test('a commune-scoped site may not write another commune of its province', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-BA-DINH', { provinceCode: '01', communeCodes: ['00004'] });
    const gen = createSampleGenerator(8);
    const res = await agent.push<PushResponse>([upsert(BIRTHS, gen.birth('01', ['00008'])), upsert(BIRTHS, gen.birth('01', ['00004']))]);
    const [other, own] = res.body.results;
    assert.ok(other?.status === 'rejected' && other.errors[0]?.code === 'scope' && other.errors[0].path === '/communeCode');
    assert.equal(own?.status, 'applied');
  });

  test('writing a read-only dataset is rejected as access', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(9);
    const [unit] = gen.adminUnitRecords();
    assert.ok(unit);
    const units = only(await agent.push<PushResponse>([upsert('admin-units', unit)]));
    assert.ok(units.status === 'rejected' && units.errors[0]?.code === 'access');
    await p.admin.setSiteAccess('HN-01', BIRTHS, 'read');
    const births = only(await agent.push<PushResponse>([upsert(BIRTHS, gen.birth('01'))]));
    assert.ok(births.status === 'rejected' && births.errors[0]?.code === 'access');
    assert.equal(births.errors[0].messages?.vi, 'Đơn vị này chỉ được xem bộ dữ liệu “Hộ tịch: đăng ký khai sinh”, không được sửa.');
    const catalog = await agent.catalog<{ datasets: { name: string; access: string }[] }>();
    assert.equal(catalogResponseSchema.parse(catalog.body).datasets.length, 4);
    assert.equal(catalog.body.datasets.find((d) => d.name === BIRTHS)?.access, 'read');
    assert.equal(catalog.body.datasets.find((d) => d.name === 'admin-units')?.access, 'read');
    assert.equal(catalog.body.datasets.find((d) => d.name === 'procedure-dossiers')?.access, 'read-write');
  });

  test('a personal ID held by a live record of any site is rejected as unique with existingId', async () => {
    const p = await env.start();
    const hanoi = await p.agent('HN-01');
    const danang = await p.agent('DN-48', { provinceCode: '48' });
    const gen = createSampleGenerator(10);
    const first = upsert(BIRTHS, gen.birth('01'));
    only(await hanoi.push<PushResponse>([first]));
    const twin = upsert(BIRTHS, { ...gen.birth('48'), personalId: first.data['personalId'] as string });
    // The twin's ID keeps its own gender and birth year consistent: copy them too.
    twin.data = { ...twin.data, gender: first.data['gender'], birthDate: first.data['birthDate'], registrationDate: first.data['registrationDate'] };
    const clash = only(await danang.push<PushResponse>([twin]));
    assert.equal(clash.status, 'rejected', JSON.stringify(clash));
    assert.ok(clash.status === 'rejected');
    assert.equal(clash.errors[0]?.code, 'unique');
    assert.equal(clash.errors[0]?.path, '/personalId');
    assert.match(clash.errors[0]?.messages?.vi ?? '', /^Số định danh cá nhân “\d{12}” đã có ở một bản ghi khác/);
    assert.equal(clash.existingId, first.id);
    // Only live records hold a value: once deleted, the ID is free again.
    only(await hanoi.push<PushResponse>([remove(BIRTHS, first.id, 1)]));
    const retry = only(await danang.push<PushResponse>([{ ...twin, mutationId: uuidv7() }]));
    assert.equal(retry.status, 'applied');
  });

  test('deleting an already deleted record at its rev is applied as a no-op; deleting a missing record is not_found', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(11);
    const create = upsert(BIRTHS, gen.birth('01'));
    only(await agent.push<PushResponse>([create]));
    const deleted = only(await agent.push<PushResponse>([remove(BIRTHS, create.id, 1)]));
    assert.ok(deleted.status === 'applied' && deleted.rev === 2);
    const head = (await p.admin.status()).headSeq;
    const again = only(await agent.push<PushResponse>([remove(BIRTHS, create.id, 2)]));
    assert.ok(again.status === 'applied');
    assert.equal(again.rev, 2);
    assert.equal(again.seq, deleted.seq);
    assert.equal((await p.admin.status()).headSeq, head);
    const missing = only(await agent.push<PushResponse>([remove(BIRTHS, uuidv7(), 1)]));
    assert.ok(missing.status === 'rejected' && missing.errors[0]?.code === 'not_found');
    const stale = only(await agent.push<PushResponse>([remove(BIRTHS, create.id, 1)]));
    assert.ok(stale.status === 'conflict' && stale.current.deleted && stale.current.data === null);
    // The no-op was accepted: sent again, it is duplicate with the rev and seq it was first answered.
    const [noOp] = (await agent.push<PushResponse>([remove(BIRTHS, create.id, 2)])).body.results;
    assert.ok(noOp?.status === 'applied');
    const replayed = only(await agent.push<PushResponse>([{ ...remove(BIRTHS, create.id, 2), mutationId: noOp.mutationId }]));
    assert.deepEqual(replayed, { mutationId: noOp.mutationId, status: 'duplicate', rev: 2, seq: deleted.seq });
  });

  test('a conflict and a rejection in the middle of a batch block nothing after them; later items see the earlier ones', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(14);
    const existing = upsert(BIRTHS, gen.birth('01'));
    only(await agent.push<PushResponse>([existing]));
    await p.admin.putRecord(BIRTHS, { ...existing.data, notes: 'national edit' }, { id: existing.id });
    const a = upsert(BIRTHS, gen.birth('01'));
    const batch = [
      a,
      upsert(BIRTHS, { ...existing.data, notes: 'stale' }, { id: existing.id, baseRev: 1 }),
      upsert(BIRTHS, gen.birth('01'), { id: existing.id }),
      upsert(BIRTHS, { ...gen.birth('01'), fullName: 5 }),
      upsert(BIRTHS, { ...a.data, notes: 'second edit in the same batch' }, { id: a.id, baseRev: 1 }),
      upsert(BIRTHS, gen.birth('01')),
    ];
    const res = await agent.push<PushResponse>(batch);
    assert.equal(res.status, 200);
    pushResponseSchema.parse(res.body);
    assert.deepEqual(res.body.results.map((r) => r.mutationId), batch.map((m) => m.mutationId), 'one result per mutation, in order');
    assert.deepEqual(res.body.results.map((r) => r.status), ['applied', 'conflict', 'conflict', 'rejected', 'applied', 'applied']);
    const [, stale, create] = res.body.results;
    assert.ok(stale?.status === 'conflict' && stale.current.rev === 2 && stale.current.data?.['notes'] === 'national edit');
    assert.ok(create?.status === 'conflict' && create.current.id === existing.id && create.current.rev === 2);
    assert.ok(res.body.results[4]?.status === 'applied' && res.body.results[4].rev === 2);
    assert.equal((await p.admin.getRecord(BIRTHS, a.id))?.data?.['notes'], 'second edit in the same batch');
    assert.equal((await p.admin.listRecords(BIRTHS)).length, 3);
  });

  test('malformed items are rejected as invalid_mutation and the batch goes on', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(12);
    const good = upsert(BIRTHS, gen.birth('01'));
    const res = await agent.push<PushResponse>([
      42,
      { mutationId: 'not-a-uuid', dataset: BIRTHS, id: uuidv7(), op: 'upsert', baseRev: null, data: {} },
      { ...upsert(BIRTHS, gen.birth('01')), op: 'merge' },
      { ...upsert('no-such-dataset', {}) },
      good,
    ]);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.results.map((r) => (r.status === 'rejected' ? r.errors[0]?.code : r.status)),
      ['invalid_mutation', 'invalid_mutation', 'invalid_mutation', 'unknown_dataset', 'applied'],
    );
    assert.equal((await p.admin.listRecords(BIRTHS)).length, 1);
  });

  test('the message log keeps the signature and content digest of every accepted mutation', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(13);
    const accepted = upsert(BIRTHS, gen.birth('01'));
    const refused = upsert(BIRTHS, { ...gen.birth('01'), fullName: '' });
    const body = JSON.stringify({ mutations: [accepted, refused] });
    const headers = await agent.sign('POST', '/v1/mutations', body);
    const res = await agent.send<PushResponse>('POST', '/v1/mutations', body, headers);
    assert.deepEqual(res.body.results.map((r) => r.status), ['applied', 'rejected']);
    const [row, ...rest] = await p.admin.messageLog({ mutationId: accepted.mutationId });
    assert.equal(rest.length, 0);
    assert.ok(row);
    assert.equal(row.agentId, agent.agentId);
    assert.equal(row.siteCode, 'HN-01');
    assert.equal(row.signature, headers['signature']);
    assert.equal(row.signatureInput, headers['signature-input']);
    assert.equal(row.contentDigest, contentDigest(body));
    assert.equal(JSON.parse(row.mutation).id, accepted.id);
    assert.equal(row.rev, 1);
    assert.deepEqual(await p.admin.messageLog({ mutationId: refused.mutationId }), []);
  });

  test('the signed request is kept once, as sent, and its signature checks again with the agent key alone', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(14);
    const mutations = Array.from({ length: 3 }, () => ({ ...upsert(BIRTHS, gen.birth('01')), user: 'Lê Văn Tám' }));
    const res = await agent.call<PushResponse>('POST', '/v1/mutations', { mutations }, { gzip: true });
    assert.deepEqual(res.body.results.map((r) => r.status), ['applied', 'applied', 'applied']);
    const log = await p.admin.messageLog({ agentId: agent.agentId });
    assert.equal(log.length, 3);
    const requestIds = new Set(log.map((e) => e.requestId));
    assert.equal(requestIds.size, 1, 'one request for the three mutations');
    const request = await p.admin.signedRequest(log[0]?.requestId ?? '');
    assert.ok(request);
    assert.equal(request.contentEncoding, 'gzip');
    assert.deepEqual(gunzipSync(request.body).toString('utf8'), JSON.stringify({ mutations }), 'the body as the agent sent it');
    // Each entry's mutation is its item of that body, unknown members (user) included.
    for (const m of mutations) assert.deepEqual(JSON.parse(log.find((e) => e.mutationId === m.mutationId)?.mutation ?? 'null'), m);
    const checked = await verifyRequest(
      {
        method: request.method,
        url: request.targetUri,
        headers: { signature: request.signature, 'signature-input': request.signatureInput, 'content-digest': request.contentDigest },
        body: request.body,
      },
      { lookupKey: async () => ({ publicKeyPem: agent.keys.publicKeyPem, status: 'active' }), now: Math.floor(Date.now() / 1000) },
    );
    assert.equal(checked.ok, true, JSON.stringify(checked));
    const tampered = Buffer.from(request.body);
    tampered[tampered.length - 5] = (tampered[tampered.length - 5] ?? 0) ^ 1;
    const refused = await verifyRequest(
      { method: request.method, url: request.targetUri, headers: { signature: request.signature, 'signature-input': request.signatureInput, 'content-digest': request.contentDigest }, body: tampered },
      { lookupKey: async () => ({ publicKeyPem: agent.keys.publicKeyPem, status: 'active' }), now: Math.floor(Date.now() / 1000) },
    );
    assert.equal(refused.ok, false);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { openPlatformStore } from '../../national-platform/src/index.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { ERROR_STATUS, errorBodySchema, type ErrorBody, type ErrorCode } from '../../sync-engine/src/protocol/errors.js';
import { catalogResponseSchema } from '../../sync-engine/src/protocol/catalog.js';
import { MAX_BODY_BYTES, MAX_PULL_LIMIT, MAX_PUSH_BATCH } from '../../sync-engine/src/protocol/limits.js';
import type { HealthResponse } from '../../sync-engine/src/protocol/enrollment.js';
import type { PullPage } from '../../sync-engine/src/protocol/pull.js';
import type { PushResponse } from '../../sync-engine/src/protocol/push.js';
import { plainCall, type HttpAnswer } from '../support/platform-client.js';
import { describeOnEachStore, upsert } from '../support/platform-harness.js';

const BIRTHS = 'civil-status-births';

function assertError(res: HttpAnswer<unknown>, code: ErrorCode): void {
  assert.equal(res.status, ERROR_STATUS[code], JSON.stringify(res.body));
  const body = errorBodySchema.parse(res.body) as ErrorBody;
  assert.equal(body.error, code);
  assert.ok(body.message.length > 0);
}

describeOnEachStore('http', (env) => {
  test('health answers without a signature: status, platform time and protocol', async () => {
    const p = await env.start();
    const res = await plainCall<HealthResponse>(p.url, 'GET', '/v1/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
    assert.equal(res.body.protocol, 1);
    assert.ok(Math.abs(Date.parse(res.body.time) - p.clock.now().getTime()) < 5000);
  });

  test('unknown routes, wrong methods, unknown datasets and wrong media types get the error shape', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    assertError(await plainCall(p.url, 'GET', '/v1/nothing-here'), 'not_found');
    assertError(await plainCall(p.url, 'GET', '/'), 'not_found');
    const wrongMethod = await plainCall(p.url, 'DELETE', '/v1/mutations');
    assertError(wrongMethod, 'method_not_allowed');
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
    assertError(await agent.pull('no-such-dataset'), 'unknown_dataset');
    assertError(await agent.digest('no-such-dataset'), 'unknown_dataset');
    assertError(await agent.call('GET', '/v1/datasets/%E0%A4%A/changes'), 'bad_request');
    assertError(await agent.call('POST', '/v1/mutations', '{"mutations":[]}', { headers: { 'content-type': 'text/plain' } }), 'unsupported_media_type');
  });

  test('a request node cannot parse still gets the error shape and the platform time in Date', async () => {
    const p = await env.start();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(p.port, '127.0.0.1', () => socket.end('NOT AN HTTP REQUEST\r\n\r\n'));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    const [head = '', body = ''] = raw.split('\r\n\r\n');
    const [statusLine, ...lines] = head.split('\r\n');
    assert.match(statusLine ?? '', /^HTTP\/1\.1 400 /);
    const headers = new Map(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    assert.match(headers.get('content-type') ?? '', /^application\/json/);
    assert.ok(Math.abs(Date.parse(headers.get('date') ?? '') - p.clock.now().getTime()) < 5000, `Date: ${headers.get('date')}`);
    const error = errorBodySchema.parse(JSON.parse(body));
    assert.equal(error.error, 'bad_request');
  });

  test('malformed JSON, wrong shapes, __proto__ keys and absurd nesting are refused and write nothing', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(41);
    const good = upsert(BIRTHS, gen.birth('01'));
    const head = (await p.admin.status()).headSeq;
    assertError(await agent.call('POST', '/v1/mutations', '{"mutations": [ '), 'invalid_json');
    assertError(await agent.call('POST', '/v1/mutations', ''), 'invalid_json');
    assertError(await agent.call('POST', '/v1/mutations', { mutations: 'all of them' }), 'validation_failed');
    assertError(await agent.call('POST', '/v1/mutations', { mutations: [] }), 'validation_failed');
    assertError(await agent.call('POST', '/v1/mutations', [good]), 'validation_failed');
    const poisoned = `{"mutations":[${JSON.stringify(good).replace('{', '{"__proto__":{"admin":true},')}]}`;
    assertError(await agent.call('POST', '/v1/mutations', poisoned), 'bad_request');
    const escaped = `{"mutations":[${JSON.stringify(good).replace('{', '{"\\u005f_proto\\u005f_":{"admin":true},')}]}`;
    assertError(await agent.call('POST', '/v1/mutations', escaped), 'bad_request');
    const deep = `{"mutations":[${JSON.stringify({ ...good, data: null }).replace('"data":null', `"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)}]}`;
    assertError(await agent.call('POST', '/v1/mutations', deep), 'bad_request');
    // A huge string inside a record is the record's problem, judged per item.
    const huge = await agent.push<PushResponse>([upsert(BIRTHS, { ...gen.birth('01'), notes: 'x'.repeat(200_000) })]);
    assert.equal(huge.status, 200);
    assert.equal(huge.body.results[0]?.status, 'rejected');
    assert.equal((await p.admin.status()).headSeq, head);
    assert.equal((await p.admin.listRecords(BIRTHS)).length, 0);
    assert.equal((await agent.push<PushResponse>([good])).body.results[0]?.status, 'applied');
  });

  test('a body over the cap, a gzip bomb and a batch over the cap are 413', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const big = JSON.stringify({ mutations: [{ pad: 'x'.repeat(MAX_BODY_BYTES) }] });
    assertError(await agent.call('POST', '/v1/mutations', big), 'payload_too_large');
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1024, 0x20));
    assert.ok(bomb.length < 64 * 1024);
    const bombed = await agent.send('POST', '/v1/mutations', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assertError(bombed, 'payload_too_large');
    const gen = createSampleGenerator(42);
    const batch = Array.from({ length: MAX_PUSH_BATCH + 1 }, () => upsert(BIRTHS, gen.birth('01')));
    assertError(await agent.push(batch), 'payload_too_large');
    assert.equal((await p.admin.listRecords(BIRTHS)).length, 0);
  });

  test('every catalog entry carries the contract fields on the wire, with the access the site has', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    await p.admin.setSiteAccess('HN-01', 'procedure-dossiers', 'read');
    const res = await agent.catalog<{ datasets: Record<string, unknown>[] }>();
    assert.equal(res.status, 200);
    const byName = new Map(res.body.datasets.map((d) => [d['name'], d]));
    assert.deepEqual([...byName.keys()].sort(), ['admin-units', 'business-households', 'civil-status-births', 'procedure-dossiers']);
    for (const d of res.body.datasets) {
      const name = String(d['name']);
      for (const key of ['name', 'title', 'version', 'schema', 'access', 'scope', 'uniqueFields', 'fieldPolicies', 'display']) assert.ok(key in d, `${name}: ${key}`);
      assert.deepEqual(Object.keys(d['title'] as object).sort(), ['en', 'vi'], name);
      assert.equal((d['schema'] as Record<string, unknown>)['$schema'], 'https://json-schema.org/draft/2020-12/schema', name);
      const properties = (d['schema'] as { properties: Record<string, unknown> }).properties;
      if (d['scope'] === 'province') assert.ok(typeof d['scopeField'] === 'string' && d['scopeField'] in properties, `${name}: scopeField is a top-level field`);
      for (const f of d['uniqueFields'] as string[]) assert.ok(f in properties, `${name}: unique ${f}`);
      for (const [f, policy] of Object.entries(d['fieldPolicies'] as Record<string, string>)) {
        assert.ok(f in properties, `${name}: policy of ${f}`);
        assert.ok(['manual', 'national-wins', 'local-wins'].includes(policy), `${name}: ${policy}`);
      }
      const display = d['display'] as { titleField: string; listFields: string[] };
      assert.ok(display.titleField in properties && display.listFields.every((f) => f in properties), `${name}: display`);
    }
    assert.equal(byName.get('admin-units')?.['scope'], 'national');
    assert.equal(byName.get('civil-status-births')?.['scopeField'], 'provinceCode');
    assert.deepEqual(byName.get('civil-status-births')?.['uniqueFields'], ['personalId']);
    assert.deepEqual(
      Object.fromEntries([...byName].map(([n, d]) => [n, d['access']])),
      { 'admin-units': 'read', 'business-households': 'read-write', 'civil-status-births': 'read-write', 'procedure-dossiers': 'read' },
    );
  });

  test("the catalog's schemas carry the Records list's filters (x-filter, x-due), kept by the agent's catalog parser", async () => {
    const p = await env.start();
    const res = await (await p.agent('HN-01')).catalog();
    assert.equal(res.status, 200);
    const catalog = catalogResponseSchema.parse(res.body);
    const propertyOf = (dataset: string, field: string) =>
      (catalog.datasets.find((d) => d.name === dataset)!.schema as { properties: Record<string, Record<string, unknown>> }).properties[field]!;
    assert.deepEqual(
      [propertyOf('procedure-dossiers', 'status')['x-filter'], propertyOf('procedure-dossiers', 'communeCode')['x-filter'], propertyOf('business-households', 'status')['x-filter']],
      [true, true, true],
    );
    assert.deepEqual(propertyOf('procedure-dossiers', 'appointmentAt')['x-due'], { statusField: 'status', doneValues: ['completed', 'returned', 'cancelled'] });
  });

  test("the catalog's schemas carry what a new record's form starts with (x-default), kept by the agent's catalog parser", async () => {
    const p = await env.start();
    const res = await (await p.agent('HN-01')).catalog();
    assert.equal(res.status, 200);
    const catalog = catalogResponseSchema.parse(res.body);
    const defaultOf = (dataset: string, field: string) =>
      (catalog.datasets.find((d) => d.name === dataset)!.schema as { properties: Record<string, Record<string, unknown>> }).properties[field]!['x-default'];
    assert.deepEqual(
      [
        defaultOf(BIRTHS, 'registrationDate'),
        defaultOf(BIRTHS, 'registrar'),
        defaultOf('procedure-dossiers', 'receivedAt'),
        defaultOf('procedure-dossiers', 'handler'),
        defaultOf('business-households', 'registeredAt'),
        defaultOf(BIRTHS, 'fullName'),
      ],
      ['today', 'last-used', 'today', 'last-used', 'today', undefined],
    );
  });

  test('the catalog advertises the caps; a push of 2,000 mutations is accepted, 2,001 is 413', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const catalog = catalogResponseSchema.parse((await agent.catalog()).body);
    assert.deepEqual(catalog.limits, { pushBatch: 2000, pullLimit: MAX_PULL_LIMIT, bodyBytes: MAX_BODY_BYTES });
    const gen = createSampleGenerator(44);
    const batch = Array.from({ length: 2001 }, () => upsert(BIRTHS, gen.birth('01')));
    assertError(await agent.push(batch), 'payload_too_large');
    const accepted = await agent.push<PushResponse>(batch.slice(0, 2000));
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body).slice(0, 500));
    assert.equal(accepted.body.results.filter((r) => r.status === 'applied').length, 2000);
    assert.equal((await p.admin.listRecords(BIRTHS)).length, 2000);
  });

  test('gzip works both ways: a compressed push is applied, a large answer comes compressed', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(43);
    const batch = Array.from({ length: 20 }, () => upsert(BIRTHS, gen.birth('01')));
    const pushed = await agent.push<PushResponse>(batch, { gzip: true });
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.ok(pushed.body.results.every((r) => r.status === 'applied'));
    const pulled = await agent.call<PullPage>('GET', `/v1/datasets/${BIRTHS}/changes`, undefined, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(pulled.status, 200);
    assert.equal(pulled.headers.get('content-encoding'), 'gzip');
    assert.equal(pulled.body.changes.length, 20);
    const plain = await agent.call<PullPage>('GET', `/v1/datasets/${BIRTHS}/changes`, undefined, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    // RFC 9110: `*` stands for the codings not named, so a gzip refused by name stays refused.
    const negotiated: [string, string | null][] = [['gzip;q=0, *', null], ['*;q=0.5, gzip;q=0', null], ['*', 'gzip'], ['identity, GZIP;q=0.5', 'gzip'], ['*;q=0', null]];
    for (const [accept, coding] of negotiated) {
      const res = await agent.call<PullPage>('GET', `/v1/datasets/${BIRTHS}/changes`, undefined, { headers: { 'accept-encoding': accept } });
      assert.equal(res.headers.get('content-encoding'), coding, accept);
      assert.equal(res.body.changes.length, 20, accept);
    }
  });

  test('the rate limit answers 429 with Retry-After', async () => {
    const p = await env.start({ rateLimit: { burst: 2, perSecond: 0.01 } });
    const agent = await p.agent('HN-01');
    assert.equal((await agent.catalog()).status, 200);
    assert.equal((await agent.catalog()).status, 200);
    const limited = await agent.catalog();
    assertError(limited, 'rate_limited');
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    // Enrollment, unsigned, is limited per address: the harness's enrollment took one of its two.
    assertError(await plainCall(p.url, 'POST', '/v1/enrollments', '{}'), 'validation_failed');
    const enrollments = await plainCall(p.url, 'POST', '/v1/enrollments', '{}');
    assertError(enrollments, 'rate_limited');
    assert.ok(Number(enrollments.headers.get('retry-after')) >= 1);
  });

  test('maintenance answers 503 with Retry-After while health still answers, and lifts when switched off', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    await p.admin.setMaintenance(true, 45);
    const refused = await agent.catalog();
    assertError(refused, 'maintenance');
    assert.equal(refused.headers.get('retry-after'), '45');
    assertError(await plainCall(p.url, 'POST', '/v1/enrollments', '{}'), 'maintenance');
    const health = await plainCall<HealthResponse>(p.url, 'GET', '/v1/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'maintenance');
    await p.admin.setMaintenance(false);
    assert.equal((await agent.catalog()).status, 200);
  });

  test('the maintenance switch flipped through another connection to the store reaches the running server', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const other = await openPlatformStore(p.db);
    try {
      const { createPlatformAdmin } = await import('../../national-platform/src/index.js');
      await createPlatformAdmin({ store: other }).setMaintenance(true, 10);
      let status = 0;
      for (let i = 0; i < 40 && status !== 503; i += 1) {
        await new Promise((r) => setTimeout(r, 100));
        status = (await agent.catalog()).status;
      }
      assert.equal(status, 503);
    } finally {
      await other.close();
    }
  });
});

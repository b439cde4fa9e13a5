import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createAdminApiClient, proveService, startAdminApi } from '../../sync-engine/src/admin-api/index.js';
import { challengeAnswer } from '../../sync-engine/src/admin-api/service-proof.js';
import { createFakeAgentApi, sampleStatus } from './fake-agent-api.js';
import { rawRequest } from './http-request.js';
import { startSquatter } from './port-squatter.js';

const TOKEN = 'proof-token-0123456789abcdefghijklmnopqrstuvwxyz_-';

async function squatter(t: TestContext, health?: Parameters<typeof startSquatter>[0]) {
  const s = await startSquatter(health);
  t.after(() => s.close());
  return s;
}

test('the real admin API answers the challenge, and its client accepts it and sends the command', async (t) => {
  const api = createFakeAgentApi();
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  const server = await startAdminApi({ api, port: 0, token: TOKEN });
  t.after(() => server.close());
  assert.equal(await proveService({ baseUrl: server.url, token: TOKEN }), true);
  assert.equal(await proveService({ baseUrl: server.url, token: 'another-token' }), false, 'the proof depends on the token');
  const client = createAdminApiClient({ baseUrl: server.url, token: TOKEN });
  assert.deepEqual(await client.call('status.get', {}), { ok: true, value: sampleStatus });
});

test('health still says only ok without a challenge (the web console, monitoring), and refuses a malformed one', async (t) => {
  const server = await startAdminApi({ api: createFakeAgentApi(), port: 0, token: TOKEN });
  t.after(() => server.close());
  assert.deepEqual(JSON.parse((await rawRequest({ port: server.port, path: '/api/health' })).body), { ok: true });
  const nonce = 'n'.repeat(43);
  const answered = await rawRequest({ port: server.port, path: '/api/health', headers: { 'x-edge-agent-challenge': nonce } });
  assert.deepEqual(JSON.parse(answered.body), { ok: true, proof: challengeAnswer(TOKEN, server.port, nonce) });
  assert.doesNotMatch(answered.body, new RegExp(TOKEN));
  for (const bad of ['short', 'x'.repeat(200), 'has space in it and is long enough']) {
    const refused = await rawRequest({ port: server.port, path: '/api/health', headers: { 'x-edge-agent-challenge': bad } });
    assert.equal(refused.status, 400);
    assert.equal(JSON.parse(refused.body).error.code, 'invalid_input');
  }
});

test('a program squatting the port that answers health with 200 never receives the token from the client', async (t) => {
  const s = await squatter(t);
  const client = createAdminApiClient({ baseUrl: s.url, token: TOKEN, reconnectDelayMs: 10 });
  t.after(() => client.close());
  const result = await client.call('status.get', {});
  assert.equal(result.ok ? 'ok' : result.error.code, 'unreachable', 'treated exactly like no service answering');
  const off = client.on('status.changed', () => undefined);
  while (s.received.length < 4) await new Promise((r) => setTimeout(r, 5));
  off();
  assert.ok(s.received.every((r) => r.url === '/api/health' && r.headers.authorization === undefined));
  assert.equal(s.saw(TOKEN), false);
});

test('a wrong proof is refused: another token, a relay from another port, garbage, or none', async (t) => {
  const wrongs: Array<(nonce: string | undefined, port: number) => unknown> = [
    (nonce, port) => ({ ok: true, proof: challengeAnswer('not-the-token-0123456789abcdefghijklmnopqrst', port, nonce ?? '') }),
    (nonce, port) => ({ ok: true, proof: challengeAnswer(TOKEN, port + 1, nonce ?? '') }),
    (nonce, port) => ({ ok: true, proof: challengeAnswer(TOKEN, port, `${nonce ?? ''}x`) }),
    () => ({ ok: true, proof: 'A'.repeat(43) }),
    () => ({ ok: true, proof: 42 }),
    () => ({ ok: true }),
  ];
  for (const wrong of wrongs) {
    const s = await squatter(t, wrong);
    assert.equal(await proveService({ baseUrl: s.url, token: TOKEN }), false, String(wrong));
    const result = await createAdminApiClient({ baseUrl: s.url, token: TOKEN }).call('status.get', {});
    assert.equal(result.ok ? 'ok' : result.error.code, 'unreachable');
    assert.equal(s.saw(TOKEN), false, String(wrong));
  }
  const right = await squatter(t, (nonce, port) => ({ ok: true, proof: challengeAnswer(TOKEN, port, nonce ?? '') }));
  assert.equal(await proveService({ baseUrl: right.url, token: TOKEN }), true, 'the same fake with the right answer passes');
});

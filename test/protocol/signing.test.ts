import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentDigest, generateAgentKeyPair, signRequest, verifyRequest, type KeyRecord } from '../../sync-engine/src/protocol/index.js';

const url = 'http://127.0.0.1:8080/v1/mutations';
const body = JSON.stringify({ mutations: [] });
const now = () => Math.floor(Date.now() / 1000);

async function signed(kp = generateAgentKeyPair(), created?: number) {
  const headers = await signRequest(
    { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
    { keyId: 'agent-1', privateKeyPem: kp.privateKeyPem, ...(created ? { created } : {}) },
  );
  return { kp, headers };
}
const lookup = (kp: { publicKeyPem: string }, status: KeyRecord['status'] = 'active') => async (id: string) =>
  id === 'agent-1' ? { publicKeyPem: kp.publicKeyPem, status } : null;

test('a signed request verifies and reports its key id and nonce', async () => {
  const { kp, headers } = await signed();
  const out = await verifyRequest({ method: 'POST', url, headers, body }, { lookupKey: lookup(kp), now: now() });
  assert.equal(out.ok, true);
  if (out.ok) {
    assert.equal(out.keyId, 'agent-1');
    assert.ok(out.nonce.length > 10);
  }
  assert.equal(headers['content-digest'], contentDigest(body));
});

test('a changed body, path or method is refused as bad_signature', async () => {
  const { kp, headers } = await signed();
  const opts = { lookupKey: lookup(kp), now: now() };
  for (const req of [
    { method: 'POST', url, headers, body: body + ' ' },
    { method: 'POST', url: url.replace('mutations', 'datasets'), headers, body },
    { method: 'PUT', url, headers, body },
  ]) {
    const out = await verifyRequest(req, opts);
    assert.equal(out.ok ? 'ok' : out.code, 'bad_signature');
  }
});

test('another key, an unknown agent, revoked and pending agents and a stale clock each get their code', async () => {
  const { kp, headers } = await signed();
  const other = generateAgentKeyPair();
  const req = { method: 'POST', url, headers, body };
  const code = async (o: Parameters<typeof verifyRequest>[1]) => {
    const out = await verifyRequest(req, o);
    return out.ok ? 'ok' : out.code;
  };
  assert.equal(await code({ lookupKey: lookup(other), now: now() }), 'bad_signature');
  assert.equal(await code({ lookupKey: async () => null, now: now() }), 'unknown_agent');
  assert.equal(await code({ lookupKey: lookup(kp, 'revoked'), now: now() }), 'agent_revoked');
  assert.equal(await code({ lookupKey: lookup(kp, 'pending'), now: now() }), 'agent_pending');
  assert.equal(await code({ lookupKey: lookup(kp), now: now() + 301 }), 'clock_skew');
  assert.equal(await code({ lookupKey: lookup(kp), now: now() - 301 }), 'clock_skew');
  assert.equal(await code({ lookupKey: lookup(kp), now: now() + 200 }), 'ok');
});

test('a request without a signature is refused', async () => {
  const out = await verifyRequest({ method: 'GET', url, headers: {}, body: '' }, { lookupKey: async () => null, now: now() });
  assert.equal(out.ok ? 'ok' : out.code, 'bad_signature');
});

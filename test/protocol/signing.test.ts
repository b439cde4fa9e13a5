import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentDigest, generateAgentKeyPair, readSignatureInput, signRequest, verifyRequest, type KeyRecord } from '../../sync-engine/src/protocol/index.js';
import { withFakeFirstEntry } from '../support/fake-signature-entry.js';

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
  // The clock cases are measured from the signature's own `created`, so a second boundary crossed
  // between signing and checking cannot move a case across the 300 s line.
  const created = now();
  const { kp, headers } = await signed(undefined, created);
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
  assert.equal(await code({ lookupKey: lookup(kp), now: created + 301 }), 'clock_skew');
  assert.equal(await code({ lookupKey: lookup(kp), now: created - 301 }), 'clock_skew');
  assert.equal(await code({ lookupKey: lookup(kp), now: created + 300 }), 'ok');
  assert.equal(await code({ lookupKey: lookup(kp), now: created - 300 }), 'ok');
});

test('a request without a signature is refused', async () => {
  const out = await verifyRequest({ method: 'GET', url, headers: {}, body: '' }, { lookupKey: async () => null, now: now() });
  assert.equal(out.ok ? 'ok' : out.code, 'bad_signature');
  const blank = await verifyRequest({ method: 'GET', url, headers: { 'signature-input': ' ', signature: ' ' }, body: '' }, { lookupKey: async () => null, now: now() });
  assert.equal(blank.ok ? 'ok' : blank.code, 'bad_signature');
});

test('an old genuine signature behind a fresh-looking fake entry is refused, not judged by the fake one', async () => {
  const { kp, headers } = await signed(undefined, now() - 86_400);
  const out = await verifyRequest({ method: 'POST', url, headers: withFakeFirstEntry(headers, now()), body }, { lookupKey: lookup(kp), now: now() });
  assert.equal(out.ok ? 'ok' : out.code, 'bad_signature');
  assert.match(out.ok ? '' : out.message, /exactly one signature; it holds 2/);
  assert.equal(readSignatureInput(withFakeFirstEntry(headers, now())['signature-input']), null);
});

test('a label repeated (as two Signature-Input lines joined) is refused', async () => {
  const { kp, headers } = await signed(undefined, now() - 86_400);
  const fake = withFakeFirstEntry(headers, now())['signature-input']!.replace('sig0=', 'sig1=');
  const out = await verifyRequest({ method: 'POST', url, headers: { ...headers, 'signature-input': fake }, body }, { lookupKey: lookup(kp), now: now() });
  assert.equal(out.ok ? 'ok' : out.code, 'bad_signature');
  assert.match(out.ok ? '' : out.message, /Signature-Input must hold exactly one signature/);
});

test('two signatures, or labels that differ between the two fields, are refused with the reason', async () => {
  const { kp, headers } = await signed();
  const opts = { lookupKey: lookup(kp), now: now() };
  const second = await signed(kp);
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ ...headers, signature: `${headers['signature']}, sig2=${second.headers['signature']!.slice('sig1='.length)}` }, /Signature must hold exactly one/],
    [{ ...headers, signature: headers['signature']!.replace(/^sig1=/, 'sig2=') }, /Signature-Input names "sig1" but Signature names "sig2"/],
    [{ ...headers, 'signature-input': `${headers['signature-input']}, sig2=${second.headers['signature-input']!.slice('sig1='.length)}` }, /Signature-Input must hold exactly one/],
  ];
  for (const [h, reason] of cases) {
    const out = await verifyRequest({ method: 'POST', url, headers: h, body }, opts);
    assert.equal(out.ok ? 'ok' : out.code, 'bad_signature');
    assert.match(out.ok ? '' : out.message, reason);
  }
  assert.equal((await verifyRequest({ method: 'POST', url, headers, body }, opts)).ok, true, 'the untouched request still verifies');
});

test('what a verified request reports is the entry that verified, re-serialized alone', async () => {
  const { kp, headers } = await signed();
  const out = await verifyRequest({ method: 'POST', url, headers: { ...headers, 'signature-input': ` ${headers['signature-input']}` }, body }, { lookupKey: lookup(kp), now: now() });
  assert.ok(out.ok);
  assert.equal(out.signatureInput, headers['signature-input']);
  assert.equal(out.signature, headers['signature']);
  assert.equal(out.nonce, readSignatureInput(headers['signature-input'])?.nonce);
});

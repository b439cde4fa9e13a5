import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateAgentKeyPair, signRequest } from '../../sync-engine/src/protocol/signing.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { upsert } from '../support/platform-harness.js';
import { withFakeFirstEntry } from '../support/fake-signature-entry.js';
import { SignedClient } from '../support/platform-client.js';
import { DS, twoProvinces, type TwoProvinces } from './support/two-provinces.js';

/**
 * A network attacker (or another office) tampering with signed requests over
 * real HTTP: every variant is refused with 401 and its code, and nothing is
 * written (the platform's head seq does not move).
 */
describe('signed requests an attacker altered', () => {
  let w: TwoProvinces;
  const gen = createSampleGenerator(91);
  const body = () => JSON.stringify({ mutations: [upsert(DS, gen.birth('01'))] });
  const head = async () => (await w.platform.admin.status()).headSeq;

  before(async () => {
    w = await twoProvinces();
  });
  after(() => w.close());

  async function refusedWithoutWrite(attempt: () => Promise<{ status: number; body: unknown }>, code: string) {
    const before = await head();
    const answer = await attempt();
    assert.equal(answer.status, 401, JSON.stringify(answer.body));
    assert.equal((answer.body as { error: string }).error, code);
    assert.equal(await head(), before, 'nothing written');
  }

  test('a push whose body was swapped after signing is bad_signature', async () => {
    await refusedWithoutWrite(async () => {
      const headers = await w.hanoi.sign('POST', '/v1/mutations', body());
      return w.hanoi.send('POST', '/v1/mutations', body(), headers);
    }, 'bad_signature');
  });

  test('a push whose Content-Digest was recomputed for the swapped body still fails the signature', async () => {
    await refusedWithoutWrite(async () => {
      const signed = await w.hanoi.sign('POST', '/v1/mutations', body());
      const forged = body();
      const { 'content-digest': digest } = await signRequest(
        { method: 'POST', url: `${w.platform.url}/v1/mutations`, headers: { 'content-type': 'application/json' }, body: forged },
        { keyId: w.hanoi.agentId, privateKeyPem: generateAgentKeyPair().privateKeyPem, created: Math.floor(Date.now() / 1000) },
      );
      return w.hanoi.send('POST', '/v1/mutations', forged, { ...signed, 'content-digest': digest! });
    }, 'bad_signature');
  });

  test('a request sent to another path than the signed one is bad_signature', async () => {
    await refusedWithoutWrite(() => w.hanoi.call('GET', `/v1/datasets/${DS}/changes`, undefined, { signedPath: `/v1/datasets/${DS}/digest` }), 'bad_signature');
  });

  test('a captured push replayed with the same nonce is refused; re-signed, it is answered duplicate and applied once', async () => {
    const payload = body();
    const headers = await w.hanoi.sign('POST', '/v1/mutations', payload);
    const first = await w.hanoi.send<{ results: Array<{ status: string }> }>('POST', '/v1/mutations', payload, headers);
    assert.equal(first.body.results[0]?.status, 'applied');
    await refusedWithoutWrite(() => w.hanoi.send('POST', '/v1/mutations', payload, headers), 'replayed');
    const before = await head();
    const again = await w.hanoi.send<{ results: Array<{ status: string }> }>('POST', '/v1/mutations', payload, await w.hanoi.sign('POST', '/v1/mutations', payload));
    assert.equal(again.body.results[0]?.status, 'duplicate');
    assert.equal(await head(), before);
  });

  test('a signature created more than 300 s ago (or ahead) is clock_skew', async () => {
    const now = Math.floor(Date.now() / 1000);
    await refusedWithoutWrite(() => w.hanoi.call('POST', '/v1/mutations', body(), { created: now - 301 }), 'clock_skew');
    await refusedWithoutWrite(() => w.hanoi.call('POST', '/v1/mutations', body(), { created: now + 3600 }), 'clock_skew');
  });

  test('a push signed an hour ago, replayed behind a fresh-looking fake entry, is bad_signature and writes nothing', async () => {
    const payload = body();
    const captured = await w.hanoi.sign('POST', '/v1/mutations', payload, { created: Math.floor(Date.now() / 1000) - 3600 });
    await refusedWithoutWrite(() => w.hanoi.send('POST', '/v1/mutations', payload, withFakeFirstEntry(captured, Math.floor(Date.now() / 1000))), 'bad_signature');
  });

  test('a push signed with another agent’s key under this agent’s id is bad_signature, and under a made-up key too', async () => {
    const wearingHanoi = new SignedClient(w.platform.url, w.hanoi.agentId, w.danang.keys);
    await refusedWithoutWrite(() => wearingHanoi.call('POST', '/v1/mutations', body()), 'bad_signature');
    const madeUp = new SignedClient(w.platform.url, w.hanoi.agentId, generateAgentKeyPair());
    await refusedWithoutWrite(() => madeUp.call('POST', '/v1/mutations', body()), 'bad_signature');
  });

  test('an agent id that was never enrolled is unknown_agent', async () => {
    const stranger = new SignedClient(w.platform.url, '0199a000-0000-7000-8000-00000000dead', generateAgentKeyPair());
    await refusedWithoutWrite(() => stranger.call('POST', '/v1/mutations', body()), 'unknown_agent');
  });

  test('a revoked agent can neither push nor pull', async () => {
    const site = 'HN-REVOKED';
    await w.platform.admin.addSite({ code: site, name: 'UBND phường bị thu hồi', provinceCode: '01' });
    const { enroll } = await import('../support/platform-client.js');
    const { client } = await enroll(w.platform.url, await w.platform.admin.createToken({ site }), site);
    assert.equal((await client.pull(DS)).status, 200);
    await w.platform.admin.revokeAgent(client.agentId);
    await refusedWithoutWrite(() => client.call('POST', '/v1/mutations', body()), 'agent_revoked');
    await refusedWithoutWrite(() => client.pull(DS), 'agent_revoked');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { EnrollmentTokenEntity } from '../../national-platform/src/store/entities/agent.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import type { EnrollmentResponse } from '../../sync-engine/src/protocol/enrollment.js';
import { generateAgentKeyPair, signRequest } from '../../sync-engine/src/protocol/signing.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { enroll, plainCall, SignedClient } from '../support/platform-client.js';
import { describeOnEachStore } from '../support/platform-harness.js';
import { fakeSignatureEntry, withFakeFirstEntry } from '../support/fake-signature-entry.js';
import { getWithHost } from '../support/get-with-host.js';

function enrollBody(token: string, siteCode: string, publicKey = generateAgentKeyPair().publicKeyPem) {
  return JSON.stringify({ token, siteCode, agentName: 'Máy trạm 1', publicKey });
}


describeOnEachStore('signed requests', (env) => {
  test('a body or path other than the signed one is refused as bad_signature, and so is an unsigned call', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const changedBody = await agent.call<ErrorBody>('POST', '/v1/mutations', { mutations: [{}] }, { signedBody: JSON.stringify({ mutations: [1] }) });
    assert.equal(changedBody.status, 401);
    assert.equal(changedBody.body.error, 'bad_signature');
    const changedPath = await agent.call<ErrorBody>('GET', '/v1/datasets', undefined, { signedPath: '/v1/datasets/admin-units/digest' });
    assert.equal(changedPath.status, 401);
    assert.equal(changedPath.body.error, 'bad_signature');
    const unsigned = await plainCall<ErrorBody>(p.url, 'GET', '/v1/datasets');
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.body.error, 'bad_signature');
    assert.equal((await agent.catalog()).status, 200);
  });

  test('a signature from a skewed clock is refused as clock_skew with the platform time in Date', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    p.clock.advance(3600);
    const res = await agent.call<ErrorBody>('GET', '/v1/datasets', undefined, { created: Math.floor(Date.now() / 1000) });
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'clock_skew');
    const date = Date.parse(res.headers.get('date') ?? '');
    assert.ok(Math.abs(date - p.clock.now().getTime()) < 5000, `Date ${res.headers.get('date')} is the platform's clock`);
    assert.equal((await agent.catalog()).status, 200);
  });

  test('a request sent twice with the same nonce is refused as replayed', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const headers = await agent.sign('GET', '/v1/datasets');
    assert.equal((await agent.send('GET', '/v1/datasets', undefined, headers)).status, 200);
    const again = await agent.send<ErrorBody>('GET', '/v1/datasets', undefined, headers);
    assert.equal(again.status, 401);
    assert.equal(again.body.error, 'replayed');
  });

  test('an unknown key id is unknown_agent, a revoked agent agent_revoked', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const stranger = new SignedClient(p.url, uuidv7(), generateAgentKeyPair());
    const unknown = await stranger.catalog<ErrorBody>();
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'unknown_agent');
    await p.admin.revokeAgent(agent.agentId);
    const revoked = await agent.catalog<ErrorBody>();
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.error, 'agent_revoked');
    await assert.rejects(p.admin.approveAgent(agent.agentId));
  });

  test('the target URI is rebuilt from the request’s own Host header, as behind a proxy', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const host = 'ndxp.example.gov.vn';
    const headers = await signRequest(
      { method: 'GET', url: `http://${host}/v1/datasets`, headers: {} },
      { keyId: agent.agentId, privateKeyPem: agent.keys.privateKeyPem, created: p.clock.seconds() },
    );
    const res = await getWithHost(p.port, '/v1/datasets', { ...headers, host });
    assert.equal(res.status, 200, res.body);
    const elsewhere = await signRequest(
      { method: 'GET', url: `http://${host}/v1/datasets`, headers: {} },
      { keyId: agent.agentId, privateKeyPem: agent.keys.privateKeyPem, created: p.clock.seconds() },
    );
    const wrongHost = await getWithHost(p.port, '/v1/datasets', { ...elsewhere, host: 'attacker.example' });
    assert.equal(wrongHost.status, 401);
  });
});

describeOnEachStore('behind a gateway that terminates TLS', (env) => {
  const host = 'ndxp.example.gov.vn';
  /** Signs a catalog call for `scheme://host/v1/datasets`, as an agent given that address would. */
  const signedFor = (agent: SignedClient, scheme: string, created: number) =>
    signRequest({ method: 'GET', url: `${scheme}://${host}/v1/datasets`, headers: {} }, { keyId: agent.agentId, privateKeyPem: agent.keys.privateKeyPem, created });
  const forged: Array<Record<string, string>> = [{ 'x-forwarded-proto': 'http' }, { 'x-forwarded-proto': 'https' }, { forwarded: 'proto=https;host=ndxp.example.gov.vn' }, {}];

  test('with publicScheme https, a request signed for https:// verifies on the plain-HTTP server, whatever X-Forwarded-Proto says', async () => {
    const p = await env.start({ publicScheme: 'https' });
    assert.match(p.url, /^http:\/\//);
    const agent = await p.agent('HN-01');
    for (const extra of forged) {
      const res = await getWithHost(p.port, '/v1/datasets', { ...(await signedFor(agent, 'https', p.clock.seconds())), host, ...extra });
      assert.equal(res.status, 200, `${JSON.stringify(extra)}: ${res.body}`);
    }
    const plain = await getWithHost(p.port, '/v1/datasets', { ...(await signedFor(agent, 'http', p.clock.seconds())), host });
    assert.equal(plain.status, 401);
    assert.equal((JSON.parse(plain.body) as ErrorBody).error, 'bad_signature');
  });

  test('without it, a request signed for https:// is bad_signature, and a forged X-Forwarded-Proto or Forwarded changes nothing', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    for (const extra of forged) {
      const res = await getWithHost(p.port, '/v1/datasets', { ...(await signedFor(agent, 'https', p.clock.seconds())), host, ...extra });
      assert.equal(res.status, 401, JSON.stringify(extra));
      assert.equal((JSON.parse(res.body) as ErrorBody).error, 'bad_signature', JSON.stringify(extra));
    }
    const plain = await getWithHost(p.port, '/v1/datasets', { ...(await signedFor(agent, 'http', p.clock.seconds())), host, 'x-forwarded-proto': 'https' });
    assert.equal(plain.status, 200, plain.body);
  });
});

describeOnEachStore('the Host header a gateway forwards', (env) => {
  const host = 'ndxp.example.gov.vn';
  const signed = (agent: SignedClient, address: string, created: number) =>
    // The agent signs the address as WHATWG URL writes it: host in lower case, the scheme's default port left out.
    signRequest({ method: 'GET', url: new URL('v1/datasets', address).href, headers: {} }, { keyId: agent.agentId, privateKeyPem: agent.keys.privateKeyPem, created });

  test('is read as the agent signed it: its case and the default port make no difference, another port does', async () => {
    const p = await env.start({ publicScheme: 'https' });
    const agent = await p.agent('HN-01');
    assert.equal(new URL('v1/datasets', `https://NDXP.Example.gov.vn:443/`).href, `https://${host}/v1/datasets`);
    for (const forwarded of [host, `${host}:443`, 'NDXP.Example.GOV.vn', `NDXP.example.gov.vn:443`]) {
      const res = await getWithHost(p.port, '/v1/datasets', { ...(await signed(agent, 'https://NDXP.Example.gov.vn:443/', p.clock.seconds())), host: forwarded });
      assert.equal(res.status, 200, `Host: ${forwarded}: ${res.body}`);
    }
    // A signer that writes the default port itself, and sends it in Host, signed that: it passes too.
    const literal = await signRequest(
      { method: 'GET', url: `https://${host}:443/v1/datasets`, headers: {} },
      { keyId: agent.agentId, privateKeyPem: agent.keys.privateKeyPem, created: p.clock.seconds() },
    );
    assert.equal((await getWithHost(p.port, '/v1/datasets', { ...literal, host: `${host}:443` })).status, 200);
    const otherPort = await getWithHost(p.port, '/v1/datasets', { ...(await signed(agent, `https://${host}/`, p.clock.seconds())), host: `${host}:8443` });
    assert.equal(otherPort.status, 401);
    assert.equal((JSON.parse(otherPort.body) as ErrorBody).error, 'bad_signature');
    // An agent given a non-default port signs it: the gateway must forward it (nginx: $http_host, not $host, which drops it).
    const withPort = await signed(agent, `https://${host}:8443/`, p.clock.seconds());
    assert.equal((await getWithHost(p.port, '/v1/datasets', { ...withPort, host: `${host}:8443` })).status, 200);
    const portDropped = await getWithHost(p.port, '/v1/datasets', { ...(await signed(agent, `https://${host}:8443/`, p.clock.seconds())), host });
    assert.equal(portDropped.status, 401);
    // Nor may it strip a sub-path: the agent signed the path under the address it was given.
    const subPath = await getWithHost(p.port, '/v1/datasets', { ...(await signed(agent, `https://${host}/ndxp/`, p.clock.seconds())), host });
    assert.equal(subPath.status, 401);
  });
});

describeOnEachStore('a signed request carries exactly one signature', (env) => {
  test('a captured request replayed behind a fresh-looking fake entry is refused and answers no data', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const genuine = await agent.sign('GET', '/v1/datasets');
    assert.equal((await agent.send('GET', '/v1/datasets', undefined, genuine)).status, 200);
    p.clock.advance(3600);
    const replay = await agent.send<ErrorBody & { datasets?: unknown }>('GET', '/v1/datasets', undefined, withFakeFirstEntry(genuine, p.clock.seconds()));
    assert.equal(replay.status, 401);
    assert.equal(replay.body.error, 'bad_signature');
    assert.match(replay.body.message, /exactly one signature/);
    assert.equal(replay.body.datasets, undefined);
  });

  test('the fake entry sent as its own header lines (joined by the server) is refused too', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const genuine = await agent.sign('GET', '/v1/datasets', undefined, { created: p.clock.seconds() - 3600 });
    for (const label of ['sig0', 'sig1']) {
      const { fakeInput, fakeSignature } = fakeSignatureEntry(genuine, p.clock.seconds());
      const res = await getWithHost(p.port, '/v1/datasets', {
        ...genuine,
        'signature-input': [fakeInput.replace(/^sig0=/, `${label}=`), genuine['signature-input']!],
        signature: [fakeSignature.replace(/^sig0=/, `${label}=`), genuine['signature']!],
      });
      assert.equal(res.status, 401, res.body);
      assert.equal((JSON.parse(res.body) as ErrorBody).error, 'bad_signature', label);
    }
  });

  test('two labels are refused; one signature, as the agent sends it, still passes', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const first = await agent.sign('GET', '/v1/datasets');
    const second = await agent.sign('GET', '/v1/datasets');
    const both = {
      ...first,
      'signature-input': `${first['signature-input']}, sig2=${second['signature-input']!.slice('sig1='.length)}`,
      signature: `${first['signature']}, sig2=${second['signature']!.slice('sig1='.length)}`,
    };
    const res = await agent.send<ErrorBody>('GET', '/v1/datasets', undefined, both);
    assert.equal(res.status, 401);
    assert.equal(res.body.error, 'bad_signature');
    assert.equal((await agent.send('GET', '/v1/datasets', undefined, second)).status, 200);
  });
});

describeOnEachStore('enrollment', (env) => {
  test('a token enrolls one agent with its site scope; the second use is token_used', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'HN-BA-DINH', name: 'Ba Đình', provinceCode: '01', communeCodes: ['00004'] });
    const token = await p.admin.createToken({ site: 'HN-BA-DINH' });
    const first = await plainCall<EnrollmentResponse>(p.url, 'POST', '/v1/enrollments', enrollBody(token, 'HN-BA-DINH'));
    assert.equal(first.status, 201);
    assert.equal(first.body.status, 'active');
    assert.equal(first.body.siteCode, 'HN-BA-DINH');
    assert.deepEqual(first.body.scope, { provinceCode: '01', communeCodes: ['00004'] });
    const second = await plainCall<ErrorBody>(p.url, 'POST', '/v1/enrollments', enrollBody(token, 'HN-BA-DINH'));
    assert.equal(second.status, 403);
    assert.equal(second.body.error, 'token_used');
    assert.equal((await p.admin.listAgents()).length, 1);
  });

  test('a token is stored only as its sha-256: the store never holds it, and its hash alone enrolls nothing', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'A', name: 'A', provinceCode: '01' });
    const token = await p.admin.createToken({ site: 'A' });
    const rows = await p.store.read((em) => em.getRepository(EnrollmentTokenEntity).find());
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.tokenHash, createHash('sha256').update(token, 'utf8').digest('hex'));
    assert.ok(!JSON.stringify(rows).includes(token), 'no column holds the token itself');
    const byHash = await plainCall<ErrorBody>(p.url, 'POST', '/v1/enrollments', enrollBody(rows[0]?.tokenHash ?? '', 'A'));
    assert.equal(byHash.status, 403);
    assert.equal(byHash.body.error, 'token_invalid');
    assert.equal((await plainCall(p.url, 'POST', '/v1/enrollments', enrollBody(token, 'A'))).status, 201);
  });

  test('an expired, unknown or other site’s token is refused with its own code', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'A', name: 'A', provinceCode: '01' });
    await p.admin.addSite({ code: 'B', name: 'B', provinceCode: '48' });
    const expiring = await p.admin.createToken({ site: 'A', ttlSeconds: 60 });
    const forA = await p.admin.createToken({ site: 'A' });
    p.clock.advance(120);
    const cases: [string, string, string][] = [
      [expiring, 'A', 'token_expired'],
      ['x'.repeat(43), 'A', 'token_invalid'],
      [forA, 'B', 'token_wrong_site'],
    ];
    for (const [token, site, code] of cases) {
      const res = await plainCall<ErrorBody>(p.url, 'POST', '/v1/enrollments', enrollBody(token, site));
      assert.equal(res.status, 403, code);
      assert.equal(res.body.error, code);
    }
    assert.equal((await p.admin.listAgents()).length, 0);
  });

  test('a public key that is not Ed25519 SPKI PEM is refused and leaves the token usable', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'A', name: 'A', provinceCode: '01' });
    const token = await p.admin.createToken({ site: 'A' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const key of [rsa, '-----BEGIN PUBLIC KEY-----\nnot a key at all, really not\n-----END PUBLIC KEY-----\n']) {
      const res = await plainCall<ErrorBody>(p.url, 'POST', '/v1/enrollments', enrollBody(token, 'A', key));
      assert.equal(res.status, 400);
      assert.equal(res.body.error, 'validation_failed');
    }
    const ok = await plainCall<EnrollmentResponse>(p.url, 'POST', '/v1/enrollments', enrollBody(token, 'A'));
    assert.equal(ok.status, 201);
  });

  test('where approval is required an agent is pending (agent_pending) until an operator approves it', async () => {
    const p = await env.start();
    await p.admin.addSite({ code: 'HCM', name: 'HCM', provinceCode: '79', requireApproval: true });
    const token = await p.admin.createToken({ site: 'HCM' });
    const { res, client } = await enroll(p.url, token, 'HCM', 'pending agent', p.clock.seconds);
    assert.equal(res.status, 201);
    assert.equal(res.body.status, 'pending');
    const before = await client.catalog<ErrorBody>();
    assert.equal(before.status, 401);
    assert.equal(before.body.error, 'agent_pending');
    assert.deepEqual((await p.admin.listAgents({ status: 'pending' })).map((a) => a.id), [client.agentId]);
    const approved = await p.admin.approveAgent(client.agentId);
    assert.equal(approved.status, 'active');
    assert.equal((await client.catalog()).status, 200);
  });
});

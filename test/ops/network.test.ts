import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { FileKeyStore } from '../../sync-engine/src/adapters/file-key-store.js';
import { bypassesProxy, networkTransport, withoutPassword } from '../../sync-engine/src/adapters/network-transport.js';
import { GotPlatformClient } from '../../sync-engine/src/adapters/platform-client-got.js';
import { addSite, startTestPlatform, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { makeCertificates } from './support/certificates.js';

/** A CONNECT proxy that wants Basic auth `clerk:s3cret`; it records what it saw. */
async function startProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, socket, head) => {
    const auth = req.headers['proxy-authorization'];
    seen.push(`${req.url} ${auth ?? 'no-auth'}`);
    if (auth !== `Basic ${Buffer.from('clerk:s3cret').toString('base64')}`) {
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('proxy, NO_PROXY and extra certificate authorities', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('NO_PROXY matches exact hosts, domain suffixes, * and ports like curl', () => {
    assert.equal(bypassesProxy('ndxp.gov.vn', '', 'ndxp.gov.vn'), true);
    assert.equal(bypassesProxy('api.ndxp.gov.vn', '', '.ndxp.gov.vn'), true);
    assert.equal(bypassesProxy('api.ndxp.gov.vn', '', 'ndxp.gov.vn'), true);
    assert.equal(bypassesProxy('evilndxp.gov.vn', '', 'ndxp.gov.vn'), false);
    assert.equal(bypassesProxy('10.0.0.5', '8443', '10.0.0.5:443'), false);
    assert.equal(bypassesProxy('10.0.0.5', '443', 'localhost, 10.0.0.5:443'), true);
    assert.equal(bypassesProxy('anything', '', '*'), true);
  });

  test('the settings proxy wins over HTTPS_PROXY, NO_PROXY from the environment bypasses it, and the password never shows', () => {
    const env = { HTTPS_PROXY: 'http://env-proxy:3128', NO_PROXY: 'internal.xa' };
    const fromSettings = networkTransport('https://ndxp.gov.vn', { proxy: 'http://clerk:s3cret@proxy.xa:8080' }, env);
    assert.equal(fromSettings.proxyShown, 'http://clerk:***@proxy.xa:8080');
    assert.ok(fromSettings.agents?.https);
    assert.equal(networkTransport('https://ndxp.gov.vn', { proxy: null }, env).proxyShown, 'http://env-proxy:3128');
    assert.equal(networkTransport('https://platform.internal.xa', { proxy: null }, env).agents, undefined);
    assert.equal(networkTransport('https://ndxp.gov.vn', { proxy: null }, {}).agents, undefined);
    assert.equal(withoutPassword('http://a:b@c:1'), 'http://a:***@c:1');
  });

  test('extra CA files are added to the default roots, never replacing them', () => {
    const certs = makeCertificates(temp.make('certs-'));
    const transport = networkTransport('https://ndxp.gov.vn', { proxy: null, caFiles: [certs.caFile] }, {});
    assert.equal(transport.certificateAuthority?.length, rootCertificates.length + 1);
    assert.equal(networkTransport('https://ndxp.gov.vn', { proxy: null }, {}).certificateAuthority, undefined);
  });

  test('the platform client tunnels through an authenticating proxy to a private-CA platform; a wrong proxy password is a 407 failure', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    const proxy = await startProxy();
    try {
      const keyStore = new FileKeyStore(temp.make('keys-'));
      const withAuth = new URL(proxy.url);
      withAuth.username = 'clerk';
      withAuth.password = 's3cret';
      const client = new GotPlatformClient({ baseUrl: p.url, agentId: '', keyStore, network: { proxy: withAuth.href, caFiles: [certs.caFile] } });
      const health = await client.health();
      assert.equal(health.body.status, 'ok');
      assert.deepEqual(proxy.seen, [`127.0.0.1:${p.platform.port} Basic ${Buffer.from('clerk:s3cret').toString('base64')}`]);

      withAuth.password = 'wrong';
      const refused = new GotPlatformClient({ baseUrl: p.url, agentId: '', keyStore, network: { proxy: withAuth.href, caFiles: [certs.caFile] } });
      await assert.rejects(refused.health(), (error: Error) => /407|socket|ECONNRESET|proxy/i.test(error.message));
    } finally {
      proxy.server.close();
      await p.close();
    }
  });
});

describe('network settings reach every command', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('with proxy and CA set by `network set`, enroll and sync go through the authenticating proxy to a private-CA platform', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    const proxy = await startProxy();
    try {
      const site = await addSite(p);
      const home = temp.make('agent-');
      assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
      const proxyUrl = new URL(proxy.url);
      proxyUrl.username = 'clerk';
      proxyUrl.password = 's3cret';
      assert.equal((await cli(home, ['network', 'set', '--proxy', proxyUrl.href, '--ca-file', certs.caFile])).code, 0);
      const shown = await cli(home, ['--json', 'network', 'show']);
      assert.equal(shown.json.proxy, `http://clerk:***@127.0.0.1:${proxyUrl.port}`);

      const token = await p.platform.admin.createToken({ site });
      const enrolled = await cli(home, ['enroll', '--token', token]);
      assert.equal(enrolled.code, 0, enrolled.stderr);
      const sync = await cli(home, ['--json', 'sync']);
      assert.equal(sync.code, 0, sync.stdout);
      assert.ok(proxy.seen.length >= 2, `calls went through the proxy: ${proxy.seen.length}`);
      assert.ok(proxy.seen.every((line) => line.startsWith(`127.0.0.1:${p.platform.port} Basic `)));
    } finally {
      proxy.server.close();
      await p.close();
    }
  });
});

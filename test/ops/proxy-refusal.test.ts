import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { addSite, enrolledAgent, startTestPlatform, TempDirs, type TestPlatform } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

/** A proxy that answers every CONNECT with `status` and a page of its own, as Squid does when it denies, wants a login or cannot reach. */
async function refusingProxy(status: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => res.writeHead(status).end());
  server.on('connect', (_req, socket) => {
    const login = status === 407 ? 'Proxy-Authenticate: Basic realm="office"\r\n' : '';
    const page = '<html><body>ERROR: access denied</body></html>';
    socket.end(`HTTP/1.1 ${status} Proxy Says No\r\n${login}Content-Type: text/html\r\nContent-Length: ${page.length}\r\n\r\n${page}`);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

interface Check {
  id: string;
  status: string;
  detail?: Record<string, unknown>;
  messages: { vi: string; en: string };
}

/**
 * The office proxy refuses the tunnel to the platform (it wants a login, its
 * policy denies the address, it cannot reach it): the proxy's own answer was
 * taken for the platform's ("The national platform refused the request (407
 * HTTP 407). Tell local IT.", exit 4; doctor: "does not answer as the
 * national platform does: check the platform address").
 */
describe("a proxy that refuses to open the connection to the platform", () => {
  const temp = new TempDirs();
  let p: TestPlatform;
  const proxies: { close: () => Promise<void> }[] = [];
  before(async () => {
    p = await startTestPlatform(temp);
  });
  after(async () => {
    for (const proxy of proxies) await proxy.close();
    await p.close();
    temp.cleanup();
  });
  const proxy = async (status: number) => {
    const started = await refusingProxy(status);
    proxies.push(started);
    return started.url;
  };
  const target = () => `127.0.0.1:${new URL(p.url).port}`;

  test('doctor names the proxy, what its answer means and the next step, for 407, 403 and 502', async () => {
    const home = temp.make('agent-');
    assert.equal((await cli(home, ['init', '--platform', p.url, '--site', 'HN-BA-DINH'])).code, 0);
    const expected: Record<number, RegExp> = {
      407: /^The proxy http:\/\/127\.0\.0\.1:\d+ wants a login \(HTTP 407\): ask the office network admin for a proxy account, then set it with edge-agent network set --proxy http:\/\/user:password@host:port\.$/,
      403: new RegExp(`^The proxy http://127\\.0\\.0\\.1:\\d+ does not let this computer connect to ${target()} \\(HTTP 403\\): ask the office network admin .* edge-agent network set --bypass 127\\.0\\.0\\.1\\.$`),
      502: new RegExp(`^The proxy http://127\\.0\\.0\\.1:\\d+ cannot reach ${target()} \\(HTTP 502\\): check the platform address`),
    };
    for (const status of [407, 403, 502]) {
      assert.equal((await cli(home, ['network', 'set', '--proxy', await proxy(status), '--bypass', ''])).code, 0);
      const result = await cli(home, ['--json', 'doctor']);
      assert.equal(result.code, 2);
      const health = (result.json.checks as Check[]).find((c) => c.id === 'health');
      assert.equal(health?.status, 'fail', `${status}: ${JSON.stringify(result.json.checks)}`);
      assert.equal(health?.detail?.['cause'], `ERR_PROXY_${status}`);
      assert.match(health?.messages.en ?? '', expected[status]!);
      assert.match(health?.messages.vi ?? '', /^Proxy http:\/\/127\.0\.0\.1:\d+ /);
    }
  });

  test('sync says it cannot reach the platform and exits 2, not that the platform refused the request (exit 4)', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, p);
    await agent.close();
    assert.equal((await cli(dataDir, ['network', 'set', '--proxy', await proxy(407), '--bypass', ''])).code, 0);
    const result = await cli(dataDir, ['--json', 'sync']);
    assert.equal(result.code, 2, JSON.stringify(result.json));
    assert.equal(result.json.run.status, 'failed');
    assert.equal(result.json.run.error.code, 'network');
    assert.doesNotMatch(JSON.stringify(result.json.run.error.messages), /refused the request|từ chối yêu cầu/);
  });

  test('enroll names the proxy refusal, exit 2, not "that address does not answer as the national platform does"', async () => {
    const site = await addSite(p);
    const token = await p.platform.admin.createToken({ site });
    const home = temp.make('agent-');
    assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
    assert.equal((await cli(home, ['network', 'set', '--proxy', await proxy(403), '--bypass', ''])).code, 0);
    const result = await cli(home, ['--lang', 'en', 'enroll', '--token', token]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`^Not enrolled: the proxy 127\\.0\\.0\\.1:\\d+ does not let this computer connect to ${target()} \\(HTTP 403\\)`));
  });
});

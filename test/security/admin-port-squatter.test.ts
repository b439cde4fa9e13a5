import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, test } from 'node:test';
import { chooseHost } from '../../main/src/host-choice.js';
import { createAdminApiClient, newAdminToken, saveAdminToken } from '../../sync-engine/src/admin-api/index.js';
import { writeServiceFile } from '../../sync-engine/src/service/service-file.js';
import { createFakeAgentApi } from '../admin-api/fake-agent-api.js';
import { startSquatter } from '../admin-api/port-squatter.js';
import { TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { holdLease } from '../agent/support/hold-lease.js';

/**
 * Another local user listens on the admin port while the folder's lease is
 * held but the service's admin API is not (a one-shot `edge-agent sync`, a
 * service still starting, a stale lease). The CLI and the window must never
 * hand it the admin token; they behave as when no service answers.
 */
const temp = new TempDirs();
after(() => temp.cleanup());

test('the CLI never sends the admin token to a program squatting the port; the command runs in-process', async (t) => {
  const home = temp.make('squatter-cli-');
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  const token = newAdminToken();
  saveAdminToken(home, token);
  await holdLease(home, `${hostname()}/${process.pid}/sync-once`);
  const squatter = await startSquatter();
  t.after(() => squatter.close());
  writeServiceFile(home, { pid: process.pid, url: squatter.url, port: squatter.port, startedAt: new Date().toISOString() });

  const status = await cli(home, ['--json', 'status']);
  assert.equal(status.code, 0, status.stdout + status.stderr);
  assert.deepEqual(status.json.leaseHeldBy, { host: hostname(), pid: process.pid }, 'answered in-process, as when no service answers');
  assert.ok(squatter.received.length > 0, 'the CLI did knock on the squatted port');
  assert.ok(squatter.received.every((r) => r.headers.authorization === undefined));
  assert.equal(squatter.saw(token), false);
});

test("the window's host choice never sends the admin token to a program squatting the port; it hosts the service in standby", async (t) => {
  const squatter = await startSquatter();
  t.after(() => squatter.close());
  const token = 'window-token-0123456789abcdefghijklmnopqrstuvwxyz';
  const standby: Array<boolean | undefined> = [];
  const choice = await chooseHost({
    dataDir: '/var/lib/edge-agent',
    leaseHeldByOther: async () => true,
    adminApiUrl: squatter.url,
    readAdminToken: () => token,
    createClient: (options) => createAdminApiClient(options),
    createAgentService: async (_dir, options) => {
      standby.push(options?.standby);
      return Object.assign(createFakeAgentApi(), { close: async () => undefined });
    },
  });
  assert.equal(choice.mode, 'in-process');
  assert.deepEqual(standby, [true]);
  assert.ok(squatter.received.length > 0, 'the window did knock on the squatted port');
  assert.equal(squatter.saw(token), false);
});

test('`edge-agent console` never prints the token-bearing address for a port a squatter holds, nor sends it the token', async (t) => {
  const home = temp.make('squatter-console-');
  const token = newAdminToken();
  saveAdminToken(home, token);
  const squatter = await startSquatter();
  t.after(() => squatter.close());
  // A stale admin-api.json: the service stopped and someone else took its port.
  writeServiceFile(home, { pid: process.pid, url: squatter.url, port: squatter.port, startedAt: new Date().toISOString() });

  const result = await cli(home, ['--lang', 'en', 'console']);
  assert.equal(result.code, 4, result.stdout + result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /Nothing at http:\/\/127\.0\.0\.1:\d+ proves to be this folder's background service .*: the address with the access token is not printed/);
  assert.ok(!result.stderr.includes(token));
  assert.ok(squatter.received.length > 0, 'the command did knock on the squatted port');
  assert.equal(squatter.saw(token), false);
});

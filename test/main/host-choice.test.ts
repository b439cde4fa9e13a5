import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseHost, type ChooseHostOptions } from '../../main/src/host-choice.js';
import type { AgentApiClient, HostedAgentService } from '../../main/src/ports.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminApiClient, newAdminToken, readAdminToken, saveAdminToken, startAdminApi } from '../../sync-engine/src/admin-api/index.js';
import { dataDirArgument, resolveAppPaths } from '../../main/src/app-paths.js';
import { createFakeAgentApi, sampleStatus } from '../admin-api/fake-agent-api.js';

function setup(overrides: Partial<ChooseHostOptions> & { leaseHeld?: boolean[]; token?: string | null; clientAnswer?: 'ok' | 'unreachable' } = {}) {
  const log: string[] = [];
  const leases = [...(overrides.leaseHeld ?? [false])];
  const service: HostedAgentService = Object.assign(createFakeAgentApi(), { close: async () => void log.push('service closed') });
  const options: ChooseHostOptions = {
    dataDir: '/var/lib/edge-agent',
    adminApiUrl: 'http://127.0.0.1:47700',
    leaseHeldByOther: async () => leases.shift() ?? leases.at(-1) ?? false,
    readAdminToken: (dir) => {
      log.push(`token read from ${dir}`);
      return overrides.token === undefined ? 'token-from-data-folder' : overrides.token;
    },
    createClient: ({ baseUrl, token }) => {
      log.push(`client ${baseUrl} ${token}`);
      const client = createFakeAgentApi();
      client.answers['status.get'] = () =>
        overrides.clientAnswer === 'unreachable'
          ? { ok: false, error: { code: 'unreachable', messages: { vi: 'x', en: 'x' } } }
          : { ok: true, value: sampleStatus };
      return Object.assign(client, { close: () => void log.push('client closed') }) satisfies AgentApiClient;
    },
    createAgentService: async (dir) => {
      log.push(`service started on ${dir}`);
      return service;
    },
    ...overrides,
  };
  return { options, log, service };
}

test('when the background service holds the lease, the window becomes a client of its admin API', async () => {
  const { options, log } = setup({ leaseHeld: [true] });
  const choice = await chooseHost(options);
  assert.equal(choice.mode, 'client');
  assert.equal(choice.mode === 'client' && choice.url, 'http://127.0.0.1:47700');
  assert.deepEqual(log, ['token read from /var/lib/edge-agent', 'client http://127.0.0.1:47700 token-from-data-folder']);
  if (choice.mode === 'client') await choice.close();
  assert.ok(log.includes('client closed'));
});

test('when no other process holds the lease, the window hosts the service itself', async () => {
  const { options, log, service } = setup({ leaseHeld: [false] });
  const choice = await chooseHost(options);
  assert.equal(choice.mode, 'in-process');
  assert.equal(choice.mode === 'in-process' && choice.api, service);
  assert.deepEqual(log, ['service started on /var/lib/edge-agent']);
  if (choice.mode === 'in-process') await choice.close();
  assert.ok(log.includes('service closed'));
});

test('if the service takes the lease between the check and the start, the window still becomes its client', async () => {
  const { options } = setup({
    leaseHeld: [false, true],
    createAgentService: () => Promise.reject(new Error('lease held by pid 4242')),
  });
  assert.equal((await chooseHost(options)).mode, 'client');
});

test('a start failure with the lease free is not hidden', async () => {
  const { options } = setup({ leaseHeld: [false, false], createAgentService: () => Promise.reject(new Error('disk full')) });
  await assert.rejects(chooseHost(options), /disk full/);
});

test('a held lease with an unreadable token is reported in both languages', async () => {
  const noToken = await chooseHost(setup({ leaseHeld: [true], token: null }).options);
  assert.equal(noToken.mode, 'unavailable');
  assert.match(noToken.mode === 'unavailable' ? noToken.reason.en : '', /cannot read the access token/);
});

test('a held lease with no admin API answering (a one-shot sync, another computer): the window hosts the service in standby', async () => {
  const standby: Array<boolean | undefined> = [];
  const silent = setup({ leaseHeld: [true], clientAnswer: 'unreachable' });
  const choice = await chooseHost({
    ...silent.options,
    createAgentService: async (dir, options) => {
      standby.push(options?.standby);
      return silent.options.createAgentService(dir, options);
    },
  });
  assert.equal(choice.mode, 'in-process');
  assert.deepEqual(standby, [true], 'started in standby: another holder is not an error');
  assert.ok(silent.log.includes('client closed'));
  assert.ok(silent.log.includes('service started on /var/lib/edge-agent'));
  if (choice.mode === 'in-process') await choice.close();
});

test('the data folder comes from --data-dir, and the app page is the built renderer as a file URL', () => {
  assert.equal(dataDirArgument(['electron', 'main.mjs', '--data-dir=/srv/agent']), '/srv/agent');
  assert.equal(dataDirArgument(['electron', 'main.mjs', '--data-dir', '/srv/agent', '--hidden']), '/srv/agent');
  assert.equal(dataDirArgument(['electron', 'main.mjs']), null);
  const paths = resolveAppPaths('/opt/edge agent');
  assert.equal(paths.appUrl, 'file:///opt/edge%20agent/renderer/dist/index.html');
  assert.equal(paths.preload, join('/opt/edge agent', 'dist', 'electron', 'preload.cjs'));
});

test("the window stays the service's client across a service restart: its client reads the new token from the data folder", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'host-choice-restart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const api = createFakeAgentApi();
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  let token = newAdminToken();
  let server = await startAdminApi({ api, port: 0, token });
  t.after(() => server.close());
  saveAdminToken(dir, token);
  const choice = await chooseHost({
    dataDir: dir,
    leaseHeldByOther: async () => true,
    adminApiUrl: server.url,
    readAdminToken,
    createClient: (options) => createAdminApiClient(options),
    createAgentService: () => Promise.reject(new Error('the window must not host the service')),
  });
  assert.equal(choice.mode, 'client');
  if (choice.mode !== 'client') return;
  t.after(() => choice.close());

  // `edge-agent run` stopped and started again: the same port, a new token in the folder.
  await server.close();
  token = newAdminToken();
  server = await startAdminApi({ api, port: server.port, token });
  saveAdminToken(dir, token);
  assert.deepEqual(await choice.api.call('status.get', {}), { ok: true, value: sampleStatus });
});

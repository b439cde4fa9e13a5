import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { NetworkSettings } from '../../sync-engine/src/adapters/network-transport.js';
import { createAgentService, networkAwareServiceOptions, type PlatformClientConfig } from '../../sync-engine/src/index.js';
import { readServiceFile } from '../../sync-engine/src/service/service-file.js';
import { addSite, ok, startTestPlatform, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { eventually } from '../agent/support/fake-time.js';
import { makeCertificates } from './support/certificates.js';

/** `edge-agent sync` through the running service: 'ok', or the run's error code. */
async function syncThroughService(home: string): Promise<string> {
  const sync = await cli(home, ['--json', 'sync']);
  // Started: the running service made the run (the CLI's own process could not take the folder's lease from it),
  // recorded as asked for from the command line.
  assert.equal(sync.json.started, true, sync.stdout + sync.stderr);
  assert.equal(sync.json.run.trigger, 'cli');
  return sync.json.run.status === 'ok' ? 'ok' : String(sync.json.run.error?.code);
}

describe('network settings changed while the service runs', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('`network set --ca-file/--clear-ca/--bypass` and a CA file replaced in place reach the next sync of a running `edge-agent run`, without a restart', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const otherCa = makeCertificates(temp.make('other-ca-')).caFile;
    const caFile = join(temp.make('it-'), 'office-ca.pem');
    copyFileSync(certs.caFile, caFile);
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    const home = temp.make('agent-');
    const stop = new AbortController();
    let running: ReturnType<typeof cli> | null = null;
    try {
      const site = await addSite(p);
      assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
      assert.equal((await cli(home, ['network', 'set', '--ca-file', caFile])).code, 0);
      assert.equal((await cli(home, ['enroll', '--token', await p.platform.admin.createToken({ site })])).code, 0);

      running = cli(home, ['run', '--port', '0', '--no-sync-at-start'], { stopSignal: stop.signal });
      await eventually(() => readServiceFile(home) !== null, 30_000);
      assert.equal(await syncThroughService(home), 'ok');

      assert.equal((await cli(home, ['network', 'set', '--clear-ca'])).code, 0);
      assert.notEqual(await syncThroughService(home), 'ok', 'without the office CA the platform is not trusted');
      assert.equal((await cli(home, ['network', 'set', '--ca-file', caFile])).code, 0);
      assert.equal(await syncThroughService(home), 'ok', 'the CA file set again is used at once');

      copyFileSync(otherCa, caFile);
      assert.notEqual(await syncThroughService(home), 'ok', 'a CA bundle replaced in place is read again');
      copyFileSync(certs.caFile, caFile);
      assert.equal(await syncThroughService(home), 'ok');

      assert.equal((await cli(home, ['network', 'set', '--proxy', 'http://127.0.0.1:9'])).code, 0);
      assert.equal(await syncThroughService(home), 'network', 'a proxy nobody answers on');
      assert.equal((await cli(home, ['network', 'set', '--bypass', '127.0.0.1'])).code, 0);
      assert.equal(await syncThroughService(home), 'ok', 'the platform now bypasses the proxy');
    } finally {
      stop.abort();
      if (running) assert.equal((await running).code, 0);
      await p.close();
    }
  });

  test('each new platform client and each enrollment of one AgentService gets the network settings stored at that moment', async () => {
    const p = await startTestPlatform(temp);
    const built: NetworkSettings[] = [];
    const enrolledWith: NetworkSettings[] = [];
    const real = networkAwareServiceOptions();
    const dataDir = temp.make('agent-');
    const agent = await createAgentService({
      dataDir,
      onError: () => undefined,
      platformClientFactory: (config: PlatformClientConfig) => {
        built.push(config.network);
        return real.platformClientFactory!(config);
      },
      enroll: (url, request, network) => {
        enrolledWith.push(network);
        return real.enroll!(url, request, network);
      },
    });
    try {
      const site = await addSite(p);
      await ok(agent, 'settings.update', { platformUrl: p.url, siteCode: site });
      const certs = makeCertificates(temp.make('certs-'));
      // Written by another process (`network set`), as the service's Settings screen never shows them.
      assert.equal((await cli(dataDir, ['network', 'set', '--ca-file', certs.caFile, '--bypass', 'ndxp.internal'])).code, 0);
      await ok(agent, 'enrollment.enroll', { token: await p.platform.admin.createToken({ site }) });
      assert.deepEqual(enrolledWith.at(-1), { proxy: null, noProxy: 'ndxp.internal', caFiles: [certs.caFile] });

      await ok(agent, 'sync.now', {});
      assert.deepEqual(built.at(-1), { proxy: null, noProxy: 'ndxp.internal', caFiles: [certs.caFile] });
      const clients = built.length;
      await ok(agent, 'sync.now', {});
      assert.equal(built.length, clients, 'nothing changed: the client is kept');

      assert.equal((await cli(dataDir, ['network', 'set', '--bypass', 'localhost,127.0.0.1', '--clear-ca'])).code, 0);
      await ok(agent, 'sync.now', {});
      assert.deepEqual(built.at(-1), { proxy: null, noProxy: 'localhost,127.0.0.1', caFiles: [] });
    } finally {
      await agent.close();
      await p.close();
    }
  });
});

import { enroll, GotPlatformClient } from '../../../sync-engine/src/adapters/platform-client-got.js';
import { FileKeyStore } from '../../../sync-engine/src/adapters/file-key-store.js';
import { generateAgentKeyPair } from '../../../sync-engine/src/protocol/signing.js';
import type { PlatformClient } from '../../../sync-engine/src/sync/ports.js';
import type { SyncSummary } from '../../../sync-engine/src/sync/sync-events.js';
import { SyncRun } from '../../../sync-engine/src/sync/sync-run.js';
import type { RunningPlatform } from '../../../national-platform/src/index.js';
import { openEngineFixture, type EngineFixture, type TestClock } from '../../engine/support/engine-fixture.js';

export interface ProxiedAgent extends EngineFixture {
  agentId: string;
  siteCode: string;
  client: PlatformClient;
  /** One SyncRun, as the scheduler would start it (SyncRun never throws for the platform's failures). */
  sync(): Promise<SyncSummary>;
}

/**
 * An agent (engine core, real SQLite store in a temp folder) enrolled with the
 * platform directly, then talking to it through `baseUrl` (a fault proxy).
 * `client` may be swapped by a test (e.g. to point at a restarted platform).
 */
export async function proxiedAgent(platform: RunningPlatform, siteCode: string, clock: TestClock, baseUrl: string, dir?: string): Promise<ProxiedAgent> {
  const fixture = await openEngineFixture({ bare: true, clock, ...(dir ? { dir } : {}) });
  const keyStore = new FileKeyStore(fixture.dir);
  const pair = generateAgentKeyPair();
  await keyStore.save(pair);
  const token = await platform.admin.createToken({ site: siteCode });
  const answer = await enroll(platform.url, { token, siteCode, agentName: `Agent ${siteCode}`, publicKey: pair.publicKeyPem }, { now: clock.now });
  await fixture.store.transaction((tx) =>
    fixture.ctx.credentials.saveIdentity(tx, {
      agentId: answer.agentId,
      siteCode: answer.siteCode,
      scope: answer.scope,
      status: answer.status,
      platformUrl: baseUrl,
      keyRef: keyStore.ref,
    }),
  );
  const agent: ProxiedAgent = {
    ...fixture,
    agentId: answer.agentId,
    siteCode,
    client: new GotPlatformClient({ baseUrl, agentId: answer.agentId, keyStore, now: clock.now, timeoutMs: 10_000 }),
    sync: () => new SyncRun({ ctx: fixture.ctx, client: agent.client }).run('test'),
  };
  return agent;
}

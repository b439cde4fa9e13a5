import { enroll, GotPlatformClient } from '../../../sync-engine/src/adapters/platform-client-got.js';
import { FileKeyStore } from '../../../sync-engine/src/adapters/file-key-store.js';
import { generateAgentKeyPair } from '../../../sync-engine/src/protocol/signing.js';
import type { SyncSummary } from '../../../sync-engine/src/sync/sync-events.js';
import { SyncRun } from '../../../sync-engine/src/sync/sync-run.js';
import type { RunningPlatform } from '../../../national-platform/src/index.js';
import { openEngineFixture, type EngineFixture, type TestClock } from './engine-fixture.js';

export interface EnrolledAgent extends EngineFixture {
  agentId: string;
  client: GotPlatformClient;
  sync(): Promise<SyncSummary>;
}

/**
 * A fresh agent that enrolled with a running reference platform through real
 * HTTP: key pair in a FileKeyStore, one-time token, identity in credentials.
 */
export async function enrolledAgent(platform: RunningPlatform, siteCode: string, clock: TestClock): Promise<EnrolledAgent> {
  const fixture = await openEngineFixture({ bare: true, clock });
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
      platformUrl: platform.url,
      keyRef: keyStore.ref,
    }),
  );
  const client = new GotPlatformClient({ baseUrl: platform.url, agentId: answer.agentId, keyStore, now: clock.now });
  const run = new SyncRun({ ctx: fixture.ctx, client });
  return { ...fixture, agentId: answer.agentId, client, sync: () => run.run('test') };
}

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

export interface EnrolledAgentOptions {
  /** Where the agent talks to the platform after enrolling (e.g. a fault proxy); default the platform's own URL. */
  baseUrl?: string;
  dir?: string;
  timeoutMs?: number;
}

/**
 * A fresh agent that enrolled with a running reference platform through real
 * HTTP: key pair in a FileKeyStore, one-time token, identity in credentials.
 */
export async function enrolledAgent(platform: RunningPlatform, siteCode: string, clock: TestClock, options: EnrolledAgentOptions = {}): Promise<EnrolledAgent> {
  const baseUrl = options.baseUrl ?? platform.url;
  const fixture = await openEngineFixture({ bare: true, clock, ...(options.dir ? { dir: options.dir } : {}) });
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
  const client = new GotPlatformClient({
    baseUrl,
    agentId: answer.agentId,
    keyStore,
    now: clock.now,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  const run = new SyncRun({ ctx: fixture.ctx, client });
  return { ...fixture, agentId: answer.agentId, client, sync: () => run.run('test') };
}

import type { PlatformClient } from '../../../sync-engine/src/sync/ports.js';
import type { SyncSummary } from '../../../sync-engine/src/sync/sync-events.js';
import { SyncRun } from '../../../sync-engine/src/sync/sync-run.js';
import type { RunningPlatform } from '../../../national-platform/src/index.js';
import type { EngineFixture, TestClock } from '../../engine/support/engine-fixture.js';
import { enrolledAgent } from '../../engine/support/enrolled-agent.js';

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
  const enrolled = await enrolledAgent(platform, siteCode, clock, { baseUrl, timeoutMs: 10_000, ...(dir ? { dir } : {}) });
  const agent: ProxiedAgent = {
    ...enrolled,
    siteCode,
    client: enrolled.client,
    sync: () => new SyncRun({ ctx: enrolled.ctx, client: agent.client }).run('test'),
  };
  return agent;
}

import { rmSync } from 'node:fs';
import { enroll, GotPlatformClient } from '../../sync-engine/src/adapters/platform-client-got.js';
import { FileKeyStore } from '../../sync-engine/src/adapters/file-key-store.js';
import { generateAgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import { openAgentStore, type AgentStore } from '../../sync-engine/src/store/agent-store.js';
import { createEngineContext, type EngineContext } from '../../sync-engine/src/store/engine-context.js';
import type { PlatformClient } from '../../sync-engine/src/sync/ports.js';
import type { SyncProgress, SyncSummary } from '../../sync-engine/src/sync/sync-events.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';

/** A PlatformClient that counts calls (each method is exactly one HTTP request) and the time spent waiting on each kind. */
export class CountingClient implements PlatformClient {
  requests = 0;
  readonly waitMs: Record<'health' | 'catalog' | 'pull' | 'push' | 'digest', number> = { health: 0, catalog: 0, pull: 0, push: 0, digest: 0 };
  constructor(private readonly inner: PlatformClient) {}
  health: PlatformClient['health'] = () => this.count('health', () => this.inner.health());
  catalog: PlatformClient['catalog'] = () => this.count('catalog', () => this.inner.catalog());
  pull: PlatformClient['pull'] = (dataset, since, limit) => this.count('pull', () => this.inner.pull(dataset, since, limit));
  push: PlatformClient['push'] = (mutations) => this.count('push', () => this.inner.push(mutations));
  digest: PlatformClient['digest'] = (dataset) => this.count('digest', () => this.inner.digest(dataset));
  private async count<T>(kind: keyof CountingClient['waitMs'], call: () => Promise<T>): Promise<T> {
    this.requests += 1;
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.waitMs[kind] += performance.now() - started;
    }
  }
}

export interface BenchAgent {
  dir: string;
  store: AgentStore;
  ctx: EngineContext;
  client: CountingClient;
  sync(onProgress?: (event: SyncProgress) => void): Promise<SyncSummary>;
  close(): Promise<void>;
}

/**
 * A fresh agent store in `dir`, enrolled with the platform over real HTTP with
 * a one-time token made by the parent (Ed25519 key in a FileKeyStore), with the
 * engine's real got client. The real clock on both sides: signatures must fall
 * inside the platform's skew window.
 */
export async function enrollWithToken(platformUrl: string, siteCode: string, token: string, dir: string): Promise<BenchAgent> {
  const store = await openAgentStore(dir, { integrityCheck: false });
  const ctx = createEngineContext(store);
  const keyStore = new FileKeyStore(dir);
  const pair = generateAgentKeyPair();
  await keyStore.save(pair);
  const answer = await enroll(platformUrl, { token, siteCode, agentName: `Bench ${siteCode}`, publicKey: pair.publicKeyPem });
  await store.transaction((tx) =>
    ctx.credentials.saveIdentity(tx, {
      agentId: answer.agentId,
      siteCode: answer.siteCode,
      scope: answer.scope,
      status: answer.status,
      platformUrl,
      keyRef: keyStore.ref,
    }),
  );
  const got = new GotPlatformClient({ baseUrl: platformUrl, agentId: answer.agentId, keyStore });
  const client = new CountingClient(got);
  return {
    dir,
    store,
    ctx,
    client,
    sync: (onProgress) => new SyncRun({ ctx, client, ...(onProgress ? { onProgress } : {}) }).run('manual'),
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Throws when a sync did not finish cleanly: a bench figure of a failed run means nothing. */
export function assertSynced(summary: SyncSummary): SyncSummary {
  if (summary.status !== 'ok') throw new Error(`sync ${summary.status}: ${JSON.stringify(summary.errors)}`);
  return summary;
}

import { AgentEntity } from '../store/entities/agent.js';
import type { PlatformStore } from '../store/platform-store.js';
import { BatchedWrites } from './batched-writes.js';

export interface LastSeenOptions {
  /** The platform clock. */
  now: () => Date;
  /** How long a sighting may wait in memory before it is written (ms). */
  flushDelayMs?: number;
  /** Where a failed background write is reported. */
  log?: (line: string) => void;
}

/** Half a minute: `agents list` is at most that behind serve, and 3,321 offices cost one transaction per 30 s. */
const DEFAULT_FLUSH_DELAY_MS = 30_000;

/**
 * When each agent last made a signed request the platform accepted (agents.
 * last_seen_at), so the operator can see which offices have stopped syncing
 * (`agents list --not-seen-for 3d`). A sighting is kept in memory and written
 * in batches, one transaction every `flushDelayMs` and on close, as the nonces
 * are (nonce-registry.ts): the request path costs no write of its own. A time
 * is only ever moved forward, so a late batch never hides a newer sighting
 * written by another process on the same database. A crash loses at most the
 * last batch: the agent is seen again at its next sync.
 */
export class LastSeenRecorder {
  private pending = new Map<string, string>();
  private readonly writes: BatchedWrites;
  private closed = false;

  constructor(
    private readonly store: PlatformStore,
    private readonly options: LastSeenOptions,
  ) {
    this.writes = new BatchedWrites(options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS, () => this.write());
  }

  /** The agent made a signed request now. */
  seen(agentId: string): void {
    this.pending.set(agentId, this.options.now().toISOString());
    this.writes.soon();
  }

  /** Writes the pending sightings; writes never overlap, a failed one is retried with the next. */
  flush(): Promise<void> {
    return this.writes.now();
  }

  /** Writes what is pending; a failure then is reported, not retried. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.write(async (em) => {
        for (const [id, at] of batch) {
          await em
            .createQueryBuilder()
            .update(AgentEntity)
            .set({ lastSeenAt: at })
            .where('id = :id AND (last_seen_at IS NULL OR last_seen_at < :at)', { id, at })
            .execute();
        }
      });
    } catch (err) {
      // Keep the batch unless a newer sighting came in meanwhile.
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      (this.options.log ?? (() => undefined))(`last-seen write failed, will retry: ${err instanceof Error ? err.message : String(err)}`);
      if (!this.closed) this.writes.soon();
    }
  }
}

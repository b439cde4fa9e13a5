import { NonceEntity, type NonceRow } from '../store/entities/agent.js';
import type { PlatformStore } from '../store/platform-store.js';
import { insertRows } from '../store/row-insert.js';
import { BatchedWrites } from './batched-writes.js';
import { PlatformError } from './platform-error.js';

export interface NonceRegistryOptions {
  /** Seconds since the epoch, the platform clock. */
  nowSeconds: () => number;
  /** How long a new nonce may wait in memory before it is written (ms). */
  flushDelayMs?: number;
  /** Pending nonces that trigger a write at once. */
  flushAtCount?: number;
  /** How often expired nonces are dropped from memory and the table (seconds). */
  sweepEverySeconds?: number;
  /** Where a failed background write is reported. */
  log?: (line: string) => void;
}

const DEFAULT_FLUSH_DELAY_MS = 250;
const DEFAULT_FLUSH_AT_COUNT = 300;
const DEFAULT_SWEEP_EVERY_SECONDS = 60;

const keyOf = (agentId: string, nonce: string) => `${agentId}\u0000${nonce}`;

/**
 * The replay guard of signed requests: every nonce seen and not yet expired,
 * checked in memory, synchronously, per request. A nonce is remembered until
 * its `expiresAt`, past which the signature's `created` fails the clock check
 * anyway, so forgetting it then lets nothing through.
 *
 * The nonces also go to the `nonces` table, so a restarted platform refuses
 * what the last one saw; they are written in batches (one transaction every
 * `flushDelayMs`, or at `flushAtCount` pending, and on close) instead of one
 * durable transaction per request, which cost an fsync per request and queued
 * every other request behind it.
 *
 * What a crash can cost: the nonces of the last unflushed batch (at most
 * ~250 ms of requests) are not in the table, so after a restart, a request
 * captured in that window could be replayed once within its clock window. Such
 * a replay can only repeat what the original request did: a read (catalog,
 * changes, digest) returns data the sender was already given, and a push is
 * exactly-once anyway: each mutation's result is stored under its mutationId in
 * the push's own (durable) transaction, so the replay is answered `duplicate`
 * and changes nothing. Enrollment is not signed: it is guarded by its one-time
 * token instead.
 *
 * One platform process per store owns the guard (as with `serve`); the CLI
 * never authenticates requests. Several processes serving one PostgreSQL
 * database would each see only their own nonces until a restart.
 */
export class NonceRegistry {
  private readonly seen = new Map<string, number>();
  private pending: NonceRow[] = [];
  private readonly writes: BatchedWrites;
  private lastSweep: number;
  private sweepTableDue = false;
  private closed = false;
  private readonly flushAtCount: number;
  private readonly sweepEverySeconds: number;

  private constructor(
    private readonly store: PlatformStore,
    private readonly options: NonceRegistryOptions,
  ) {
    this.writes = new BatchedWrites(options.flushDelayMs ?? DEFAULT_FLUSH_DELAY_MS, () => this.write());
    this.flushAtCount = options.flushAtCount ?? DEFAULT_FLUSH_AT_COUNT;
    this.sweepEverySeconds = options.sweepEverySeconds ?? DEFAULT_SWEEP_EVERY_SECONDS;
    this.lastSweep = options.nowSeconds();
  }

  /** Loads the unexpired nonces a previous run stored. */
  static async open(store: PlatformStore, options: NonceRegistryOptions): Promise<NonceRegistry> {
    const registry = new NonceRegistry(store, options);
    const now = options.nowSeconds();
    const rows = await store.read((em) =>
      em.getRepository(NonceEntity).createQueryBuilder('n').where('n.expires_at >= :now', { now }).getMany(),
    );
    for (const row of rows) registry.seen.set(keyOf(row.agentId, row.nonce), row.expiresAt);
    return registry;
  }

  /**
   * Records a nonce and says whether it is new. False means it was seen and
   * has not expired: the request is a replay.
   */
  claim(agentId: string, nonce: string, expiresAt: number): boolean {
    // A request still in flight while the platform stops: answered as a short outage, retried later.
    if (this.closed) throw new PlatformError('maintenance', 'the platform is stopping; try again shortly', { retryAfterSeconds: 5 });
    const now = this.options.nowSeconds();
    this.sweepMemory(now);
    const key = keyOf(agentId, nonce);
    const known = this.seen.get(key);
    if (known !== undefined && known >= now) return false;
    this.seen.set(key, expiresAt);
    this.pending.push({ agentId, nonce, expiresAt });
    if (this.pending.length >= this.flushAtCount) void this.flush();
    else this.writes.soon();
    return true;
  }

  /** Nonces held in memory (seen and unexpired as of the last sweep). */
  get size(): number {
    return this.seen.size;
  }

  /**
   * Writes the pending nonces (and drops expired rows when a sweep is due).
   * Writes never overlap; a failed write keeps its rows pending for the next
   * one, and the guard in memory holds meanwhile.
   */
  flush(): Promise<void> {
    return this.writes.now();
  }

  /** Flushes what is pending; later claims are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private async write(): Promise<void> {
    const sweepBefore = this.sweepTableDue ? this.options.nowSeconds() : null;
    if (this.pending.length === 0 && sweepBefore === null) return;
    const now = this.options.nowSeconds();
    // A nonce that expired while it waited needs no row.
    const rows = this.pending.filter((r) => r.expiresAt >= now);
    this.pending = [];
    this.sweepTableDue = false;
    try {
      await this.store.write(async (em) => {
        if (sweepBefore !== null) await em.createQueryBuilder().delete().from(NonceEntity).where('expires_at < :now', { now: sweepBefore }).execute();
        // An upsert: the row of an expired use of the same nonce may still be there, and an
        // earlier write may have committed although it reported an error.
        await insertRows(em, NonceEntity, rows, { update: { target: ['agent_id', 'nonce'], columns: ['expires_at'] } });
      });
    } catch (err) {
      this.pending = rows.concat(this.pending);
      if (sweepBefore !== null) this.sweepTableDue = true;
      (this.options.log ?? (() => undefined))(`nonce write failed, will retry: ${err instanceof Error ? err.message : String(err)}`);
      if (!this.closed) this.writes.soon();
      else throw err;
    }
  }

  /** Drops expired nonces from memory, and marks the table's for the next write. */
  private sweepMemory(now: number): void {
    if (now - this.lastSweep < this.sweepEverySeconds && now >= this.lastSweep) return;
    this.lastSweep = now;
    for (const [key, expiresAt] of this.seen) if (expiresAt < now) this.seen.delete(key);
    this.sweepTableDue = true;
    this.writes.soon();
  }
}

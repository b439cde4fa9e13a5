import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { canAcquire, holderProcess, holdsLease, renewed, type Lease } from '../domain/lease.js';
import type { Clock, Timer, TimerHandle } from '../schedule/ports.js';
import { AGENT_DB_FILE, openAgentStore, storeFailureOf, type AgentStore } from '../store/agent-store.js';
import { LeaseStore } from '../store/lease-store.js';

export const DEFAULT_LEASE_TTL_MS = 30_000;
export const DEFAULT_HEARTBEAT_MS = 10_000;

/** True when a process with this id exists on this computer (EPERM: it exists, we may not signal it). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder id that says who holds the lease: host, process id and a random part. */
export function leaseHolderId(random: () => number = Math.random): string {
  return `${hostname()}/${process.pid}/${Math.floor(random() * 2 ** 32).toString(36)}`;
}


/**
 * A holder on this computer whose process is gone cannot renew: its lease is
 * free at once, so a service restarted after a crash need not wait a TTL.
 */
export function isDeadLocalHolder(holder: string, isAlive: (pid: number) => boolean = isProcessAlive): boolean {
  const { host, pid } = holderProcess(holder);
  return host === hostname() && pid !== null && pid !== process.pid && !isAlive(pid);
}

export interface LeaseKeeperOptions {
  store: AgentStore;
  clock: Clock;
  timer: Timer;
  holder: string;
  ttlMs?: number;
  heartbeatMs?: number;
  isAlive?: (pid: number) => boolean;
  /** Told when this process gains or loses the lease. */
  onChange?: (held: boolean) => void;
  /** Told when another holder is seen to appear, change or go, at each attempt to take the lease. */
  onOtherHolder?: (holder: string | null) => void;
  onError?: (error: unknown) => void;
}

/**
 * "Exactly one process syncs a given data folder at a time" (ARCHITECTURE.md):
 * takes the folder's lease and renews it by heartbeat. A process that does not
 * get it keeps trying at every heartbeat, so it takes over when the holder
 * stops; meanwhile it may read and write records but does not sync.
 */
export class LeaseKeeper {
  private held = false;
  private other: string | null = null;
  private handle: TimerHandle | null = null;
  private readonly leases: LeaseStore;
  private readonly ttlMs: number;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.leases = new LeaseStore(options.store);
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
  }

  get holder(): string {
    return this.options.holder;
  }

  /** Whether this process holds an unexpired lease, as of its last renewal. */
  holds(): boolean {
    return this.held;
  }

  /** Takes (or renews) the lease once; true when this process holds it afterwards. */
  async acquire(): Promise<boolean> {
    const now = this.options.clock.now();
    const isAlive = this.options.isAlive ?? isProcessAlive;
    // The other live holder that keeps this process out, or null once this process holds the lease.
    const other = await this.options.store.transaction(async (tx): Promise<string | null> => {
      const current = await this.leases.current(tx);
      if (current !== null && !canAcquire(current, this.holder, now) && !isDeadLocalHolder(current.holder, isAlive)) return current.holder;
      const next = renewed(this.holder, now, this.ttlMs);
      await tx.run(
        `INSERT INTO "lease" ("id", "holder", "expires_at") VALUES (1, ?, ?)
         ON CONFLICT ("id") DO UPDATE SET "holder" = excluded."holder", "expires_at" = excluded."expires_at"`,
        [next.holder, next.expiresAt],
      );
      return null;
      // The heartbeat waits out a filter index being built (one index, well inside the TTL) rather than stop every build.
    }, { preempts: false });
    const got = other === null;
    this.setHeld(got);
    this.setOther(other);
    return got;
  }

  /** Renews (or tries to take) the lease every heartbeat until stopped. */
  startHeartbeat(): void {
    if (this.handle !== null) return;
    const beat = () => {
      this.handle = this.options.timer.set(() => {
        this.acquire()
          .catch((error: unknown) => {
            this.setHeld(false);
            this.options.onError?.(error);
          })
          .finally(() => {
            if (this.handle !== null) beat();
          });
      }, this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    };
    beat();
  }

  /** Stops the heartbeat and gives the lease up. */
  async release(): Promise<void> {
    if (this.handle !== null) this.options.timer.clear(this.handle);
    this.handle = null;
    if (this.held) await this.leases.release(this.holder).catch(() => undefined);
    this.setHeld(false);
    this.other = null;
  }

  /** The other live holder, if another process holds the lease now. */
  async otherHolder(): Promise<string | null> {
    const current = await this.leases.current();
    return liveOtherHolder(current, this.holder, this.options.clock.now(), this.options.isAlive);
  }

  private setHeld(held: boolean): void {
    if (held === this.held) return;
    this.held = held;
    this.options.onChange?.(held);
  }

  private setOther(other: string | null): void {
    if (other === this.other) return;
    this.other = other;
    this.options.onOtherHolder?.(other);
  }
}

function liveOtherHolder(current: Lease | null, self: string | null, now: number, isAlive?: (pid: number) => boolean): string | null {
  if (current === null || current.holder === self) return null;
  if (!holdsLease(current, current.holder, now)) return null;
  if (isDeadLocalHolder(current.holder, isAlive)) return null;
  return current.holder;
}

/**
 * For the desktop shell: does another live process sync this data folder now?
 * (Then the window becomes that service's client instead of hosting one.)
 * A folder without a store has no lease.
 */
export async function isLeaseHeldByOther(dataDir: string, now: () => number = Date.now): Promise<boolean> {
  return (await leaseHolder(dataDir, now)) !== null;
}

/**
 * The live holder of the data folder's lease, or null. It opens the store
 * without the quick_check, so a damaged page shows at the read: that failure,
 * like one at open, is a StoreCorruptedError (or StoreBusyError).
 */
export async function leaseHolder(dataDir: string, now: () => number = Date.now): Promise<string | null> {
  if (!existsSync(join(dataDir, AGENT_DB_FILE))) return null;
  // A peek: it migrates nothing (it may run beside an older build's service) and reads a store a newer build upgraded, which restore must be able to replace.
  const store = await openAgentStore(dataDir, { integrityCheck: false, migrate: false });
  try {
    // A file whose first migration never committed (its creation was cut short) has no lease table, and no holder.
    if (!(await store.sql.get(`SELECT 1 FROM "sqlite_master" WHERE "type" = 'table' AND "name" = 'lease'`))) return null;
    return await liveLeaseHolder(store, now());
  } catch (error) {
    throw storeFailureOf(store.file, error);
  } finally {
    await store.close();
  }
}

/** The live holder of the lease kept in `store` (a process just opening it holds none), or null. */
export async function liveLeaseHolder(store: AgentStore, now: number): Promise<string | null> {
  return liveOtherHolder(await new LeaseStore(store).current(), null, now);
}

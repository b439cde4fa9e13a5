/**
 * "Exactly one process syncs a given data folder at a time" (ARCHITECTURE.md):
 * the arithmetic of the lease the store keeps in SQLite. A holder renews its
 * lease by heartbeat well before `expiresAt`; a lease not renewed in time is
 * free, so a crashed process never blocks the folder for longer than one TTL.
 * The store does the compare-and-set; this file only decides.
 */

export interface Lease {
  /** Who holds it: a per-process id (e.g. pid plus a random suffix chosen by the caller). */
  holder: string;
  /** ms since the epoch; the lease is free from this instant on. */
  expiresAt: number;
}

/** True when `holder` may take or keep the lease: it is free, expired, or already theirs. */
export function canAcquire(current: Lease | null, holder: string, now: number): boolean {
  if (current === null) return true;
  if (current.holder === holder) return true;
  return current.expiresAt <= now;
}

/** The lease `holder` writes when acquiring or renewing at `now`. */
export function renewed(holder: string, now: number, ttlMs: number): Lease {
  if (!(ttlMs > 0)) throw new RangeError(`lease TTL must be positive, got ${ttlMs}`);
  return { holder, expiresAt: now + ttlMs };
}

/** True when `holder` holds an unexpired lease at `now` (check before each write of a sync run). */
export function holdsLease(current: Lease | null, holder: string, now: number): boolean {
  return current !== null && current.holder === holder && current.expiresAt > now;
}

/** The computer and process a holder id names (`leaseHolderId`), without its random part; pid null when it names none. */
export function holderProcess(holder: string): { host: string; pid: number | null } {
  const [host = holder, pid] = holder.split('/');
  const n = Number(pid);
  return { host, pid: Number.isInteger(n) && n > 0 ? n : null };
}

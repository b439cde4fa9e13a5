/**
 * Splay: each agent's own, fixed offset after every tick of its cron schedule,
 * so a fleet on the same schedule (3,321 communes, every 5 minutes by default)
 * does not call the platform in the same second. The offset comes from the agent's id,
 * not from a random draw at each start, so an office syncs at the same second
 * past each tick across restarts, and the time it is shown is the time it runs.
 */

/** The largest offset: 4 min 59 s, so at the default schedule (every 5 minutes) the fleet spreads over the whole gap. */
export const SPLAY_MAX_MS = 299_000;

/** The offset ends at least this long before the schedule's next tick. */
export const SPLAY_MARGIN_MS = 1_000;

const MINUTE_MS = 60_000;

/**
 * The agent's place in the splay window, in [0, 1), from a stable key (its
 * agent id): FNV-1a over the key's UTF-16 code units, then MurmurHash3's
 * finaliser, so ids that differ only in a few characters (UUIDv7s handed out
 * in the same second share their first half) land far apart.
 */
export function splayFraction(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/**
 * How far past a tick a run may be put off, given the time to the schedule's
 * next tick: min(SPLAY_MAX_MS, gap - SPLAY_MARGIN_MS), never negative. A
 * five-field schedule ticks on whole minutes, so the gap is first rounded up
 * to a whole minute: a tick that fires a few ms late keeps the same window.
 * No gap known (null, Infinity): the largest window.
 */
export function splayWindow(gapMs: number | null): number {
  if (gapMs === null || !Number.isFinite(gapMs)) return SPLAY_MAX_MS;
  const gap = Math.ceil(Math.max(0, gapMs) / MINUTE_MS) * MINUTE_MS;
  return Math.max(0, Math.min(SPLAY_MAX_MS, gap - SPLAY_MARGIN_MS));
}

/**
 * The offset of one tick: `fraction` of the window, in whole ms, in
 * [0, splayWindow(gapMs)). A fraction outside [0, 1) is clamped, so a bad
 * value can neither run early nor push the run past the next tick.
 */
export function splayDelay(fraction: number, gapMs: number | null): number {
  const f = fraction > 0 ? Math.min(fraction, 1 - Number.EPSILON) : 0;
  return Math.floor(f * splayWindow(gapMs));
}

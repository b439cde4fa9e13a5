/**
 * When to try the platform again after a failure: exponential backoff with
 * full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"), and
 * the platform's `Retry-After` honoured (SYNC-PROTOCOL.md, Errors). Randomness
 * and the current time are arguments, so every delay is reproducible in tests.
 */

export interface BackoffPolicy {
  /** The largest delay of attempt 0. */
  baseMs: number;
  /** No jittered delay is ever longer than this. */
  capMs: number;
}

/**
 * About 2 s doubling to half an hour. The cap is well above the default
 * schedule (every 5 minutes) on purpose: while the platform is down, cron ticks
 * are skipped and these retries are the only tries, so a cap at or below the
 * schedule would try MORE often than the schedule (a 5-minute cap with full
 * jitter tried about every 2.5 minutes: some 560 failed runs a day, against 288
 * scheduled). The wait costs nothing once the platform is back: the health
 * probe sees it answering and the scheduler tries at once (platformAnswering).
 */
export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ baseMs: 2_000, capMs: 1_800_000 });

/**
 * The longest Retry-After honoured. A platform (or a proxy in front of it)
 * asking for more is treated as asking for an hour, so a typo in a gateway
 * cannot park an office's outbox for days.
 */
export const RETRY_AFTER_CEILING_MS = 3_600_000;

/**
 * Full jitter: uniform in [0, min(cap, base * 2^attempt)). Attempt 0 waits up to
 * `baseMs`. `random` returns a number in [0, 1) like Math.random; values outside
 * are clamped so a bad source cannot produce a negative or over-cap delay.
 */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  return Math.floor(clampUnit(random()) * backoffCeiling(attempt, policy));
}

/**
 * Equal jitter: half the ceiling, plus a uniform share of the other half, so in
 * [ceiling / 2, ceiling). For a wait that must not shrink to nothing (the
 * health probe while the platform is down: full jitter would probe about twice
 * as often), yet must not keep a fleet that failed together in lock-step.
 */
export function equalJitterDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const ceiling = backoffCeiling(attempt, policy);
  const half = Math.ceil(ceiling / 2);
  return half + Math.floor(clampUnit(random()) * (ceiling - half));
}

/** min(cap, base * 2^attempt): the upper bound of the jittered delay. */
export function backoffCeiling(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Number.isFinite(attempt) && attempt > 0 ? Math.floor(attempt) : 0;
  const base = Math.max(0, policy.baseMs);
  const cap = Math.max(0, policy.capMs);
  // 2^n overflows to Infinity for large n; min() then yields the cap.
  return Math.min(cap, base * 2 ** n);
}

/**
 * The delay before the next try: the jittered backoff, but never sooner than the
 * platform asked (Retry-After, capped at RETRY_AFTER_CEILING_MS).
 */
export function nextRetryDelay(
  attempt: number,
  retryAfterMs: number | null,
  random: () => number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const jittered = backoffDelay(attempt, random, policy);
  if (retryAfterMs === null || Number.isNaN(retryAfterMs)) return jittered;
  const asked = Math.min(Math.max(0, Math.ceil(retryAfterMs)), RETRY_AFTER_CEILING_MS);
  return Math.max(asked, jittered);
}

/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3) into milliseconds from
 * `now`: delta-seconds, or an HTTP-date in any of the three forms a recipient
 * must accept (IMF-fixdate, RFC 850, asctime; all GMT). Invalid -> null; a date
 * in the past or a negative number -> 0.
 */
export function parseRetryAfter(header: string | undefined, now: Date): number | null {
  if (header === undefined) return null;
  const value = header.trim();
  if (value === '') return null;
  if (/^-?\d+$/.test(value)) {
    const seconds = Number(value);
    return seconds <= 0 ? 0 : seconds * 1000;
  }
  const at = parseHttpDate(value);
  if (at === null) return null;
  return Math.max(0, at - now.getTime());
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY = '(?:mon|tue|wed|thu|fri|sat|sun)';
const LONG_DAY = '(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)';
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})';
// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ([a-z]{3}) (\\d{4}) ${TIME} gmt$`, 'i');
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = new RegExp(`^${LONG_DAY}, (\\d{2})-([a-z]{3})-(\\d{2}) ${TIME} gmt$`, 'i');
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^${DAY} ([a-z]{3}) ( \\d|\\d{2}) ${TIME} (\\d{4})$`, 'i');

/**
 * Parsed by hand, not with Date.parse: V8 reads an asctime date as local time
 * (it is GMT) and accepts strings such as "2" as dates.
 */
function parseHttpDate(value: string): number | null {
  let m = IMF_FIXDATE.exec(value);
  if (m) return utc(Number(m[3]), m[2], Number(m[1]), m[4], m[5], m[6]);
  m = RFC_850.exec(value);
  if (m) {
    // RFC 9110: a two-digit year more than 50 years in the future is in the past century;
    // read against 2000 here, good until the 2050s and deterministic without a clock.
    const yy = Number(m[3]);
    return utc(yy >= 50 ? 1900 + yy : 2000 + yy, m[2], Number(m[1]), m[4], m[5], m[6]);
  }
  m = ASCTIME.exec(value);
  if (m) return utc(Number(m[6]), m[1], Number(m[2]), m[3], m[4], m[5]);
  return null;
}

function utc(
  year: number,
  monthName: string | undefined,
  day: number,
  hh: string | undefined,
  mm: string | undefined,
  ss: string | undefined,
): number | null {
  const month = MONTHS.indexOf((monthName ?? '').toLowerCase());
  const [h, mi, s] = [Number(hh), Number(mm), Number(ss)];
  if (month < 0 || day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return null;
  const at = Date.UTC(year, month, day, h, mi, Math.min(s, 59));
  // Date.UTC rolls 31 Feb over to March: such a date is invalid, not a different day.
  if (new Date(at).getUTCDate() !== day) return null;
  return at;
}

function clampUnit(x: number): number {
  if (!(x > 0)) return 0; // also NaN
  return x >= 1 ? 1 - Number.EPSILON : x;
}

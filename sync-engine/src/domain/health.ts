/**
 * Connection health from probe facts (PRODUCT.md, Overview: one colour and one
 * sentence). A status, never an exception: the UI turns `state` into a colour
 * and shows `reason.vi` / `reason.en`.
 *
 * Precedence, first match wins (the most actionable answer for a person):
 *   unauthorized  the latest answer refused this agent's identity
 *   clock_skew    the latest answer said clock_skew, or the measured skew is over the limit
 *   unchecked     no probe yet (right after enrollment, before the first check):
 *                 not known, so neither offline nor online
 *   offline       the latest probe got no answer (network, timeout, TLS)
 *   degraded      the latest answer was maintenance / rate limiting / a server error,
 *                 or it was slow, or some probes in the recent window failed,
 *                 or the clock drifts towards the limit
 *   online        otherwise
 */
import {
  clockDriftReason,
  clockSkewReason,
  fixedReason,
  slowReason,
  unexpectedResponseReason,
  unstableReason,
} from './health-reasons.js';
import type { HealthReason } from './health-reasons.js';

export type { HealthReason, HealthReasonCode } from './health-reasons.js';
export { formatDuration } from './health-reasons.js';

export type HealthState = 'online' | 'degraded' | 'offline' | 'unauthorized' | 'clock_skew' | 'unchecked';

export interface ProbeSample {
  /** When the probe finished, ms since the epoch. */
  at: number;
  ok: boolean;
  latencyMs: number | null;
  httpStatus: number | null;
  /**
   * 'network' | 'timeout' | 'tls' | 'maintenance' | 'rate_limited' | 'server_error' |
   * 'agent_revoked' | 'agent_pending' | 'unknown_agent' | 'bad_signature' | 'clock_skew' | other.
   */
  errorCode: string | null;
  /** This computer's clock minus the platform's (from its `time` / `Date`); positive = ahead. */
  skewMs: number | null;
}

export interface HealthAssessment {
  state: HealthState;
  reason: HealthReason;
  /** The latest probe's latency, when it got an answer. */
  latencyMs: number | null;
  /**
   * When the state was observed (ms since the epoch): the latest probe or signed
   * call it was judged from; null before the first. Read from the store by a
   * process that does not probe (a command with no service running), it may be
   * hours old: said with the state, not as now.
   */
  at: number | null;
}

export interface HealthOptions {
  /** A latest latency above this is 'slow' (degraded). Default 2000. */
  slowLatencyMs?: number;
  /** |skew| above this is clock_skew (the platform's signature window). Default 300000. */
  skewLimitMs?: number;
  /** |skew| above this, within the limit, is a clock_drift warning (degraded). Default 60000. */
  skewWarnMs?: number;
  /** Failures within this window before `now` make the connection 'unstable'. Default 10 min. */
  recentWindowMs?: number;
}

export const DEFAULT_HEALTH_OPTIONS: Readonly<Required<HealthOptions>> = Object.freeze({
  slowLatencyMs: 2_000,
  skewLimitMs: 300_000,
  skewWarnMs: 60_000,
  recentWindowMs: 600_000,
});

const AUTH_CODES = new Set(['agent_revoked', 'agent_pending', 'unknown_agent', 'bad_signature']);
const UNREACHABLE_CODES = new Set(['network', 'timeout', 'tls']);
const PLATFORM_TROUBLE_CODES = new Set(['maintenance', 'rate_limited', 'server_error']);

/** `samples` oldest first; `now` in ms. */
export function assessHealth(samples: readonly ProbeSample[], now: number, opts: HealthOptions = {}): HealthAssessment {
  return { ...judgeHealth(samples, now, opts), at: samples.at(-1)?.at ?? null };
}

function judgeHealth(samples: readonly ProbeSample[], now: number, opts: HealthOptions): Omit<HealthAssessment, 'at'> {
  const o = { ...DEFAULT_HEALTH_OPTIONS, ...definedOnly(opts) };
  const latest = samples.at(-1);
  if (latest === undefined) return { state: 'unchecked', reason: fixedReason('never_checked'), latencyMs: null };
  const latencyMs = latest.latencyMs;
  const code = latest.errorCode;

  if (code !== null && AUTH_CODES.has(code)) {
    return { state: 'unauthorized', reason: fixedReason(code as 'agent_revoked'), latencyMs };
  }
  if (code === 'clock_skew' || (latest.skewMs !== null && Math.abs(latest.skewMs) > o.skewLimitMs)) {
    return { state: 'clock_skew', reason: clockSkewReason(latest.skewMs, o.skewLimitMs), latencyMs };
  }
  if (code !== null && UNREACHABLE_CODES.has(code)) {
    return { state: 'offline', reason: fixedReason(code as 'network'), latencyMs };
  }
  if (code !== null && PLATFORM_TROUBLE_CODES.has(code)) {
    return { state: 'degraded', reason: fixedReason(code as 'maintenance'), latencyMs };
  }
  if (!latest.ok) {
    // A failure with a code this function does not know: no answer at all is offline,
    // an answer we did not expect is the platform's trouble.
    if (latest.httpStatus === null) return { state: 'offline', reason: fixedReason('unreachable'), latencyMs };
    const reason = latest.httpStatus >= 500 ? fixedReason('server_error') : unexpectedResponseReason(latest.httpStatus);
    return { state: 'degraded', reason, latencyMs };
  }
  if (latencyMs !== null && latencyMs > o.slowLatencyMs) {
    return { state: 'degraded', reason: slowReason(latencyMs), latencyMs };
  }
  const recent = samples.filter((s) => s.at > now - o.recentWindowMs && s.at <= now);
  const failures = recent.filter((s) => !s.ok).length;
  if (failures > 0) return { state: 'degraded', reason: unstableReason(failures, recent.length), latencyMs };
  if (latest.skewMs !== null && Math.abs(latest.skewMs) > o.skewWarnMs) {
    return { state: 'degraded', reason: clockDriftReason(latest.skewMs, o.skewLimitMs), latencyMs };
  }
  return { state: 'online', reason: fixedReason('ok'), latencyMs };
}

export interface LatencyBucket {
  /** Start of the bucket, ms since the epoch. */
  at: number;
  /** Median latency of the successful probes in the bucket; null when there were none. */
  p50: number | null;
  /** Probes in the bucket that failed. */
  failures: number;
  /** All probes in the bucket. */
  samples: number;
}

/**
 * The Overview's latency chart: `buckets` equal slices of the `windowMs` before
 * `now` (oldest first), each with its median latency and failure count. Samples
 * outside (now - windowMs, now] are ignored.
 */
export function latencySeries(
  samples: readonly ProbeSample[],
  now: number,
  windowMs: number = 24 * 3_600_000,
  buckets: number = 48,
): LatencyBucket[] {
  const count = Math.max(1, Math.floor(buckets));
  const width = windowMs / count;
  const start = now - windowMs;
  const latencies: number[][] = Array.from({ length: count }, () => []);
  const series: LatencyBucket[] = Array.from({ length: count }, (_, i) => ({
    at: Math.round(start + i * width),
    p50: null,
    failures: 0,
    samples: 0,
  }));
  for (const sample of samples) {
    if (!(sample.at > start && sample.at <= now)) continue;
    const index = Math.min(count - 1, Math.floor((sample.at - start) / width));
    const bucket = series[index];
    if (bucket === undefined) continue;
    bucket.samples += 1;
    if (!sample.ok) bucket.failures += 1;
    else if (sample.latencyMs !== null) latencies[index]?.push(sample.latencyMs);
  }
  series.forEach((bucket, i) => {
    bucket.p50 = median(latencies[i] ?? []);
  });
  return series;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? upper) + upper) / 2;
}

/** Spreading options must not let an explicit `undefined` erase a default. */
function definedOnly(opts: HealthOptions): HealthOptions {
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as HealthOptions;
}

import type { ProbeSample } from '../domain/health.js';
import { isPlatformError } from '../sync/platform-error.js';
import type { HealthProbe } from '../sync/ports.js';

/**
 * Turns what a call to the platform gave (an answer or a PlatformError) into a
 * ProbeSample, the one shape the domain's assessHealth judges. Error codes:
 * network, timeout, tls (no answer); maintenance, rate_limited, server_error
 * (the platform's trouble); the 401 codes of signed calls (agent_revoked,
 * agent_pending, unknown_agent, bad_signature, clock_skew, replayed);
 * anything else keeps the platform's own code, or `http_<status>`.
 */

/** The 401 codes that say this agent's identity (or clock) is refused: they stick until a signed call succeeds. */
export const STICKY_AUTH_CODES: ReadonlySet<string> = new Set(['agent_revoked', 'agent_pending', 'unknown_agent', 'bad_signature', 'clock_skew']);

/**
 * A health answer as a sample. `skewMs` = this computer's clock minus the
 * platform's, measured against the middle of the round trip (the platform read
 * its clock somewhere in it), with `now` the agent's own clock at the answer.
 */
export function sampleFromProbe(probe: HealthProbe, now: number): ProbeSample {
  const platformAt = Date.parse(probe.body.time);
  const skewMs = Number.isFinite(platformAt) ? Math.round(now - probe.latencyMs / 2 - platformAt) : null;
  if (probe.body.status === 'maintenance') {
    return { at: now, ok: false, latencyMs: probe.latencyMs, httpStatus: probe.httpStatus, errorCode: 'maintenance', skewMs };
  }
  return { at: now, ok: true, latencyMs: probe.latencyMs, httpStatus: probe.httpStatus, errorCode: null, skewMs };
}

/** A failed call as a sample; `latencyMs` when the caller timed it. */
export function sampleFromError(error: unknown, now: number, latencyMs: number | null = null): ProbeSample {
  const base = { at: now, ok: false, latencyMs, skewMs: null as number | null };
  if (!isPlatformError(error)) return { ...base, httpStatus: null, errorCode: 'network' };
  const status = error.status ?? null;
  const skewMs = error.code === 'clock_skew' ? skewFromDate(error.serverDate, now) : null;
  return { ...base, skewMs, httpStatus: status, errorCode: errorCodeOf(error.kind, status, error.code) };
}

export function errorCodeOf(kind: string, status: number | null, code: string | undefined): string {
  if (kind === 'network' || kind === 'timeout' || kind === 'tls') return kind;
  if (kind === 'malformed') return 'malformed';
  if (status === null) return code ?? 'network';
  if (status === 503 && code !== undefined && code !== 'maintenance' && code !== 'internal') return code;
  if (status === 503) return code === 'internal' ? 'server_error' : 'maintenance';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return code ?? `http_${status}`;
}

/** This computer's clock minus the platform's `Date` header (second precision), or null. */
export function skewFromDate(serverDate: string | undefined, now: number): number | null {
  if (serverDate === undefined) return null;
  const at = Date.parse(serverDate);
  return Number.isFinite(at) ? now - at : null;
}

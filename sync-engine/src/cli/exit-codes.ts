import type { ApiError } from '../api/contract.js';
import type { SyncRunView } from '../api/views.js';

/**
 * The `edge-agent` exit codes (docs/cli.md):
 *   0 done (a sync that found conflicts is done: a person settles them)
 *   1 bad usage or invalid input
 *   2 the platform cannot be reached (network, TLS, maintenance, overload)
 *   3 not authorised (not enrolled, revoked, pending approval, clock refused)
 *   4 anything else
 */
export const EXIT = { ok: 0, usage: 1, unreachable: 2, unauthorized: 3, other: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

const BY_API_CODE: Record<ApiError['code'], ExitCode> = {
  invalid_input: EXIT.usage,
  validation_failed: EXIT.usage,
  not_found: EXIT.usage,
  read_only: EXIT.usage,
  out_of_scope: EXIT.usage,
  not_enrolled: EXIT.unauthorized,
  unauthorized: EXIT.unauthorized,
  unreachable: EXIT.unreachable,
  busy: EXIT.other,
  conflict_unresolved: EXIT.other,
  internal: EXIT.other,
};

export function exitCodeOf(error: Pick<ApiError, 'code'>): ExitCode {
  return BY_API_CODE[error.code] ?? EXIT.other;
}

const UNREACHABLE_RUN_CODES = new Set(['network', 'timeout', 'tls', 'maintenance', 'rate_limited', 'server_error', 'malformed']);
/** The platform's refusals of this agent's identity or clock: exit 3 whichever command met them (sync, doctor). */
export const UNAUTHORIZED_RUN_CODES: ReadonlySet<string> = new Set(['agent_revoked', 'agent_pending', 'unknown_agent', 'bad_signature', 'clock_skew', 'replayed']);

/** A finished run: done (with or without conflicts), or why it stopped. */
export function exitCodeOfRun(run: SyncRunView | null): ExitCode {
  if (run === null) return EXIT.other;
  if (run.status === 'ok' || run.status === 'conflicts') return EXIT.ok;
  const code = run.error?.code ?? '';
  if (UNREACHABLE_RUN_CODES.has(code)) return EXIT.unreachable;
  if (UNAUTHORIZED_RUN_CODES.has(code)) return EXIT.unauthorized;
  // A CA file of the network settings that cannot be used: a setting to correct (network set), as enroll says it.
  if (code === 'ca_file') return EXIT.usage;
  return EXIT.other;
}

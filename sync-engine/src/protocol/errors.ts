import { z } from 'zod';

/**
 * Every error code either side may put in `{ error, message }`.
 * 401 codes come from SYNC-PROTOCOL.md "Enrollment and signing"; the rest are
 * this project's refinements, documented in docs/protocol.md.
 */
export const AUTH_ERROR_CODES = [
  'bad_signature',
  'clock_skew',
  'replayed',
  'unknown_agent',
  'agent_revoked',
  'agent_pending',
] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

export const ERROR_CODES = [
  ...AUTH_ERROR_CODES,
  'bad_request',
  'invalid_json',
  'validation_failed',
  'bad_cursor',
  'unknown_dataset',
  'forbidden',
  'not_found',
  'method_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'resync_required',
  'rate_limited',
  'maintenance',
  'token_invalid',
  'token_expired',
  'token_used',
  'token_wrong_site',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_signature: 401,
  clock_skew: 401,
  replayed: 401,
  unknown_agent: 401,
  agent_revoked: 401,
  agent_pending: 401,
  bad_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  bad_cursor: 400,
  unknown_dataset: 404,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  unsupported_media_type: 415,
  resync_required: 410,
  rate_limited: 429,
  maintenance: 503,
  token_invalid: 403,
  token_expired: 403,
  token_used: 403,
  token_wrong_site: 403,
  internal: 500,
};

export const errorBodySchema = z.object({
  error: z.string().min(1).max(64),
  message: z.string().max(2000),
  /** Field-level details for `validation_failed`. */
  details: z
    .array(z.object({ path: z.string(), code: z.string(), message: z.string() }))
    .max(200)
    .optional(),
  /**
   * Extension (docs/protocol.md, Pull): `platform_restored` on a
   * resync_required because the platform went back (restored from a backup).
   */
  reason: z.string().max(64).optional(),
  /** With `platform_restored`: the time of the newest change the restored platform held. */
  headAt: z.string().max(40).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function isAuthErrorCode(code: string): code is AuthErrorCode {
  return (AUTH_ERROR_CODES as readonly string[]).includes(code);
}

export function isErrorCode(code: string): code is ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code);
}

import type { ErrorCode } from '../../../sync-engine/src/protocol/errors.js';

export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
}

/**
 * Why a pull is answered resync_required when the platform went back (a new
 * epoch, or a cursor ahead of the head): `headAt`, the time of the newest change
 * the platform held when its current epoch began (null: not known).
 */
export interface Restored {
  headAt: string | null;
}

/**
 * A refusal the platform answers with `{ error, message }` and the status
 * ERROR_STATUS gives its code. Services throw it; the HTTP layer and the CLI
 * turn it into a response or one sentence.
 */
export class PlatformError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: ErrorDetail[]; retryAfterSeconds?: number; headers?: Record<string, string>; restored?: Restored } = {},
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

export function isPlatformError(err: unknown): err is PlatformError {
  return err instanceof PlatformError;
}

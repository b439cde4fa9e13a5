import type { ErrorCode } from '../../../sync-engine/src/protocol/errors.js';

export interface ErrorDetail {
  path: string;
  code: string;
  message: string;
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
    readonly extra: { details?: ErrorDetail[]; retryAfterSeconds?: number; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'PlatformError';
  }
}

export function isPlatformError(err: unknown): err is PlatformError {
  return err instanceof PlatformError;
}

import type { ServerResponse } from 'node:http';
import { ERROR_STATUS, type ErrorBody } from '../../../sync-engine/src/protocol/errors.js';
import { isPlatformError, PlatformError } from '../services/platform-error.js';

/**
 * Turns anything thrown while serving into `{ error, message }` with the status
 * ERROR_STATUS gives it. Anything that is not a PlatformError is a bug or a
 * broken store: it is logged and answered `internal` without its details.
 */
export function errorResponse(err: unknown, log: (line: string) => void): { status: number; body: ErrorBody; headers: Record<string, string> } {
  const known: PlatformError = isPlatformError(err) ? err : new PlatformError('internal', 'the platform failed to handle this request');
  if (!isPlatformError(err)) log(`internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  const headers: Record<string, string> = { ...(known.extra.headers ?? {}) };
  if (known.extra.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(known.extra.retryAfterSeconds)));
  const body: ErrorBody = { error: known.code, message: known.message.slice(0, 2000) };
  if (known.extra.details && known.extra.details.length > 0) body.details = known.extra.details.slice(0, 200);
  if (known.extra.restored) {
    body.reason = 'platform_restored';
    if (known.extra.restored.headAt !== null) body.headAt = known.extra.restored.headAt;
  }
  return { status: ERROR_STATUS[known.code], body, headers };
}

/** True when nothing has been written yet, so an error can still become a proper response. */
export function canRespond(res: ServerResponse): boolean {
  return !res.headersSent && !res.writableEnded && !res.destroyed;
}

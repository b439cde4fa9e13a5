import { gunzip, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { PlatformError } from '../services/platform-error.js';

const gunzipAsync = promisify(gunzip);
const gzipAsync = promisify(gzip);

/** Responses smaller than this go uncompressed: gzip would cost more than it saves. */
export const GZIP_MIN_BYTES = 1024;

/**
 * Decodes a gzip request body with a cap on the decoded size: a small body that
 * inflates past the cap (a zip bomb) is refused without ever being held whole.
 */
export async function gunzipCapped(body: Buffer, maxBytes: number): Promise<Buffer> {
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new PlatformError('payload_too_large', `the decoded body is larger than ${maxBytes} bytes`);
    }
    throw new PlatformError('bad_request', 'the body is not valid gzip');
  }
}

/** True when the client's Accept-Encoding allows gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

export async function gzipBody(body: Buffer): Promise<Buffer> {
  return gzipAsync(body);
}

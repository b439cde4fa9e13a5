import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { PlatformError } from '../sync/platform-error.js';

/**
 * The largest answer the agent reads, on the wire and once decoded. A full pull
 * page of 1,000 records at the protocol's 64 KB per record is about 64 MB of
 * JSON; anything past this is refused as malformed before it can take the
 * office PC's memory (a gzip body of a few hundred KB can decode to gigabytes).
 */
export const MAX_ANSWER_BYTES = 128 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);
/** Output chunk of the gunzip: a 2.4 MB pull page comes back in ten callbacks instead of 150 (zlib's default is 16 KB). */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

export function answerTooLarge(maxBytes: number): PlatformError {
  return new PlatformError({ kind: 'malformed', message: `the platform's answer is larger than ${Math.round(maxBytes / (1024 * 1024))} MB, more than the protocol ever sends` });
}

/**
 * An answer's body as the JSON bytes it carries: gunzipped (on the thread pool)
 * when its Content-Encoding is gzip, never past `maxBytes`. Any other encoding,
 * or gzip that does not decode, is a malformed answer.
 */
export async function decodeAnswerBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  if (raw.length > maxBytes) throw answerTooLarge(maxBytes);
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return raw;
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new PlatformError({ kind: 'malformed', message: `the platform answered with Content-Encoding ${encoding.slice(0, 40)}, which the agent does not ask for` });
  }
  try {
    return await gunzipAsync(raw, { maxOutputLength: maxBytes, chunkSize: GUNZIP_CHUNK_BYTES });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw answerTooLarge(maxBytes);
    throw new PlatformError({ kind: 'malformed', message: 'the platform answered with a gzip body that does not decode' });
  }
}

import type { IncomingMessage } from 'node:http';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonText, type JsonText } from '../../../sync-engine/src/protocol/json-text.js';
import { MAX_BODY_BYTES } from '../../../sync-engine/src/protocol/limits.js';
import { PlatformError } from '../services/platform-error.js';
import { gunzipCapped } from './compression.js';

export { jsonDepth, MAX_JSON_DEPTH };

/** A request body as sent, and decoded. */
export interface RequestBody {
  wire: Buffer;
  decoded: Buffer;
}

/** Bytes read past the cap before the connection is dropped instead of drained. */
const DRAIN_LIMIT = 4 * MAX_BODY_BYTES;

/**
 * Reads a body, counting bytes while streaming. Past the cap the rest is drained
 * (up to a limit) and discarded so the client can read the 413; a gzip body is
 * decoded under the same cap.
 */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<RequestBody> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    await drain(req);
    throw new PlatformError('unsupported_media_type', `Content-Encoding ${encoding} is not supported (use gzip)`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  await new Promise<void>((resolve, reject) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) {
        req.destroy();
        resolve();
      }
    });
    req.on('end', () => resolve());
    req.on('error', (err) => reject(err));
    req.on('aborted', () => reject(new PlatformError('bad_request', 'the request was aborted')));
  });
  if (tooLarge) throw new PlatformError('payload_too_large', `the body is larger than ${maxBytes} bytes`);
  const wire = Buffer.concat(chunks, size);
  const decoded = encoding === 'gzip' && wire.length > 0 ? await gunzipCapped(wire, maxBytes) : wire;
  return { wire, decoded };
}

async function drain(req: IncomingMessage): Promise<void> {
  let size = 0;
  await new Promise<void>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT) {
        req.destroy();
        resolve();
      }
    });
    req.on('end', () => resolve());
    req.on('error', () => resolve());
  });
}

/**
 * Parses a JSON body: text that is not UTF-8 JSON is `invalid_json`; absurd
 * nesting and `__proto__` keys (which would poison objects merged later) are
 * `bad_request`. Shapes are checked by the caller with zod.
 */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim().length === 0) throw new PlatformError('invalid_json', 'the body is empty; a JSON object is expected');
  if (jsonDepth(text) > MAX_JSON_DEPTH) throw new PlatformError('bad_request', `the JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: JsonText;
  try {
    parsed = parseJsonText(text);
  } catch {
    throw new PlatformError('invalid_json', 'the body is not valid JSON');
  }
  if (parsed.protoKey) throw new PlatformError('bad_request', 'the JSON contains a "__proto__" key');
  return parsed.value;
}

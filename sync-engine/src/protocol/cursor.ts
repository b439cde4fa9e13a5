import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The platform's pull cursor. Agents treat it as opaque; the platform seals it
 * with an HMAC so an edited cursor is refused (`bad_cursor`) instead of read.
 */
export const cursorPayloadSchema = z.object({
  v: z.literal(1),
  /** Dataset the cursor belongs to: a cursor is refused on another dataset's feed. */
  ds: z.string(),
  /** Agent the cursor was issued to. */
  ag: z.string(),
  /** Highest seq delivered. */
  seq: z.number().int().nonnegative(),
  /** Version of the site's scope the cursor was issued under. */
  sv: z.number().int().nonnegative(),
  /** Platform epoch: changes when the platform's store is re-created. */
  ep: z.string(),
  /**
   * Present while a rescope pass runs after the site's scope changed: the records
   * the old (`oldSv`) or new scope ever held are visited once each, in id order,
   * past `afterId`; `from` is the head when the pass began, where the feed goes on
   * after it. The seq-ordered pass of earlier versions (`after`, `upTo`) is still
   * read, and the platform starts it again as an id-ordered one.
   */
  rs: z
    .union([
      z.object({ oldSv: z.number().int().nonnegative(), from: z.number().int().nonnegative(), afterId: z.string().max(64) }),
      z.object({ oldSv: z.number().int().nonnegative(), after: z.number().int().nonnegative(), upTo: z.number().int().nonnegative() }),
    ])
    .optional(),
});
export type CursorPayload = z.infer<typeof cursorPayloadSchema>;

const PREFIX = 'c1.';

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, 16);
}

export function encodeCursor(payload: CursorPayload, key: Buffer): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${PREFIX}${body}.${mac(key, body).toString('base64url')}`;
}

/** Returns the payload, or null when the cursor is malformed or was not sealed with `key`. */
export function decodeCursor(cursor: string, key: Buffer): CursorPayload | null {
  if (!cursor.startsWith(PREFIX) || cursor.length > 4096) return null;
  const [body, tag, ...rest] = cursor.slice(PREFIX.length).split('.');
  if (!body || !tag || rest.length > 0) return null;
  const given = Buffer.from(tag, 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = cursorPayloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

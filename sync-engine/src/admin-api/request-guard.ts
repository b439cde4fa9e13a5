import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { refusals, type HttpRefusal } from './responses.js';

/**
 * The checks every request passes before any route runs. The admin API listens
 * on loopback only, but a browser on the same machine can still be aimed at it:
 * - DNS rebinding makes a foreign page's requests carry `Host: evil.example:PORT`;
 *   only the loopback names with our port are accepted.
 * - A foreign page can send simple requests cross-origin; the browser then adds
 *   its `Origin`, which must be the console's own.
 * - Everything under /api/ except health needs the bearer token from the data
 *   folder, compared in constant time.
 */
export type RequestGuard = {
  checkHostAndOrigin(req: IncomingMessage): HttpRefusal | null;
  checkToken(req: IncomingMessage): HttpRefusal | null;
};

export function createRequestGuard(options: { port: number; token: string; allowedOrigins?: readonly string[] }): RequestGuard {
  const { port } = options;
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, ...(options.allowedOrigins ?? [])]);
  const expected = digest(options.token);

  return {
    checkHostAndOrigin(req) {
      const host = req.headers.host?.toLowerCase();
      if (!host || !hosts.has(host)) return refusals.hostNotLocal();
      const origin = req.headers.origin;
      // An absent Origin is a same-origin GET or a non-browser client; a present
      // one ("null" included, as sandboxed frames send) must be ours.
      if (origin !== undefined && !origins.has(origin)) return refusals.foreignOrigin();
      return null;
    },
    checkToken(req) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!match?.[1]) return refusals.badToken();
      return timingSafeEqual(digest(match[1]), expected) ? null : refusals.badToken();
    },
  };
}

/** Hashing first gives equal-length buffers, so timingSafeEqual never leaks the token's length. */
function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Before a client hands its bearer token to whatever listens on the admin
 * port, the listener proves it already knows the token: the client sends a
 * fresh random nonce in this header on `GET /api/health`, and the real
 * service answers `{ ok: true, proof }` with HMAC-SHA256 keyed by the token
 * over a fixed label, the port it listens on and the nonce. Another local
 * user who took the port while the service was not listening cannot compute
 * it, so the client treats it exactly like "no service answers" and never
 * sends the token. The port in the answer stops a squatter from relaying the
 * nonce to the real service listening on another port (a stale service file,
 * a `--port` override).
 */
export const CHALLENGE_HEADER = 'x-edge-agent-challenge';

const NONCE_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;
const LABEL = 'edge-agent admin-api service proof v1';

export function isChallengeNonce(value: string): boolean {
  return NONCE_PATTERN.test(value);
}

/** What the service answers to a nonce; the token is only ever the HMAC key. */
export function challengeAnswer(token: string, port: number, nonce: string): string {
  return createHmac('sha256', token).update(`${LABEL}\n${port}\n${nonce}`, 'utf8').digest('base64url');
}

export type ProveServiceOptions = {
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  random?: (size: number) => Buffer;
};

/**
 * True only if the listener at baseUrl answered this fresh nonce with the
 * right proof for baseUrl's port. Anything else (no answer, an error status,
 * an old service without the challenge, a wrong or missing proof) is false.
 */
export async function proveService(options: ProveServiceOptions): Promise<boolean> {
  const fetchImpl = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');
  let port: number;
  try {
    const url = new URL(base);
    port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  } catch {
    return false;
  }
  const nonce = (options.random ?? randomBytes)(32).toString('base64url');
  let body: unknown;
  try {
    const res = await fetchImpl(`${base}/api/health`, {
      headers: { [CHALLENGE_HEADER]: nonce, accept: 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    });
    if (res.status !== 200) {
      await res.body?.cancel();
      return false;
    }
    body = await res.json();
  } catch {
    return false;
  }
  const proof = typeof body === 'object' && body !== null ? (body as { proof?: unknown }).proof : undefined;
  if (typeof proof !== 'string') return false;
  const expected = Buffer.from(challengeAnswer(options.token, port, nonce), 'utf8');
  const given = Buffer.from(proof, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export type ProvenTokenOptions = ProveServiceOptions & {
  /** Reads the data folder's token file again (readAdminToken). */
  reread: () => string | null;
};

/**
 * The token the listener at baseUrl proves it knows: the one given, or, when
 * it does not prove that one, the token file's current one if it changed and
 * proves (each start of the service issues a new token, so a client that read
 * the file just before a restart holds the old one); else null. The file is
 * read again at most once.
 */
export async function provenToken(options: ProvenTokenOptions): Promise<string | null> {
  const { reread, ...proof } = options;
  if (await proveService(proof)) return proof.token;
  const fresh = reread();
  if (fresh === null || fresh === proof.token) return null;
  return (await proveService({ ...proof, token: fresh })) ? fresh : null;
}

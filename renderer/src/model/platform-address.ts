/**
 * The agent's rule for a platform address (sync-engine/src/protocol/platform-address.ts),
 * repeated here because the renderer may not import engine code (scripts/layers.mjs):
 * https:// to any host, http:// only to this computer. The forms check it before
 * sending so a person sees the problem beside the field; the agent checks again.
 * test/protocol/platform-address.test.ts holds both copies to the same answers.
 */
export type PlatformAddressProblem = 'not_url' | 'scheme' | 'plain_http_remote';

export function checkPlatformAddress(text: string): { ok: true } | { ok: false; problem: PlatformAddressProblem } {
  let url: URL;
  try {
    if (/\s/.test(text)) return { ok: false, problem: 'not_url' };
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'not_url' };
  }
  if (url.protocol === 'https:') return { ok: true };
  if (url.protocol !== 'http:') return { ok: false, problem: 'scheme' };
  return isLoopbackHost(url.hostname) ? { ok: true } : { ok: false, problem: 'plain_http_remote' };
}

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

/** The enrollment token's length as the AgentApi contract takes it. */
export const TOKEN_LENGTH = { min: 16, max: 256 } as const;

export function tokenProblem(token: string): 'tooShort' | 'tooLong' | null {
  if (token.length < TOKEN_LENGTH.min) return 'tooShort';
  return token.length > TOKEN_LENGTH.max ? 'tooLong' : null;
}

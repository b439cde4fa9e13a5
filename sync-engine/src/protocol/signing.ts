import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createSigner, createVerifier, httpbis } from 'http-message-signatures';
import type { AuthErrorCode } from './errors.js';
import { CLOCK_SKEW_SECONDS } from './limits.js';
import { readSignatureEntry, readSingleSignature } from './signature-fields.js';

/**
 * RFC 9421 request signing with Ed25519 and RFC 9530 `Content-Digest`, through the
 * maintained `http-message-signatures` library (see docs/decisions.md).
 */
export const SIGNED_COMPONENTS = ['@method', '@target-uri', 'content-digest'] as const;
const SIGNATURE_PARAMS = ['created', 'keyid', 'alg', 'nonce'];
const SIGNATURE_NAME = 'sig1';

export interface SignableRequest {
  method: string;
  /** Absolute URL as sent (the `@target-uri`). */
  url: string;
  headers: Record<string, string>;
  body?: Buffer | string | undefined;
}

export function contentDigest(body: Buffer | string | undefined): string {
  const hash = createHash('sha256').update(body ?? '').digest('base64');
  return `sha-256=:${hash}:`;
}

/** True when `header` carries a sha-256 member that matches `body`. */
export function contentDigestMatches(header: string | undefined, body: Buffer | string | undefined): boolean {
  if (!header) return false;
  const expected = contentDigest(body).slice('sha-256='.length);
  return header
    .split(',')
    .map((part) => part.trim())
    .some((part) => part.startsWith('sha-256=') && part.slice('sha-256='.length) === expected);
}

export interface AgentKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

export function generateAgentKeyPair(): AgentKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** Parses an Ed25519 SPKI PEM public key, or returns null. */
export function parseEd25519PublicKey(pem: string): KeyObject | null {
  try {
    const key = createPublicKey(pem);
    return key.asymmetricKeyType === 'ed25519' ? key : null;
  } catch {
    return null;
  }
}

/**
 * Parsed public keys by PEM text, for the verifier: a platform checks every
 * request against one of a bounded set of agents' keys, and parsing the PEM was
 * a fixed cost of each (about 0.3 ms). Keyed by the text itself, so a changed
 * key is simply another entry; the oldest entry goes first when full.
 */
const PUBLIC_KEYS = new Map<string, KeyObject | null>();
const PUBLIC_KEYS_MAX = 10_000;

function cachedPublicKey(pem: string): KeyObject | null {
  let key = PUBLIC_KEYS.get(pem);
  if (key === undefined) {
    key = parseEd25519PublicKey(pem);
    if (PUBLIC_KEYS.size >= PUBLIC_KEYS_MAX) PUBLIC_KEYS.delete(PUBLIC_KEYS.keys().next().value as string);
    PUBLIC_KEYS.set(pem, key);
  }
  return key;
}

export interface SignOptions {
  keyId: string;
  privateKeyPem: string | KeyObject;
  /** Seconds since the epoch; defaults to now. */
  created?: number;
  nonce?: string;
}

/** Returns the headers to send: the given ones plus Content-Digest, Signature-Input and Signature. */
export async function signRequest(req: SignableRequest, opts: SignOptions): Promise<Record<string, string>> {
  const key = typeof opts.privateKeyPem === 'string' ? createPrivateKey(opts.privateKeyPem) : opts.privateKeyPem;
  const headers: Record<string, string> = { ...req.headers, 'content-digest': contentDigest(req.body) };
  const signed = await httpbis.signMessage(
    {
      key: createSigner(key, 'ed25519', opts.keyId),
      name: SIGNATURE_NAME,
      fields: [...SIGNED_COMPONENTS],
      params: SIGNATURE_PARAMS,
      paramValues: {
        created: new Date((opts.created ?? Math.floor(Date.now() / 1000)) * 1000),
        nonce: opts.nonce ?? randomBytes(16).toString('base64url'),
      },
    },
    { method: req.method.toUpperCase(), url: req.url, headers },
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

export interface SignatureInputParams {
  keyId: string;
  created: number;
  nonce: string;
  alg: string | undefined;
  components: string[];
}

/**
 * Reads the parameters of the one signature in `Signature-Input`, or null when
 * it is malformed or holds more than one (see signature-fields.ts).
 */
export function readSignatureInput(header: string | undefined): SignatureInputParams | null {
  const read = readSignatureEntry(header);
  if (!read.ok) return null;
  const { keyId, created, nonce, alg, components } = read.value;
  return { keyId, created, nonce, alg, components };
}

export type VerifyOutcome =
  | {
      ok: true;
      keyId: string;
      created: number;
      nonce: string;
      /** The verified entry alone, as `Signature-Input` and `Signature` fields. */
      signatureInput: string;
      signature: string;
    }
  | { ok: false; code: AuthErrorCode; message: string; keyId?: string };

export interface KeyRecord {
  publicKeyPem: string;
  status: 'active' | 'pending' | 'revoked';
}

export interface VerifyOptions {
  /** Returns the agent's key and status, or null for an unknown agent. */
  lookupKey(keyId: string): Promise<KeyRecord | null>;
  /** Seconds since the epoch, the verifier's clock. */
  now: number;
  skewSeconds?: number;
}

/**
 * Checks a signed request in the order that leaks least: a well-formed signature
 * from a known key first, then the agent's status, then the clock. Nonce replay is
 * the caller's (it needs state); it runs after this succeeds.
 */
export async function verifyRequest(given: SignableRequest, opts: VerifyOptions): Promise<VerifyOutcome> {
  const req = { ...given, headers: lowerCaseKeys(given.headers) };
  const read = readSingleSignature(req.headers['signature-input'], req.headers['signature']);
  if (!read.ok) return { ok: false, code: 'bad_signature', message: read.reason };
  const input = read.value;
  if (input.alg !== 'ed25519') return { ok: false, code: 'bad_signature', message: 'alg must be ed25519', keyId: input.keyId };
  for (const c of SIGNED_COMPONENTS) {
    if (!input.components.includes(c)) return { ok: false, code: 'bad_signature', message: `signature must cover ${c}`, keyId: input.keyId };
  }
  if (!contentDigestMatches(req.headers['content-digest'], req.body)) {
    return { ok: false, code: 'bad_signature', message: 'Content-Digest does not match the body', keyId: input.keyId };
  }
  const record = await opts.lookupKey(input.keyId);
  if (!record) return { ok: false, code: 'unknown_agent', message: 'no agent has this key id', keyId: input.keyId };
  const publicKey = cachedPublicKey(record.publicKeyPem);
  if (!publicKey) return { ok: false, code: 'bad_signature', message: 'agent key unusable', keyId: input.keyId };
  let valid: boolean | null = false;
  try {
    valid = await httpbis.verifyMessage(
      {
        // Only the entry read above reaches the library, so the one verified is the one judged.
        keyLookup: async (params) =>
          params['keyid'] === input.keyId ? { id: input.keyId, algs: ['ed25519'], verify: createVerifier(publicKey, 'ed25519') } : null,
        // The clock is judged below so a wrong clock is reported as clock_skew.
        notAfter: Number.MAX_SAFE_INTEGER,
        requiredFields: [...SIGNED_COMPONENTS],
        requiredParams: ['created', 'keyid', 'nonce', 'alg'],
      },
      {
        method: req.method.toUpperCase(),
        url: req.url,
        headers: { ...req.headers, 'signature-input': input.signatureInput, signature: input.signature },
      },
    );
  } catch {
    valid = false;
  }
  if (valid !== true) return { ok: false, code: 'bad_signature', message: 'signature does not verify', keyId: input.keyId };
  if (record.status === 'revoked') return { ok: false, code: 'agent_revoked', message: 'this agent has been revoked', keyId: input.keyId };
  if (record.status === 'pending') return { ok: false, code: 'agent_pending', message: 'this agent awaits operator approval', keyId: input.keyId };
  const skew = opts.skewSeconds ?? CLOCK_SKEW_SECONDS;
  if (Math.abs(opts.now - input.created) > skew) {
    return { ok: false, code: 'clock_skew', message: `signature created ${input.created - opts.now} s from the platform clock`, keyId: input.keyId };
  }
  return { ok: true, keyId: input.keyId, created: input.created, nonce: input.nonce, signatureInput: input.signatureInput, signature: input.signature };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

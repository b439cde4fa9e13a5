import { gzipSync } from 'node:zlib';
import { generateAgentKeyPair, signRequest, type AgentKeyPair } from '../../sync-engine/src/protocol/signing.js';

export interface HttpAnswer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface SignedCallOptions {
  /** Signature `created`, seconds since the epoch. */
  created?: number;
  nonce?: string;
  /** Send the body gzip-compressed (the signature covers the compressed bytes). */
  gzip?: boolean;
  headers?: Record<string, string>;
  /** Sign for this path but send to the real one (or the reverse): a tampering test. */
  signedPath?: string;
  /** Sign this body but send the real one. */
  signedBody?: string;
}

async function answer<T>(res: Response): Promise<HttpAnswer<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text, the test will say so
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

/** An unsigned call, e.g. health or enrollment, or a deliberately broken request. */
export async function plainCall<T = unknown>(base: string, method: string, path: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
  const init: RequestInit = { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers } };
  if (body !== undefined) init.body = body;
  return answer<T>(await fetch(`${base}${path}`, init));
}

/**
 * A minimal agent for the platform tests: an Ed25519 key and an agent id, every
 * call signed with the shared protocol module's signRequest, exactly as the
 * agent's sync engine will.
 */
export class SignedClient {
  constructor(
    readonly base: string,
    readonly agentId: string,
    readonly keys: AgentKeyPair,
    /** The signer's clock in seconds; a test moving the platform clock moves this one too. */
    readonly clock: () => number = () => Math.floor(Date.now() / 1000),
  ) {}

  /** Builds the signed headers of one request without sending it. */
  async sign(method: string, path: string, body?: string | Buffer, options: SignedCallOptions = {}): Promise<Record<string, string>> {
    const signedBody = options.signedBody ?? body;
    const headers: Record<string, string> = { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers };
    return signRequest(
      { method, url: `${this.base}${options.signedPath ?? path}`, headers, body: signedBody },
      {
        keyId: this.agentId,
        privateKeyPem: this.keys.privateKeyPem,
        created: options.created ?? this.clock(),
        ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
      },
    );
  }

  async call<T = unknown>(method: string, path: string, json?: unknown, options: SignedCallOptions = {}): Promise<HttpAnswer<T>> {
    let body: string | Buffer | undefined = json === undefined ? undefined : typeof json === 'string' ? json : JSON.stringify(json);
    const extra: Record<string, string> = { ...options.headers };
    if (options.gzip && body !== undefined) {
      body = gzipSync(body);
      extra['content-encoding'] = 'gzip';
    }
    const headers = await this.sign(method, path, body, { ...options, headers: extra });
    return this.send<T>(method, path, body, headers);
  }

  /** Sends prepared headers as they are (a replay test sends the same ones twice). */
  async send<T = unknown>(method: string, path: string, body: string | Buffer | undefined, headers: Record<string, string>): Promise<HttpAnswer<T>> {
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = body;
    return answer<T>(await fetch(`${this.base}${path}`, init));
  }

  catalog<T = unknown>() {
    return this.call<T>('GET', '/v1/datasets');
  }

  pull<T = unknown>(dataset: string, since?: string, limit?: number) {
    const q = new URLSearchParams();
    if (since !== undefined) q.set('since', since);
    if (limit !== undefined) q.set('limit', String(limit));
    const qs = q.toString();
    return this.call<T>('GET', `/v1/datasets/${dataset}/changes${qs ? `?${qs}` : ''}`);
  }

  push<T = unknown>(mutations: unknown[], options: SignedCallOptions = {}) {
    return this.call<T>('POST', '/v1/mutations', { mutations }, options);
  }

  digest<T = unknown>(dataset: string) {
    return this.call<T>('GET', `/v1/datasets/${dataset}/digest`);
  }
}

/** Enrolls a fresh key pair with a token and returns a client for it (and the enrollment answer). */
export async function enroll(base: string, token: string, siteCode: string, agentName = 'test agent', clock?: () => number) {
  const keys = generateAgentKeyPair();
  const res = await plainCall<{ agentId: string; status: string; error?: string }>(
    base,
    'POST',
    '/v1/enrollments',
    JSON.stringify({ token, siteCode, agentName, publicKey: keys.publicKeyPem }),
  );
  return { res, client: new SignedClient(base, res.body.agentId, keys, clock) };
}

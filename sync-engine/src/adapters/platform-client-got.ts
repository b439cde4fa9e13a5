import { createPrivateKey, type KeyObject } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import got, { RequestError, type Agents } from 'got';
import type { z } from 'zod';
import { parseRetryAfter } from '../domain/backoff.js';
import { answerTooLarge, decodeAnswerBody, MAX_ANSWER_BYTES } from './answer-body.js';
import { AnswerJsonError, parseAnswerJson } from './answer-json.js';
import { catalogResponseSchema, type CatalogResponse } from '../protocol/catalog.js';
import { enrollmentResponseSchema, healthResponseSchema, type EnrollmentRequest, type EnrollmentResponse } from '../protocol/enrollment.js';
import { errorBodySchema } from '../protocol/errors.js';
import { digestResponseSchema, pullPageSchema, type DigestResponse, type PullPage } from '../protocol/pull.js';
import { pushResponseSchema, type Mutation, type PushResponse } from '../protocol/push.js';
import { signRequest, type AgentKeyPair } from '../protocol/signing.js';
import { PlatformError } from '../sync/platform-error.js';
import type { HealthProbe, KeyStore, PlatformClient } from '../sync/ports.js';
import { networkTransport, type NetworkSettings } from './network-transport.js';

/** Request bodies larger than this are sent gzip-encoded (SYNC-PROTOCOL.md: gzip on large pushes). */
export const GZIP_REQUEST_THRESHOLD = 64 * 1024;

export interface GotPlatformClientOptions {
  /** The platform's base URL, e.g. https://ndxp.example.gov.vn or http://127.0.0.1:8080 (a path prefix is kept). */
  baseUrl: string;
  /** Key id of every signature. */
  agentId: string;
  keyStore: KeyStore;
  /** Whole-request timeout (default 30 s; health uses `healthTimeoutMs`, default 10 s). */
  timeoutMs?: number;
  healthTimeoutMs?: number;
  /** The clock signatures and skew readings use (ms since the epoch). */
  now?: () => number;
  /**
   * Hook for proxies and custom TLS: HTTP(S) agents passed to got as-is (e.g. an
   * https-proxy agent built from the settings' proxy URL). Unset = direct.
   */
  agents?: Agents;
  /** Extra CA certificates (PEM) for a platform behind a private CA. */
  certificateAuthority?: string | Buffer | string[];
  /**
   * Proxy / NO_PROXY / extra CA settings, used when `agents` and
   * `certificateAuthority` are not given; HTTPS_PROXY and NO_PROXY from the
   * environment apply when the settings name no proxy.
   */
  network?: NetworkSettings;
  /** Largest answer the client reads, on the wire and decoded (default MAX_ANSWER_BYTES, 128 MB). */
  maxAnswerBytes?: number;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  latencyMs: number;
}

/**
 * PlatformClient over HTTP with got 14. It signs every call except health
 * (RFC 9421 through the protocol module's signRequest), sends JSON (gzip above
 * 64 KB), asks for gzip answers, applies timeouts, never retries (the engine
 * owns retries and their backoff), and checks every answer against the
 * protocol's zod schemas: a malformed answer is a PlatformError('malformed'),
 * never a crash or a corrupt cache.
 */
export class GotPlatformClient implements PlatformClient {
  private readonly base: string;
  private readonly now: () => number;
  /** Loaded and parsed once: the key pair does not change while the agent keeps its id (parsing the PEM is ~1 ms a request). */
  private privateKey: KeyObject | null = null;

  constructor(private options: GotPlatformClientOptions) {
    this.base = normalizeBase(options.baseUrl);
    this.now = options.now ?? Date.now;
    if (options.agents === undefined && options.certificateAuthority === undefined) {
      const transport = networkTransport(this.base, options.network ?? { proxy: null });
      this.options = { ...options, agents: transport.agents, certificateAuthority: transport.certificateAuthority };
    }
  }

  async health(): Promise<HealthProbe> {
    const answer = await send(this.url('v1/health'), { method: 'GET', headers: { accept: 'application/json' } }, this.transport(this.options.healthTimeoutMs ?? 10_000));
    const body = decode(answer, healthResponseSchema, this.now);
    return { body, httpStatus: answer.status, latencyMs: answer.latencyMs, skewMs: Date.parse(body.time) - (this.now() - answer.latencyMs / 2) };
  }

  async catalog(): Promise<CatalogResponse> {
    return decode(await this.signed('GET', 'v1/datasets'), catalogResponseSchema, this.now);
  }

  async pull(dataset: string, since: string | null, limit: number): Promise<PullPage> {
    const query = new URLSearchParams();
    if (since !== null) query.set('since', since);
    query.set('limit', String(limit));
    const page = decode(await this.signed('GET', `v1/datasets/${encodeURIComponent(dataset)}/changes?${query.toString()}`), pullPageSchema, this.now);
    for (const change of page.changes) {
      if (!change.removed && !change.deleted && (change.data === undefined || change.data === null)) {
        throw new PlatformError({ kind: 'malformed', message: `pulled change ${change.id} is live but carries no data` });
      }
    }
    return page;
  }

  async push(mutations: readonly Mutation[]): Promise<PushResponse> {
    const response = decode(await this.signed('POST', 'v1/mutations', { mutations }), pushResponseSchema, this.now);
    if (response.results.length !== mutations.length) {
      throw new PlatformError({ kind: 'malformed', message: `${response.results.length} results for ${mutations.length} mutations` });
    }
    return response;
  }

  async digest(dataset: string): Promise<DigestResponse> {
    return decode(await this.signed('GET', `v1/datasets/${encodeURIComponent(dataset)}/digest`), digestResponseSchema, this.now);
  }

  private url(path: string): string {
    return new URL(path, this.base).href;
  }

  private transport(timeoutMs: number): Transport {
    return {
      timeoutMs,
      agents: this.options.agents,
      certificateAuthority: this.options.certificateAuthority,
      ...(this.options.maxAnswerBytes !== undefined ? { maxAnswerBytes: this.options.maxAnswerBytes } : {}),
    };
  }

  private async loadPrivateKey(): Promise<KeyObject | null> {
    const keys: AgentKeyPair | null = await this.options.keyStore.load();
    return keys ? createPrivateKey(keys.privateKeyPem) : null;
  }

  private async signed(method: 'GET' | 'POST', path: string, json?: unknown): Promise<RawAnswer> {
    const privateKey = (this.privateKey ??= await this.loadPrivateKey());
    if (!privateKey) throw new PlatformError({ kind: 'http', status: 401, code: 'unknown_agent', message: 'this agent has no key pair: enroll it first' });
    const url = this.url(path);
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: Buffer | undefined;
    if (json !== undefined) {
      body = Buffer.from(JSON.stringify(json));
      headers['content-type'] = 'application/json';
      if (body.length > GZIP_REQUEST_THRESHOLD) {
        body = gzipSync(body);
        headers['content-encoding'] = 'gzip';
      }
    }
    // Content-Digest covers the bytes as sent (RFC 9530), gzip-encoded or not.
    const signedHeaders = await signRequest(
      { method, url, headers, body },
      { keyId: this.options.agentId, privateKeyPem: privateKey, created: Math.floor(this.now() / 1000) },
    );
    return send(url, { method, headers: signedHeaders, body }, this.transport(this.options.timeoutMs ?? 30_000));
  }
}

/** POST /v1/enrollments: unsigned, authorised by the one-time token. */
export async function enroll(
  platformUrl: string,
  request: EnrollmentRequest,
  options: { timeoutMs?: number; agents?: Agents; certificateAuthority?: string | Buffer | string[]; network?: NetworkSettings; now?: () => number } = {},
): Promise<EnrollmentResponse> {
  const url = new URL('v1/enrollments', normalizeBase(platformUrl)).href;
  if (options.agents === undefined && options.certificateAuthority === undefined) {
    const transport = networkTransport(url, options.network ?? { proxy: null });
    options = { ...options, agents: transport.agents, certificateAuthority: transport.certificateAuthority };
  }
  const answer = await send(
    url,
    { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(request)) },
    { timeoutMs: options.timeoutMs ?? 30_000, agents: options.agents, certificateAuthority: options.certificateAuthority },
  );
  return decode(answer, enrollmentResponseSchema, options.now ?? Date.now);
}

interface Transport {
  timeoutMs: number;
  /** Largest answer read (wire and decoded); MAX_ANSWER_BYTES when unset. */
  maxAnswerBytes?: number;
  agents: Agents | undefined;
  certificateAuthority: string | Buffer | string[] | undefined;
}

async function send(url: string, req: { method: string; headers: Record<string, string>; body?: Buffer | undefined }, transport: Transport): Promise<RawAnswer> {
  const started = performance.now();
  const maxBytes = transport.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  let tooLarge = false;
  try {
    // The body is decoded here, not by got: got's decompression has no size limit.
    const request = got(url, {
      method: req.method as 'GET' | 'POST',
      headers: { ...req.headers, 'accept-encoding': 'gzip' },
      ...(req.body !== undefined ? { body: req.body } : {}),
      responseType: 'buffer',
      decompress: false,
      throwHttpErrors: false,
      followRedirect: false,
      retry: { limit: 0 },
      timeout: { request: transport.timeoutMs },
      ...(transport.agents ? { agent: transport.agents } : {}),
      ...(transport.certificateAuthority ? { https: { certificateAuthority: transport.certificateAuthority } } : {}),
    });
    request.on('downloadProgress', (progress: { transferred: number }) => {
      if (progress.transferred <= maxBytes || tooLarge) return;
      tooLarge = true;
      request.cancel();
    });
    const response = await request;
    const encoding = response.headers['content-encoding'];
    const decoded = decodeAnswerBody(response.body, Array.isArray(encoding) ? encoding.join(',') : encoding, maxBytes);
    // An error answer is judged by its status; a body that does not decode only loses its message.
    const ok = response.statusCode >= 200 && response.statusCode < 300;
    const body = ok ? await decoded : await decoded.catch(() => Buffer.alloc(0));
    return { status: response.statusCode, headers: response.headers, body, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (tooLarge) throw answerTooLarge(maxBytes);
    if (error instanceof PlatformError) throw error;
    throw transportError(error);
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/i;

function transportError(error: unknown): PlatformError {
  if (error instanceof RequestError) {
    const code = error.code ?? 'ERR_UNKNOWN';
    if (error.name === 'TimeoutError' || code === 'ETIMEDOUT') return new PlatformError({ kind: 'timeout', message: error.message, cause: code });
    if (TLS_CODES.test(code)) return new PlatformError({ kind: 'tls', message: error.message, cause: code });
    return new PlatformError({ kind: 'network', message: error.message, cause: code });
  }
  return new PlatformError({ kind: 'network', message: String((error as Error)?.message ?? error) });
}

/** Parses a 2xx answer with `schema`; maps every other status to a PlatformError. */
function decode<T>(answer: RawAnswer, schema: z.ZodType<T>, now: () => number): T {
  if (answer.status < 200 || answer.status >= 300) throw httpError(answer, now);
  let json: unknown;
  try {
    json = parseAnswerJson(answer.body);
  } catch (error) {
    if (!(error instanceof AnswerJsonError)) throw error;
    const message =
      error.problem === 'not_json' ? 'the platform answered with something that is not JSON' : 'the platform answered with a "__proto__" key, which the protocol never sends';
    throw new PlatformError({ kind: 'malformed', status: answer.status, message });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PlatformError({
      kind: 'malformed',
      status: answer.status,
      message: `the platform's answer does not follow the protocol${issue ? ` at ${issue.path.join('.') || '(root)'}: ${issue.message}` : ''}`,
    });
  }
  return parsed.data;
}

function httpError(answer: RawAnswer, now: () => number): PlatformError {
  let code: string | undefined;
  let message = `HTTP ${answer.status}`;
  let restoredHeadAt: string | null | undefined;
  try {
    const body = errorBodySchema.safeParse(JSON.parse(answer.body.toString('utf8')));
    if (body.success) {
      code = body.data.error;
      message = body.data.message || message;
      if (body.data.reason === 'platform_restored') restoredHeadAt = body.data.headAt ?? null;
    }
  } catch {
    // Not a protocol error body (a proxy's HTML page, say): the status says enough.
  }
  if (answer.status === 410 && code === undefined) code = 'resync_required';
  const retryAfter = header(answer, 'retry-after');
  const retryAfterMs = retryAfter !== undefined ? parseRetryAfter(retryAfter, new Date(now())) : null;
  const date = header(answer, 'date');
  return new PlatformError({
    kind: 'http',
    status: answer.status,
    message,
    ...(code !== undefined ? { code } : {}),
    ...(retryAfterMs !== null ? { retryAfterMs } : {}),
    ...(date !== undefined ? { serverDate: date, receivedAt: now() } : {}),
    ...(restoredHeadAt !== undefined ? { restoredHeadAt } : {}),
  });
}

function header(answer: RawAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function normalizeBase(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

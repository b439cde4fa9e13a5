import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { PROTOCOL_VERSION } from '../../../sync-engine/src/protocol/limits.js';
import type { RequestAuthenticator, AuthenticatedAgent } from '../services/auth.js';
import type { Catalog } from '../services/catalog.js';
import type { DigestService } from '../services/digest.js';
import type { EnrollmentService } from '../services/enrollment.js';
import type { LastSeenRecorder } from '../services/last-seen.js';
import type { MaintenanceSwitch } from '../services/maintenance.js';
import { JsonBytes } from '../services/json-bytes.js';
import { PlatformError } from '../services/platform-error.js';
import type { PullService } from '../services/pull.js';
import type { PushService } from '../services/push.js';
import type { RateLimiter } from '../services/rate-limit.js';
import type { PlatformStore } from '../store/platform-store.js';
import { parseJsonBody, readBody, type RequestBody } from './body.js';
import { acceptsGzip, GZIP_MIN_BYTES, gzipBody } from './compression.js';
import { canRespond, errorResponse } from './errors.js';
import { matchRoute, type RouteMatch } from './router.js';

export interface PlatformServices {
  store: PlatformStore;
  catalog: Catalog;
  authenticator: RequestAuthenticator;
  /** Told of each agent whose signed request was accepted (`agents list` shows when). */
  lastSeen: LastSeenRecorder;
  enrollment: EnrollmentService;
  pull: PullService;
  push: PushService;
  digest: DigestService;
  maintenance: MaintenanceSwitch;
  /** Null when rate limiting is off. */
  rateLimiter: RateLimiter | null;
  now: () => Date;
  log: (line: string) => void;
}

export interface TlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
}

/** The scheme agents use to reach the platform, which may not be the one it serves. */
export type PublicScheme = 'http' | 'https';

export interface PlatformServerOptions {
  /** Serve HTTPS with this key and certificate. */
  tls?: TlsOptions | undefined;
  /**
   * The scheme of the `@target-uri` agents sign: 'https' behind a gateway that
   * terminates TLS and forwards plain HTTP. Fixed by the operator, never read
   * from the request (`X-Forwarded-Proto` is whatever the sender wrote when no
   * gateway overwrote it). Default: the scheme served.
   */
  publicScheme?: PublicScheme | undefined;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * The platform's HTTP door: node:http, JSON only. Each request runs
 * route → maintenance → body (capped) → signature → rate limit → service, and
 * whatever goes wrong becomes `{ error, message }`; nothing reaches the client as
 * a stack trace or a dropped connection.
 */
export function createPlatformServer(services: PlatformServices, options: PlatformServerOptions = {}): Server {
  const { tls } = options;
  const scheme = options.publicScheme ?? (tls ? 'https' : 'http');
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void serve(services, scheme, req, res);
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  // Requests node cannot even parse (broken request line, oversized headers) still get the error shape.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: 'bad_request', message: `the request could not be parsed (${err.code ?? 'malformed'})` });
    // Like every other answer it carries the platform's time, which the agent keeps from any error answer.
    const head = `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nDate: ${services.now().toUTCString()}\r\nConnection: close`;
    socket.end(`HTTP/1.1 400 Bad Request\r\n${head}\r\n\r\n${body}`);
  });
  return server;
}

async function serve(services: PlatformServices, scheme: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let reply: Reply;
  try {
    reply = await dispatch(services, scheme, req);
  } catch (err) {
    reply = errorResponse(err, services.log);
    if (!req.complete) reply.headers = { ...reply.headers, connection: 'close' };
  }
  try {
    await send(services, req, res, reply);
  } catch (err) {
    services.log(`failed to send a response: ${err instanceof Error ? err.message : String(err)}`);
    res.destroy();
  }
}

async function dispatch(services: PlatformServices, scheme: string, req: IncomingMessage): Promise<Reply> {
  const method = (req.method ?? 'GET').toUpperCase();
  const rawUrl = req.url ?? '/';
  const url = new URL(rawUrl, 'http://platform.invalid');
  const match = matchRoute(method, url.pathname);
  if (match.route.name === 'health') return health(services);
  const maintenance = await services.maintenance.current();
  if (maintenance.on) {
    throw new PlatformError('maintenance', 'the platform is under maintenance; try again later', { retryAfterSeconds: maintenance.retryAfterSeconds });
  }
  if (method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw new PlatformError('unsupported_media_type', 'the body must be application/json');
  }
  const body = await readBody(req);
  if (match.route.auth === 'token') {
    rateLimit(services, `address:${req.socket.remoteAddress ?? 'unknown'}`);
    const enrolled = await services.enrollment.enroll(parseJsonBody(body.decoded));
    return { status: match.route.status, body: enrolled };
  }
  const auth = await services.authenticator.authenticate({
    method,
    // The agent signed the URI it sent: the public scheme, then the request's own Host header and path, not our configured address.
    url: targetUri(scheme, req.headers.host, rawUrl),
    urlAsSent: `${scheme}://${req.headers.host ?? ''}${rawUrl}`,
    headers: flatHeaders(req),
    wireBody: body.wire,
    body: body.decoded,
  });
  services.lastSeen.seen(auth.agent.id);
  rateLimit(services, `agent:${auth.agent.id}`);
  return { status: match.route.status, body: await signedCall(services, match, url, auth, body) };
}

async function signedCall(services: PlatformServices, match: RouteMatch, url: URL, auth: AuthenticatedAgent, body: RequestBody): Promise<unknown> {
  const dataset = match.params['name'] ?? '';
  switch (match.route.name) {
    case 'catalog':
      // answer() reads the catalog version, then the site's overrides: one snapshot (read), not lookup's one statement.
      return services.store.read((em) => services.catalog.answer(em, auth.site.code));
    case 'changes':
      return services.pull.pull(auth, dataset, {
        since: url.searchParams.get('since') ?? undefined,
        limit: url.searchParams.get('limit') ?? undefined,
      });
    case 'digest':
      return services.digest.digest(auth, dataset);
    case 'mutations':
      return services.push.push(auth, parseJsonBody(body.decoded), { bytes: body.wire, gzip: body.wire !== body.decoded });
    default:
      throw new PlatformError('not_found', 'no such endpoint');
  }
}

function health(services: PlatformServices): Promise<Reply> {
  return services.maintenance.current().then((m) => ({
    status: 200,
    body: { status: m.on ? 'maintenance' : 'ok', time: services.now().toISOString(), protocol: PROTOCOL_VERSION },
  }));
}

/** A Host value that is a host name, an IPv4 or a bracketed IPv6 address, with an optional port: nothing else is rewritten. */
const PLAIN_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The `@target-uri` the agent signed: the public scheme, the request's own
 * Host header and its path. The authority is written as WHATWG URL writes it,
 * as the agent does when it signs (`new URL(...).href`): host in lower case and
 * the scheme's default port left out, so a gateway that forwards
 * `Host: ndxp.example.gov.vn:443` or changes the host's case still matches.
 * The authenticator also tries the Host header as spelled (`urlAsSent`), for a
 * signer that wrote `:443` itself. A Host value that is not a plain host and
 * port is used as it came.
 */
function targetUri(scheme: PublicScheme | string, host: string | undefined, path: string): string {
  let authority = host ?? '';
  if (PLAIN_HOST.test(authority)) {
    try {
      authority = new URL(`${scheme}://${authority}`).host;
    } catch {
      // not a host WHATWG URL accepts: keep it as sent
    }
  }
  return `${scheme}://${authority}${path}`;
}

function rateLimit(services: PlatformServices, key: string): void {
  const decision = services.rateLimiter?.take(key) ?? { ok: true as const };
  if (!decision.ok) {
    throw new PlatformError('rate_limited', 'too many requests; slow down', { retryAfterSeconds: decision.retryAfterSeconds });
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function send(services: PlatformServices, req: IncomingMessage, res: ServerResponse, reply: Reply): Promise<void> {
  if (!canRespond(res)) return;
  let payload: Buffer = reply.body instanceof JsonBytes ? reply.body.bytes : Buffer.from(JSON.stringify(reply.body));
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    date: services.now().toUTCString(),
    ...reply.headers,
  };
  if (payload.length >= GZIP_MIN_BYTES && acceptsGzip(req.headers['accept-encoding'])) {
    payload = await gzipBody(payload);
    headers['content-encoding'] = 'gzip';
    headers['vary'] = 'Accept-Encoding';
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(reply.status, headers);
  res.end(payload);
  if (headers['connection'] === 'close') res.on('finish', () => req.socket.destroySoon?.());
}

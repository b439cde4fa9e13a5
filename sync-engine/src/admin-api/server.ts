import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentApi } from '../api/index.js';
import { handleCommand } from './command-route.js';
import { createEventStreams, HEARTBEAT_MS } from './event-stream.js';
import { createRequestGuard } from './request-guard.js';
import { refusals, sendJson, sendRefusal } from './responses.js';
import { CHALLENGE_HEADER, challengeAnswer, isChallengeNonce } from './service-proof.js';
import { createStaticFiles } from './static-files.js';

export type AdminApiOptions = {
  api: AgentApi;
  /** 0 picks a free port (tests); the service passes settings.adminPort. */
  port: number;
  /** Loopback only: the admin API is never reachable from the network. */
  host?: '127.0.0.1';
  token: string;
  /** The built renderer (renderer/dist), served as the web console. */
  staticDir?: string;
  /** Origins besides the console's own that may call the API (e.g. a Vite dev server). */
  allowedOrigins?: string[];
  heartbeatMs?: number;
  /** After this long a command's answer sends its headers first (slow-answer.ts); tests shorten it. */
  slowAnswerMs?: number;
};

export type AdminApi = { url: string; port: number; close(): Promise<void> };

/**
 * The local admin API: the AgentApi over HTTP + server-sent events on
 * 127.0.0.1, plus the built renderer as a web console. Routes:
 *   GET  /api/health               no token, `{ ok: true }`; with a challenge
 *                                  nonce also the proof (service-proof.ts)
 *   POST /api/commands/{command}   JSON input -> ApiResult
 *   GET  /api/events               server-sent events
 *   GET  anything else             the web console's files
 * No CORS headers are ever sent: only the console's own origin may call.
 */
export async function startAdminApi(options: AdminApiOptions): Promise<AdminApi> {
  const host = options.host ?? '127.0.0.1';
  const streams = createEventStreams(options.api, options.heartbeatMs ?? HEARTBEAT_MS);
  const serveStatic = createStaticFiles(options.staticDir);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // The guard needs the bound port (a requested 0 becomes a real one), so routes
  // attach after listen; no request is read before this continuation runs.
  const guard = createRequestGuard({ port, token: options.token, ...(options.allowedOrigins ? { allowedOrigins: options.allowedOrigins } : {}) });

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const hostOrOrigin = guard.checkHostAndOrigin(req);
    if (hostOrOrigin) return sendRefusal(res, hostOrOrigin);

    const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
    if (!rawPath.startsWith('/api/')) return serveStatic(req, res, rawPath);
    if (rawPath === '/api/health') {
      if (req.method !== 'GET') return sendRefusal(res, refusals.methodNotAllowed('GET'));
      const nonce = req.headers[CHALLENGE_HEADER];
      if (nonce === undefined) return sendJson(res, 200, { ok: true });
      if (typeof nonce !== 'string' || !isChallengeNonce(nonce)) return sendRefusal(res, refusals.badChallenge());
      return sendJson(res, 200, { ok: true, proof: challengeAnswer(options.token, port, nonce) });
    }
    const badToken = guard.checkToken(req);
    if (badToken) return sendRefusal(res, badToken);
    if (rawPath === '/api/events') return streams.open(req, res);
    const command = /^\/api\/commands\/([^/]+)$/.exec(rawPath)?.[1];
    if (command !== undefined) return handleCommand(options.api, safeDecode(command), req, res, options.slowAnswerMs);
    return sendRefusal(res, refusals.notFound());
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch(() => {
      if (!res.headersSent) sendRefusal(res, refusals.internal());
      else res.destroy();
    });
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        streams.closeAll();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

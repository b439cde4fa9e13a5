/**
 * A tiny stand-in for the local admin API, for the renderer's browser tests
 * only: the HTTP + SSE protocol renderer/src/api/client.ts speaks, backed by a
 * FakeAgent, and the built renderer served as the web console.
 *
 *   POST /api/commands/{command}  Authorization: Bearer TOKEN, JSON body -> ApiResult JSON
 *   GET  /api/events              Authorization: Bearer TOKEN -> text/event-stream
 *                                 (`event: <name>\ndata: <json>\n\n`, `: comment` heartbeats)
 *   GET  /*                       files of the built renderer (index.html for /)
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { events, isCommandName } from '../../../sync-engine/src/api/index.js';
import type { EventName } from '../../../sync-engine/src/api/index.js';
import { FakeAgent } from './fake-agent.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export interface FakeAdminServer {
  url: string;
  token: string;
  agent: FakeAgent;
  /** The address a browser opens: the console with its token in the fragment. */
  consoleUrl: string;
  /** Ends every open event stream, as a restarting service would (clients must reconnect). */
  dropEventStreams(): void;
  /**
   * As `edge-agent run` starting again: a new token (token and consoleUrl
   * change), the old one refused with 401 from then on, open streams ended.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function unauthorized(res: ServerResponse): void {
  sendJson(res, 401, {
    ok: false,
    error: { code: 'unauthorized', messages: { vi: 'Thiếu hoặc sai mã truy cập.', en: 'Missing or wrong access token.' } },
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeAdminServer(options: { staticDir: string; agent?: FakeAgent }): Promise<FakeAdminServer> {
  const agent = options.agent ?? new FakeAgent();
  let token = randomBytes(16).toString('hex');
  const streams = new Set<ServerResponse>();
  const authorised = (req: IncomingMessage) => req.headers.authorization === `Bearer ${token}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const command = /^\/api\/commands\/([^/]+)$/.exec(path)?.[1];
    if (command !== undefined) {
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'invalid_input', messages: { vi: 'Sai phương thức.', en: 'Wrong method.' } } });
      if (!authorised(req)) return unauthorized(res);
      if (!isCommandName(command)) return sendJson(res, 404, { ok: false, error: { code: 'not_found', messages: { vi: 'Không có lệnh này.', en: 'No such command.' } } });
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body ? JSON.parse(body) : {};
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid_input', messages: { vi: 'JSON không hợp lệ.', en: 'Invalid JSON.' } } });
      }
      const result = await agent.call(command, input as never);
      return sendJson(res, result.ok || result.error.code !== 'invalid_input' ? 200 : 400, result);
    }
    if (path === '/api/events') {
      if (!authorised(req)) return unauthorized(res);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      const offs = (Object.keys(events) as EventName[]).map((name) =>
        agent.on(name, (payload) => res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)),
      );
      const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 15_000);
      heartbeat.unref();
      req.on('close', () => {
        clearInterval(heartbeat);
        for (const off of offs) off();
        streams.delete(res);
      });
      return;
    }
    if (path.startsWith('/api/')) return sendJson(res, 404, { ok: false, error: { code: 'not_found', messages: { vi: 'Không có.', en: 'Not found.' } } });

    const file = normalize(join(options.staticDir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(options.staticDir + sep)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', messages: { vi: 'Lỗi máy chủ giả.', en: 'Fake server error.' } } });
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dropEventStreams = () => {
    for (const res of streams) res.destroy();
  };
  return {
    url,
    get token() {
      return token;
    },
    agent,
    get consoleUrl() {
      return `${url}/#token=${token}`;
    },
    dropEventStreams,
    restart: async () => {
      token = randomBytes(16).toString('hex');
      dropEventStreams();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

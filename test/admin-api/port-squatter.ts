import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/**
 * Another local user's program on the admin port: a plain node:http server that
 * answers 200 to everything (`{ ok: true }` on /api/health, or what `health`
 * returns for a challenge nonce) and records every request it receives.
 */
export async function startSquatter(health: (nonce: string | undefined, port: number) => unknown = () => ({ ok: true })) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const nonce = req.headers['x-edge-agent-challenge'];
      const body = req.url?.startsWith('/api/health') ? health(typeof nonce === 'string' ? nonce : undefined, port) : { ok: true };
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    /** True if anything the squatter received, anywhere in a request, holds the secret. */
    saw: (secret: string) => received.some((r) => JSON.stringify(r).includes(secret)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { events, type AgentApi, type EventName } from '../api/index.js';
import { SECURITY_HEADERS, refusals, sendRefusal } from './responses.js';

export const HEARTBEAT_MS = 15_000;
/** A console that stops reading is cut off rather than buffered without bound; it reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export type EventStreams = {
  open(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open stream (the server is closing). */
  closeAll(): void;
};

/**
 * GET /api/events: server-sent events, one `event: <name>` / `data: <json>` block
 * per AgentApi event, and a comment line as heartbeat so proxies and the client
 * notice a dead connection. Subscriptions end with the connection.
 */
export function createEventStreams(api: AgentApi, heartbeatMs = HEARTBEAT_MS): EventStreams {
  const open = new Set<() => void>();

  return {
    open(req, res) {
      if (req.method !== 'GET') return sendRefusal(res, refusals.methodNotAllowed('GET'));
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': connected\n\n');

      const write = (text: string) => {
        if (res.writableEnded) return;
        if (res.writableLength > MAX_BUFFERED_BYTES) return close();
        res.write(text);
      };
      const unsubscribes = (Object.keys(events) as EventName[]).map((name) =>
        api.on(name, (payload) => write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`)),
      );
      const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
      heartbeat.unref();

      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        for (const unsubscribe of unsubscribes) unsubscribe();
        open.delete(close);
        if (!res.writableEnded) res.end();
      };
      open.add(close);
      req.on('close', close);
      res.on('close', close);
    },
    closeAll() {
      for (const close of [...open]) close();
    },
  };
}

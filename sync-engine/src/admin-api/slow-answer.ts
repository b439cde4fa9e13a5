import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS, sendJson } from './responses.js';

/**
 * How long an answer may take before its headers go out ahead of it. Node's
 * fetch (undici, in the CLI and in the desktop window's main process) gives up
 * on a request whose response headers have not arrived after 300 s, and on a
 * body that stays silent as long; a "sync now" that catches up a week offline,
 * or waits for the run in progress first, can take longer. Well under both.
 */
export const SLOW_ANSWER_MS = 20_000;

/**
 * Sends `answer` as JSON once it settles. If it is not there within
 * `slowAfterMs`, the headers go out first (200: the client reads the result
 * from the body, whatever the status) and a space every `slowAfterMs` keeps
 * the body alive until the answer follows it (JSON allows leading spaces).
 * `statusOf` picks the status of an answer that came in time.
 */
export async function sendWhenSettled<T>(
  res: ServerResponse,
  answer: Promise<T>,
  statusOf: (value: T) => number,
  slowAfterMs = SLOW_ANSWER_MS,
): Promise<void> {
  let keepAlive: NodeJS.Timeout | null = null;
  const headersEarly = setTimeout(() => {
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.write(' ');
    keepAlive = setInterval(() => res.write(' '), slowAfterMs);
  }, slowAfterMs);
  const stop = () => {
    clearTimeout(headersEarly);
    if (keepAlive) clearInterval(keepAlive);
  };
  // The client went away: nothing more to keep alive (the command still finishes).
  res.once('close', stop);
  let value: T;
  try {
    value = await answer;
  } finally {
    stop();
  }
  if (res.destroyed || res.writableEnded) return;
  if (!res.headersSent) return sendJson(res, statusOf(value), value);
  res.end(JSON.stringify(value));
}

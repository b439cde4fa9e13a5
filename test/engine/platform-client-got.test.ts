import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, beforeEach, test } from 'node:test';
import { GotPlatformClient, GZIP_REQUEST_THRESHOLD } from '../../sync-engine/src/adapters/platform-client-got.js';
import { contentDigestMatches, generateAgentKeyPair, readSignatureInput, type AgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { toApiError } from '../../sync-engine/src/service/api-errors.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import type { KeyStore } from '../../sync-engine/src/sync/ports.js';

/** A stub HTTP server: each test sets the answer and reads what arrived. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
let server: Server;
let base: string;
let seen: Seen[];
let answer: (req: Seen, res: ServerResponse) => void;

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      seen.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  seen = [];
  answer = (_req, res) => json(res, 200, { datasets: [] });
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const pair: AgentKeyPair = generateAgentKeyPair();
const keyStore: KeyStore = { ref: 'memory', load: async () => pair, save: async () => undefined };
const agentId = uuidv7();
const client = (extra: Partial<ConstructorParameters<typeof GotPlatformClient>[0]> = {}) =>
  new GotPlatformClient({ baseUrl: base, agentId, keyStore, ...extra });

async function failure(call: Promise<unknown>): Promise<PlatformError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof PlatformError, `expected a PlatformError, got ${String(error)}`);
    return error;
  }
  assert.fail('the call succeeded');
}

test('every call but health is signed with the agent id as key id', async () => {
  answer = (req, res) =>
    req.url === '/v1/health' ? json(res, 200, { status: 'ok', time: '2025-10-01T02:00:00Z', protocol: 1 }) : json(res, 200, { datasets: [] });
  await client().health();
  await client().catalog();
  assert.equal(seen[0]?.headers['signature'], undefined);
  const input = readSignatureInput(seen[1]?.headers['signature-input'] as string);
  assert.equal(input?.keyId, agentId);
  assert.deepEqual(input?.components, ['@method', '@target-uri', 'content-digest']);
  assert.ok(contentDigestMatches(seen[1]?.headers['content-digest'] as string, seen[1]?.body));
});

test('a pull asks for the cursor and limit it was given', async () => {
  answer = (_req, res) => json(res, 200, { changes: [], cursor: 'c1.next', hasMore: false });
  const page = await client().pull('civil-status-births', 'c1.a+b/c', 500);
  assert.equal(page.cursor, 'c1.next');
  const url = new URL(seen[0]!.url, base);
  assert.equal(url.pathname, '/v1/datasets/civil-status-births/changes');
  assert.equal(url.searchParams.get('since'), 'c1.a+b/c');
  assert.equal(url.searchParams.get('limit'), '500');
});

test('a large push is gzip-encoded and its Content-Digest covers the bytes sent', async () => {
  const mutations = Array.from({ length: 120 }, () => ({
    mutationId: uuidv7(),
    dataset: 'civil-status-births',
    id: uuidv7(),
    op: 'upsert' as const,
    baseRev: null,
    data: { notes: 'Ghi chú '.repeat(100) },
  }));
  answer = (_req, res) => json(res, 200, { results: mutations.map((m, i) => ({ mutationId: m.mutationId, status: 'applied', rev: 1, seq: i + 1 })) });
  await client().push(mutations);
  const request = seen[0]!;
  assert.equal(request.headers['content-encoding'], 'gzip');
  assert.ok(contentDigestMatches(request.headers['content-digest'] as string, request.body));
  const decoded = gunzipSync(request.body);
  assert.ok(decoded.length > GZIP_REQUEST_THRESHOLD);
  assert.equal((JSON.parse(decoded.toString('utf8')) as { mutations: unknown[] }).mutations.length, 120);
});

function gzipped(res: ServerResponse, status: number, text: string | Buffer, encoding = 'gzip'): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-encoding': encoding });
  res.end(encoding === 'gzip' ? gzipSync(text) : text);
}

test('a gzip answer is asked for and decoded', async () => {
  const change = { seq: 1, id: uuidv7(), rev: 1, deleted: false, data: { fullName: 'Nguyễn Thị Hoà' }, updatedAt: '2025-10-01T03:00:00Z', updatedBy: { national: true } };
  answer = (_req, res) => gzipped(res, 200, JSON.stringify({ changes: [change, { ...change, seq: 2, id: uuidv7() }], cursor: 'c2', hasMore: false }));
  const page = await client().pull('civil-status-births', null, 10);
  assert.equal(seen[0]?.headers['accept-encoding'], 'gzip');
  assert.deepEqual(page.changes.map((c) => c.seq), [1, 2]);
  assert.equal((page.changes[0] as unknown as { data: { fullName: string } }).data.fullName, 'Nguyễn Thị Hoà');
});

test('an answer larger than the limit is malformed, gzip bomb or plain', async () => {
  const maxAnswerBytes = 1024 * 1024;
  // 8 MB of JSON that gzips to about 8 KB.
  const bomb = `{"changes":[],"cursor":"${'0'.repeat(8 * 1024 * 1024)}","hasMore":false}`;
  answer = (_req, res) => gzipped(res, 200, bomb);
  const fromGzip = await failure(client({ maxAnswerBytes }).pull('civil-status-births', null, 10));
  assert.equal(fromGzip.kind, 'malformed');
  assert.match(fromGzip.message, /larger than 1 MB/);
  answer = (_req, res) => gzipped(res, 200, Buffer.from(bomb), 'identity');
  const plain = await failure(client({ maxAnswerBytes }).pull('civil-status-births', null, 10));
  assert.equal(plain.kind, 'malformed');
  assert.match(plain.message, /larger than 1 MB/);
  // Under the limit, the same client reads the same kind of answer.
  answer = (_req, res) => gzipped(res, 200, JSON.stringify({ changes: [], cursor: 'c', hasMore: false }));
  assert.equal((await client({ maxAnswerBytes }).pull('civil-status-births', null, 10)).cursor, 'c');
});

test('a body that is not the gzip it says, or in an encoding never asked for, is malformed', async () => {
  answer = (_req, res) => gzipped(res, 200, Buffer.from('{"datasets":[]}'), 'gzip-but-not');
  assert.match((await failure(client().catalog())).message, /Content-Encoding gzip-but-not/);
  answer = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    res.end(Buffer.from('{"datasets":[]}'));
  };
  const broken = await failure(client().catalog());
  assert.equal(broken.kind, 'malformed');
  assert.match(broken.message, /does not decode/);
  // An error answer stays the error its status says, whatever its body.
  answer = (_req, res) => {
    res.writeHead(503, { 'content-encoding': 'br', 'retry-after': '7' });
    res.end(Buffer.from('not brotli'));
  };
  const unavailable = await failure(client().catalog());
  assert.equal(unavailable.kind, 'http');
  assert.equal(unavailable.status, 503);
  assert.equal(unavailable.retryAfterMs, 7000);
});

test('an answer that breaks the protocol is a typed error, never a crash', async () => {
  answer = (_req, res) => json(res, 200, { changes: 'not a list', cursor: 'x', hasMore: false });
  assert.equal((await failure(client().pull('civil-status-births', null, 10))).kind, 'malformed');
  answer = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>proxy login</html>');
  };
  assert.equal((await failure(client().catalog())).kind, 'malformed');
  answer = (_req, res) => json(res, 200, { results: [] });
  const short = await failure(client().push([{ mutationId: uuidv7(), dataset: 'x', id: uuidv7(), op: 'delete', baseRev: 1, data: null }]));
  assert.equal(short.kind, 'malformed');
});

test('429 and 503 carry Retry-After; 5xx is retryable; 410 means resync', async () => {
  answer = (_req, res) => json(res, 429, { error: 'rate_limited', message: 'slow down' }, { 'retry-after': '120' });
  const limited = await failure(client().catalog());
  assert.equal(limited.status, 429);
  assert.equal(limited.code, 'rate_limited');
  assert.equal(limited.retryAfterMs, 120_000);
  assert.equal(limited.isRetryable, true);

  answer = (_req, res) => json(res, 503, { error: 'maintenance', message: 'back soon' }, { 'retry-after': '30' });
  assert.equal((await failure(client().catalog())).retryAfterMs, 30_000);

  answer = (_req, res) => {
    res.writeHead(502);
    res.end('bad gateway');
  };
  const gateway = await failure(client().catalog());
  assert.equal(gateway.kind, 'http');
  assert.equal(gateway.isRetryable, true);

  answer = (_req, res) => json(res, 410, { error: 'resync_required', message: 'purged' });
  assert.equal((await failure(client().pull('civil-status-births', 'c1.x', 10))).isResyncRequired, true);
});

test('401 codes are reported as authentication problems with the platform clock', async () => {
  answer = (_req, res) => json(res, 401, { error: 'clock_skew', message: 'skewed' }, { date: 'Wed, 01 Oct 2025 02:00:00 GMT' });
  const error = await failure(client().catalog());
  assert.equal(error.isAuth, true);
  assert.equal(error.code, 'clock_skew');
  assert.equal(error.serverDate, 'Wed, 01 Oct 2025 02:00:00 GMT');
  assert.equal(error.isRetryable, false);
});

test('a clock refusal said outside a sync run (a command that called the platform) says how far off the clock is, as a run says it', async () => {
  const platformTime = Date.parse('2025-10-01T02:00:00Z');
  answer = (_req, res) => json(res, 401, { error: 'clock_skew', message: 'skewed' }, { date: new Date(platformTime).toUTCString() });
  const error = await failure(client({ now: () => platformTime + 17 * 60_000 }).catalog());
  const said = toApiError(error);
  assert.equal(said.code, 'unauthorized');
  assert.match(said.messages.en, /^This computer's clock is 17 minutes ahead of the national platform's, so sync is refused\. Set this computer's clock/);
  assert.match(said.messages.vi, /^Đồng hồ của máy này chạy nhanh 17 phút so với nền tảng quốc gia/);
  assert.doesNotMatch(said.messages.en, /more than 5 minutes/);
  // Without the platform's time nothing is measured: it says only that the clock is off by more than the platform accepts.
  answer = (_req, res) => {
    res.sendDate = false;
    json(res, 401, { error: 'clock_skew', message: 'skewed' });
  };
  const unmeasured = await failure(client({ now: () => platformTime + 17 * 60_000 }).catalog());
  assert.match(toApiError(unmeasured).messages.en, /more than 5 minutes off/);
});

test('an unreachable platform and a silent one are network and timeout errors', async () => {
  const refused = await failure(new GotPlatformClient({ baseUrl: 'http://127.0.0.1:9', agentId, keyStore }).catalog());
  assert.equal(refused.kind, 'network');
  assert.equal(refused.causeCode, 'ECONNREFUSED');
  answer = () => undefined; // never answers
  const silent = await failure(client({ timeoutMs: 200 }).catalog());
  assert.equal(silent.kind, 'timeout');
  assert.equal(silent.isRetryable, true);
});

test('the client never retries on its own', async () => {
  answer = (_req, res) => json(res, 503, { error: 'maintenance', message: 'x' });
  await failure(client().catalog());
  assert.equal(seen.length, 1);
});

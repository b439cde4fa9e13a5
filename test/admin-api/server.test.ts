import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP, startAdminApi } from '../../sync-engine/src/admin-api/index.js';
import { safeRelativePath } from '../../sync-engine/src/admin-api/static-files.js';
import { createFakeAgentApi, sampleStatus } from './fake-agent-api.js';
import { rawRequest } from './http-request.js';

const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz_-';

async function start(t: TestContext, extra: { staticDir?: string; heartbeatMs?: number } = {}) {
  const api = createFakeAgentApi();
  const server = await startAdminApi({ api, port: 0, host: '127.0.0.1', token: TOKEN, ...extra });
  t.after(() => server.close());
  const auth = { authorization: `Bearer ${TOKEN}` };
  const post = (command: string, body: unknown, headers: Record<string, string> = auth) =>
    rawRequest({
      port: server.port,
      path: `/api/commands/${command}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { api, server, auth, post };
}

function consoleFolder(t: TestContext) {
  const base = mkdtempSync(join(tmpdir(), 'admin-api-static-'));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const dist = join(base, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'the data folder');
  return { base, dist };
}

test('health answers without a token and says only ok', async (t) => {
  const { server } = await start(t);
  const res = await rawRequest({ port: server.port, path: '/api/health' });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { ok: true });
});

test('a command without a token, or with a wrong one, is refused 401 before the engine sees it', async (t) => {
  const { api, post } = await start(t);
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  const refused: Record<string, string>[] = [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }];
  for (const headers of refused) {
    const res = await post('status.get', {}, headers);
    assert.equal(res.status, 401);
    assert.equal(JSON.parse(res.body).error.code, 'unauthorized');
  }
  assert.equal(api.calls.length, 0);
});

test('the event stream also needs the token', async (t) => {
  const { server } = await start(t);
  const res = await rawRequest({ port: server.port, path: '/api/events' });
  assert.equal(res.status, 401);
});

test('a request from a foreign Origin is refused 403 even with the token', async (t) => {
  const { api, auth, post, server } = await start(t);
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`, `https://127.0.0.1:${server.port}`]) {
    const res = await post('status.get', {}, { ...auth, origin });
    assert.equal(res.status, 403, origin);
  }
  assert.equal(api.calls.length, 0);
});

test("a hostile page's requests are refused: form and no-cors posts, the event stream, the console's files, framing", async (t) => {
  const { dist } = consoleFolder(t);
  const { api, auth, server } = await start(t, { staticDir: dist });
  api.answers['sync.now'] = () => ({ ok: true, value: { started: true, run: null } });
  const evil = { origin: 'https://evil.example' };
  // What a <form> and a no-cors fetch can send: a simple content type, the page's Origin, no Authorization.
  for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
    const res = await rawRequest({ port: server.port, path: '/api/commands/sync.now', method: 'POST', headers: { ...evil, 'content-type': type }, body: '{}' });
    assert.equal(res.status, 403, type);
  }
  // A page that somehow had the token still cannot read the stream, the health answer or the console's files.
  for (const path of ['/api/events', '/api/health', '/', '/assets/app.js']) {
    const res = await rawRequest({ port: server.port, path, headers: { ...evil, ...auth } });
    assert.equal(res.status, 403, path);
    assert.doesNotMatch(res.body, /console\.log|<title>/, path);
  }
  assert.equal(api.calls.length, 0);
  assert.equal(api.listenerCount(), 0);
  // Clickjacking: the console may not be framed by any page.
  const index = await rawRequest({ port: server.port, path: '/' });
  assert.equal(index.headers['x-frame-options'], 'DENY');
  assert.match(index.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
  assert.equal(index.headers['cross-origin-resource-policy'], 'same-origin');
  // Without the token, an unknown /api/ path says only "unauthorized": nothing to enumerate.
  const probe = await rawRequest({ port: server.port, path: '/api/commands/records.list' });
  const unknown = await rawRequest({ port: server.port, path: '/api/admin/secrets' });
  assert.equal(probe.status, 401);
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body, probe.body);
});

test("the console's own origin may call, and no CORS header is ever sent", async (t) => {
  const { api, auth, post, server } = await start(t);
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`]) {
    const res = await post('status.get', {}, { ...auth, origin });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  }
  const preflight = await rawRequest({ port: server.port, path: '/api/commands/status.get', method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
  assert.equal(preflight.headers['access-control-allow-origin'], undefined);
  assert.notEqual(preflight.status, 200);
});

test('a Host that is not a loopback name with our port is refused (DNS rebinding)', async (t) => {
  const { api, auth, server } = await start(t);
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  for (const host of [`evil.example:${server.port}`, '127.0.0.1', `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
    const res = await rawRequest({
      port: server.port,
      path: '/api/commands/status.get',
      method: 'POST',
      headers: { ...auth, host, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(res.status, 421, host);
    const health = await rawRequest({ port: server.port, path: '/api/health', headers: { host } });
    assert.equal(health.status, 421, host);
  }
  for (const host of [`localhost:${server.port}`, `[::1]:${server.port}`, `LOCALHOST:${server.port}`]) {
    const res = await rawRequest({ port: server.port, path: '/api/health', headers: { host } });
    assert.equal(res.status, 200, host);
  }
  assert.equal(api.calls.length, 0);
});

test('an unknown command answers 404 as an ApiResult', async (t) => {
  const { post } = await start(t);
  const res = await post('records.drop', {});
  assert.equal(res.status, 404);
  const body = JSON.parse(res.body);
  assert.equal(body.ok, false);
  assert.equal(body.error.code, 'not_found');
  assert.match(body.error.messages.en, /records\.drop/);
});

test('invalid input answers 400 with a Vietnamese and an English message, and never reaches the engine', async (t) => {
  const { api, post } = await start(t);
  api.answers['records.put'] = () => ({ ok: true, value: { id: '00000000-0000-4000-8000-000000000000', state: 'waiting' } });
  const res = await post('records.put', { dataset: 'civil-status-births', data: 'x' });
  assert.equal(res.status, 400);
  const body = JSON.parse(res.body);
  assert.equal(body.error.code, 'invalid_input');
  assert.match(body.error.messages.vi, /không hợp lệ.*Dữ liệu bản ghi: phải là một đối tượng JSON/);
  assert.match(body.error.messages.en, /not valid.*Record data: must be a JSON object/);
  assert.equal(api.calls.length, 0);
});

test('a body that is not JSON, or not sent as JSON, is refused', async (t) => {
  const { post, auth } = await start(t);
  const broken = await post('status.get', '{not json');
  assert.equal(broken.status, 400);
  assert.equal(JSON.parse(broken.body).error.code, 'invalid_input');
  const form = await post('status.get', '{}', { ...auth, 'content-type': 'text/plain' });
  assert.equal(form.status, 415);
});

test('JSON nested deeper than 32 levels, or holding a "__proto__" key however spelled, is refused 400 before the engine', async (t) => {
  const { api, post } = await start(t);
  api.answers['records.put'] = () => ({ ok: true, value: { id: '00000000-0000-4000-8000-000000000000', state: 'waiting' } });
  const record = '"dataset":"civil-status-births","data":{"fullName":"Lan",';
  const bodies = {
    deep: `{${record}"notes":${'['.repeat(40)}${']'.repeat(40)}}}`,
    // Deep enough to overflow the stack of a recursive check behind the door.
    veryDeep: `{${record}"notes":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`,
    proto: `{${record}"__proto__":{"personalId":"001090000001"}}}`,
    escaped: `{${record}"\\u005f_proto__":{"personalId":"001090000001"}}}`,
  };
  for (const [name, body] of Object.entries(bodies)) {
    const res = await post('records.put', body);
    assert.equal(res.status, 400, name);
    const error = JSON.parse(res.body).error;
    assert.equal(error.code, 'invalid_input', name);
    assert.match(error.messages.en, name.endsWith('eep') ? /deeper than 32 levels/ : /"__proto__"/, name);
    assert.ok(error.messages.vi.length > 0, name);
  }
  assert.equal(api.calls.length, 0);
  // A string that merely looks nested is not nesting.
  const fine = await post('records.put', `{${record}"notes":"${'['.repeat(40)}"}}`);
  assert.equal(fine.status, 200);
});

test('a body over 1 MB is refused 413', async (t) => {
  const { api, post } = await start(t);
  api.answers['records.put'] = () => ({ ok: true, value: { id: '00000000-0000-4000-8000-000000000000', state: 'waiting' } });
  const big = JSON.stringify({ dataset: 'civil-status-births', data: { notes: 'a'.repeat(1024 * 1024 + 10) } });
  const res = await post('records.put', big);
  assert.equal(res.status, 413);
  assert.equal(JSON.parse(res.body).error.code, 'invalid_input');
  assert.equal(api.calls.length, 0);
});

test('records.import takes a spreadsheet larger than 1 MB in one call; past 32 MiB it is refused 413', async (t) => {
  const { api, post } = await start(t);
  const imported = { dryRun: false, rows: 0, imported: 0, alreadyPresent: 0, refused: 0, refusals: [], present: [], refusedCsv: null };
  api.answers['records.import'] = () => ({ ok: true, value: imported });
  const csv = `Họ và tên\r\n${'Nguyễn Thị Hương\r\n'.repeat(100_000)}`;
  const res = await post('records.import', { dataset: 'civil-status-births', csv });
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(JSON.parse(res.body), { ok: true, value: imported });
  const tooBig = await post('records.import', { dataset: 'civil-status-births', csv: 'a'.repeat(33 * 1024 * 1024) });
  assert.equal(tooBig.status, 413);
  assert.equal(api.calls.length, 1);
});

test('a streamed body that grows past 1 MB without declaring its length is refused 413', async (t) => {
  const { api, auth, server } = await start(t);
  const res = await rawRequest({
    port: server.port,
    path: '/api/commands/records.put',
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    chunks: [Buffer.alloc(700 * 1024, 0x20), Buffer.alloc(700 * 1024, 0x20)],
  });
  assert.equal(res.status, 413);
  assert.equal(api.calls.length, 0);
});

test("a valid command returns the engine's value with the contract's defaults applied", async (t) => {
  const { api, post } = await start(t);
  api.answers['records.list'] = () => ({ ok: true, value: { items: [], total: 7 } });
  const res = await post('records.list', { dataset: 'admin-units', search: 'dang' });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { ok: true, value: { items: [], total: 7 } });
  assert.deepEqual(api.calls, [{ command: 'records.list', input: { dataset: 'admin-units', search: 'dang', offset: 0, limit: 100 } }]);
  assert.equal(res.headers['cache-control'], 'no-store');
});

test("an engine's refusal is answered as data, and an engine exception never shows its text", async (t) => {
  const { api, post } = await start(t);
  api.answers['sync.now'] = () => ({ ok: false, error: { code: 'busy', messages: { vi: 'Đang đồng bộ', en: 'Already syncing' } } });
  const busy = await post('sync.now', {});
  assert.equal(busy.status, 200);
  assert.equal(JSON.parse(busy.body).error.code, 'busy');

  api.answers['audit.verify'] = () => {
    throw new Error('SQLITE_CORRUPT at /home/secret/agent.db');
  };
  const thrown = await post('audit.verify', {});
  assert.equal(JSON.parse(thrown.body).error.code, 'internal');
  assert.doesNotMatch(thrown.body, /SQLITE|secret/);
});

test('the event stream delivers an emitted event and lets go of its subscriptions on disconnect', async (t) => {
  const { api, auth, server } = await start(t);
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/events`, { headers: auth, signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.ok(api.listenerCount('conflicts.changed') === 1);

  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  api.emit('conflicts.changed', { open: 3, added: ['c-1', 'c-2'] });
  let text = '';
  while (!/event: conflicts\.changed\ndata: .*\n\n/.test(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  const block = /event: conflicts\.changed\ndata: (.*)\n\n/.exec(text);
  assert.ok(block, text);
  assert.deepEqual(JSON.parse(block[1]!), { open: 3, added: ['c-1', 'c-2'] });

  controller.abort();
  await reader.cancel().catch(() => {});
  while (api.listenerCount() > 0) await new Promise((r) => setTimeout(r, 5));
  assert.equal(api.listenerCount(), 0);
});

test('the event stream sends heartbeat comments', async (t) => {
  const { auth, server } = await start(t, { heartbeatMs: 10 });
  const controller = new AbortController();
  t.after(() => controller.abort());
  const res = await fetch(`${server.url}/api/events`, { headers: auth, signal: controller.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes(': heartbeat\n\n')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  assert.match(text, /: heartbeat\n\n/);
  await reader.cancel().catch(() => {});
});

test("the console's files are served with their content type and the renderer's CSP", async (t) => {
  const { dist } = consoleFolder(t);
  const { server } = await start(t, { staticDir: dist });
  const index = await rawRequest({ port: server.port, path: '/' });
  assert.equal(index.status, 200);
  assert.match(index.headers['content-type'] as string, /^text\/html/);
  assert.equal(index.headers['content-security-policy'], CONSOLE_CSP);
  assert.equal(
    CONSOLE_CSP,
    "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  );
  assert.equal(index.headers['x-content-type-options'], 'nosniff');
  assert.equal(index.headers['referrer-policy'], 'no-referrer');

  const script = await rawRequest({ port: server.port, path: '/assets/app.js' });
  assert.match(script.headers['content-type'] as string, /^text\/javascript/);
  assert.equal(script.body, 'console.log(1)');
  assert.equal(script.headers['content-security-policy'], CONSOLE_CSP);
  const style = await rawRequest({ port: server.port, path: '/assets/app.css?v=1' });
  assert.match(style.headers['content-type'] as string, /^text\/css/);
});

test('a route without a file gets index.html, a missing asset gets 404', async (t) => {
  const { dist } = consoleFolder(t);
  const { server } = await start(t, { staticDir: dist });
  const route = await rawRequest({ port: server.port, path: '/conflicts' });
  assert.equal(route.status, 200);
  assert.match(route.body, /<title>console<\/title>/);
  const missing = await rawRequest({ port: server.port, path: '/assets/missing.js' });
  assert.equal(missing.status, 404);
  assert.doesNotMatch(missing.headers['content-type'] as string, /html/);
});

test('a path that climbs out of the console folder is refused, however it is spelled', async (t) => {
  const { base, dist } = consoleFolder(t);
  symlinkSync(join(base, 'secret.txt'), join(dist, 'assets', 'link.txt'));
  const { server } = await start(t, { staticDir: dist });
  for (const path of ['/../secret.txt', '/assets/../../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt', '/..%5csecret.txt', '/assets/link.txt', '/.env', '/%00index.html']) {
    const res = await rawRequest({ port: server.port, path });
    assert.ok(res.status === 403 || res.status === 400, `${path} answered ${res.status}`);
    assert.doesNotMatch(res.body, /the data folder/, path);
  }
});

test('without a built console, other GETs answer 404 and the API still works', async (t) => {
  const { server } = await start(t);
  const res = await rawRequest({ port: server.port, path: '/' });
  assert.equal(res.status, 404);
  assert.equal((await rawRequest({ port: server.port, path: '/api/health' })).status, 200);
});

test('the static path check itself refuses any .. segment, backslash, NUL or dotfile', () => {
  for (const path of ['/../x', '/a/../../x', '/..%2fx', '/%2e%2e/x', '/a/%2E%2E', '/..%5cx', '/a%00b', '/.git/config', '/%E0%A4%A']) {
    assert.equal(safeRelativePath(path), null, path);
  }
  assert.equal(safeRelativePath('/'), '');
  assert.equal(safeRelativePath('/assets//app.js'), 'assets/app.js');
  assert.equal(safeRelativePath('/./assets/t%C3%AAn.js'), 'assets/tên.js');
});

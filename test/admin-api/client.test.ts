import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdminApiClient, newAdminToken, readAdminToken, saveAdminToken, startAdminApi } from '../../sync-engine/src/admin-api/index.js';
import type { EventPayload } from '../../sync-engine/src/api/index.js';
import { createFakeAgentApi, sampleStatus } from './fake-agent-api.js';

const TOKEN = 'client-token-0123456789abcdefghijklmnopqrstuvwxyz';

async function serve(t: TestContext) {
  const api = createFakeAgentApi();
  const server = await startAdminApi({ api, port: 0, token: TOKEN });
  t.after(() => server.close());
  return { api, server };
}

async function until(condition: () => boolean) {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

test('the Node client round-trips a command with its parsed value', async (t) => {
  const { api, server } = await serve(t);
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  const client = createAdminApiClient({ baseUrl: server.url, token: TOKEN });
  const result = await client.call('status.get', {});
  assert.deepEqual(result, { ok: true, value: sampleStatus });
  assert.deepEqual(api.calls, [{ command: 'status.get', input: {} }]);
});

test("the Node client hands back the door's refusal as an ApiError", async (t) => {
  const { server } = await serve(t);
  const client = createAdminApiClient({ baseUrl: server.url, token: TOKEN });
  const invalid = await client.call('records.put', { dataset: 'civil-status-births', data: 'x' as never });
  assert.equal(invalid.ok ? 'ok' : invalid.error.code, 'invalid_input');
  // A client with another token cannot tell this service from a stranger on its
  // port (neither proves it knows the client's token), so it sends nothing.
  const wrongToken = createAdminApiClient({ baseUrl: server.url, token: 'not-the-token' });
  const refused = await wrongToken.call('status.get', {});
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'unreachable');
});

test('the Node client reports an unreachable service as data, not an exception', async (t) => {
  const { server } = await serve(t);
  const url = server.url;
  await server.close();
  const client = createAdminApiClient({ baseUrl: url, token: TOKEN });
  const result = await client.call('status.get', {});
  assert.equal(result.ok ? 'ok' : result.error.code, 'unreachable');
});

test('an answer that does not match the contract is refused by the client', async (t) => {
  const { api, server } = await serve(t);
  api.answers['audit.verify'] = () => ({ ok: true, value: { ok: 'yes' } });
  const client = createAdminApiClient({ baseUrl: server.url, token: TOKEN });
  const result = await client.call('audit.verify', {});
  assert.equal(result.ok ? 'ok' : result.error.code, 'internal');
});

test('the Node client delivers an emitted event, and closes the stream after the last unsubscribe', async (t) => {
  const { api, server } = await serve(t);
  const client = createAdminApiClient({ baseUrl: server.url, token: TOKEN, reconnectDelayMs: 10 });
  t.after(() => client.close());
  const received: EventPayload<'conflicts.changed'>[] = [];
  const statuses: unknown[] = [];
  const off = client.on('conflicts.changed', (p) => received.push(p));
  const offStatus = client.on('status.changed', (p) => statuses.push(p));
  await until(() => api.listenerCount('conflicts.changed') === 1);

  api.emit('conflicts.changed', { open: 2, added: ['c-9'] });
  api.emit('status.changed', sampleStatus);
  await until(() => received.length === 1 && statuses.length === 1);
  assert.deepEqual(received, [{ open: 2, added: ['c-9'] }]);
  assert.deepEqual(statuses, [sampleStatus]);

  off();
  assert.ok(api.listenerCount() > 0, 'one listener left keeps the stream open');
  offStatus();
  await until(() => api.listenerCount() === 0);
});

test('the Node client reopens a dropped event stream', async (t) => {
  const api = createFakeAgentApi();
  let server = await startAdminApi({ api, port: 0, token: TOKEN });
  const port = server.port;
  t.after(() => server.close());
  const client = createAdminApiClient({ baseUrl: server.url, token: TOKEN, reconnectDelayMs: 20 });
  t.after(() => client.close());
  const received: number[] = [];
  client.on('conflicts.changed', (p) => received.push(p.open));
  await until(() => api.listenerCount() > 0);

  await server.close();
  server = await startAdminApi({ api, port, token: TOKEN });
  await until(() => api.listenerCount('conflicts.changed') === 1);
  api.emit('conflicts.changed', { open: 5, added: [] });
  await until(() => received.length === 1);
  assert.deepEqual(received, [5]);
});

/** A data folder holding the service's token file, and a service on it that `restart` starts again with a new token, as `edge-agent run` does. */
async function restartable(t: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'client-restart-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const api = createFakeAgentApi();
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  let token = newAdminToken();
  let server = await startAdminApi({ api, port: 0, token });
  saveAdminToken(dir, token);
  t.after(() => server.close());
  return {
    api,
    dir,
    url: server.url,
    token: () => token,
    async restart() {
      await server.close();
      token = newAdminToken();
      server = await startAdminApi({ api, port: server.port, token });
      saveAdminToken(dir, token);
    },
  };
}

test('a client holding the token of a service that restarted reads the token file again and carries on, commands and event stream', { timeout: 60_000 }, async (t) => {
  const service = await restartable(t);
  const old = service.token();
  const client = createAdminApiClient({ baseUrl: service.url, token: old, reconnectDelayMs: 20, rereadToken: () => readAdminToken(service.dir) });
  t.after(() => client.close());
  const received: number[] = [];
  client.on('conflicts.changed', (p) => received.push(p.open));
  await until(() => service.api.listenerCount('conflicts.changed') === 1);
  assert.equal((await client.call('status.get', {})).ok, true);

  await service.restart();
  assert.notEqual(service.token(), old);
  // The stream first, on its own: told until the reopened stream carries it (the old run's may not have let go of its listener yet).
  const tell = setInterval(() => service.api.emit('conflicts.changed', { open: 3, added: [] }), 20);
  try {
    // Not `until`: a client that never reopens the stream must fail at the test's timeout, not keep the file running.
    while (received.length === 0 && !t.signal.aborted) await new Promise((r) => setTimeout(r, 5));
  } finally {
    clearInterval(tell);
  }
  assert.equal(received[0], 3);
  assert.deepEqual(await client.call('status.get', {}), { ok: true, value: sampleStatus });

  // Without re-reading, the old token gets nothing from the new run.
  const stale = createAdminApiClient({ baseUrl: service.url, token: old });
  const refused = await stale.call('status.get', {});
  assert.equal(refused.ok ? 'ok' : refused.error.code, 'unreachable');
});

test('a command refused with 401 because the service restarted after the proof is sent once more with the token file\'s new token', async (t) => {
  const service = await restartable(t);
  const old = service.token();
  const sent: string[] = [];
  let restarted = false;
  // The restart falls between the proof and the command: only the 401 tells the client.
  const restarting: typeof fetch = async (input, init) => {
    if (String(input).includes('/api/commands/')) {
      if (!restarted) {
        restarted = true;
        await service.restart();
      }
      sent.push(new Headers(init?.headers).get('authorization') ?? '');
    }
    return fetch(input, init);
  };
  const client = createAdminApiClient({ baseUrl: service.url, token: old, fetch: restarting, rereadToken: () => readAdminToken(service.dir) });
  assert.deepEqual(await client.call('status.get', {}), { ok: true, value: sampleStatus });
  assert.deepEqual(sent, [`Bearer ${old}`, `Bearer ${service.token()}`]);
  assert.equal(service.api.calls.length, 1, 'the refused attempt never reached the agent');
});

test('a refused command reads the token file once and tries once more at most, and not at all when the token there did not change', async (t) => {
  const service = await restartable(t);
  let reads = 0;
  const refusing: typeof fetch = async (input, init) =>
    String(input).includes('/api/commands/') ? new Response(JSON.stringify({ ok: false, error: { code: 'unauthorized', messages: { vi: 'x', en: 'x' } } }), { status: 401 }) : fetch(input, init);

  // The file holds the same token: nothing to retry with.
  const same = createAdminApiClient({ baseUrl: service.url, token: service.token(), fetch: refusing, rereadToken: () => (reads++, readAdminToken(service.dir)) });
  const once = await same.call('status.get', {});
  assert.equal(once.ok ? 'ok' : once.error.code, 'unauthorized');
  assert.equal(reads, 1);

  // A file that changes at every read (a service restarting over and over): one more attempt, no loop.
  reads = 0;
  const changing = createAdminApiClient({ baseUrl: service.url, token: service.token(), fetch: refusing, rereadToken: () => (reads++, newAdminToken()) });
  const twice = await changing.call('status.get', {});
  assert.equal(twice.ok, false);
  assert.equal(reads, 1);
});

test('an answer slower than the door\'s limit sends its headers first and keeps the body alive, so the Node client waits for it (its fetch gives up on headers after 300 s)', async (t) => {
  const api = createFakeAgentApi();
  const server = await startAdminApi({ api, port: 0, token: TOKEN, slowAnswerMs: 40 });
  t.after(() => server.close());
  let finish!: () => void;
  api.answers['sync.now'] = () => new Promise((resolve) => (finish = () => resolve({ ok: true, value: { started: true, run: null } })));
  let headersArrived = false;
  const watched: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (String(input).endsWith('/api/commands/sync.now')) headersArrived = true;
    return res;
  };
  const client = createAdminApiClient({ baseUrl: server.url, token: TOKEN, fetch: watched });
  const answer = client.call('sync.now', {});
  const deadline = Date.now() + 10_000;
  while (!headersArrived && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(headersArrived, true, 'the headers came while the command was still running');
  // Several keep-alive spaces go out before the answer.
  await new Promise((r) => setTimeout(r, 150));
  finish();
  assert.deepEqual(await answer, { ok: true, value: { started: true, run: null } });
});

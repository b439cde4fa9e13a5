import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createAdminApiClient, startAdminApi } from '../../sync-engine/src/admin-api/index.js';
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

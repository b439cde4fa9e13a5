import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../main/src/channels.js';
import { registerIpc, trustAppFrames } from '../../main/src/ipc.js';
import { refusals } from '../../sync-engine/src/admin-api/responses.js';
import { jsonDepth, MAX_JSON_DEPTH } from '../../sync-engine/src/protocol/json-text.js';
import { createFakeAgentApi, sampleStatus } from '../admin-api/fake-agent-api.js';
import { FakeIpcMain, FakeSink } from './fake-electron.js';

const APP_URL = 'file:///opt/edge-agent/renderer/dist/index.html';
const FRAME = `${APP_URL}#/records`;
const RECORD_ID = '3f1c9d52-8e0b-4c1e-9a57-2b6f0c4d8e11';

function setup() {
  const api = createFakeAgentApi();
  const ipcMain = new FakeIpcMain();
  const sink = new FakeSink();
  const dispose = registerIpc(ipcMain, api, trustAppFrames(APP_URL), () => [sink]);
  return { api, ipcMain, sink, dispose };
}

test("a call from a frame that is not the app's page is refused before the engine sees it", async () => {
  const { api, ipcMain } = setup();
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  for (const frame of ['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', null]) {
    const result = (await ipcMain.invoke(CALL_CHANNEL, frame, 'status.get', {})) as { ok: boolean; error?: { code: string } };
    assert.equal(result.ok, false, String(frame));
    assert.equal(result.error?.code, 'unauthorized');
  }
  assert.equal(api.calls.length, 0);
});

test('an unknown command is refused', async () => {
  const { api, ipcMain } = setup();
  for (const command of ['records.drop', '__proto__', 'constructor', 42, null]) {
    const result = (await ipcMain.invoke(CALL_CHANNEL, FRAME, command, {})) as { ok: boolean; error?: { code: string } };
    assert.equal(result.error?.code, 'not_found', String(command));
  }
  assert.equal(api.calls.length, 0);
});

test('arguments of the wrong type are refused with the contract message, never passed on', async () => {
  const { api, ipcMain } = setup();
  api.answers['records.put'] = () => ({ ok: true, value: { id: RECORD_ID, state: 'waiting' } });
  const cases: unknown[][] = [
    ['records.put', { dataset: 'civil-status-births', data: 'x' }],
    ['records.put', { dataset: 'civil-status-births', data: {}, sql: 'DROP TABLE' }],
    ['records.get', { dataset: 'Civil Status', id: RECORD_ID }],
    ['records.list', 'civil-status-births'],
    ['records.put', { dataset: 'civil-status-births', data: {} }, 'one argument too many'],
  ];
  for (const args of cases) {
    const result = (await ipcMain.invoke(CALL_CHANNEL, FRAME, ...args)) as { ok: boolean; error?: { code: string; messages: { vi: string; en: string } } };
    assert.equal(result.error?.code, 'invalid_input', JSON.stringify(args));
    assert.ok(result.error?.messages.vi && result.error.messages.en);
  }
  assert.equal(api.calls.length, 0);
});

/** A records.put input whose record holds `notes`: arrays nested `levels` deep (the input itself is level 1, data level 2). */
function recordWithNotes(levels: number): Record<string, unknown> {
  let notes: unknown[] = [];
  for (let i = 1; i < levels; i += 1) notes = [notes];
  return { dataset: 'civil-status-births', data: { fullName: 'Lan', notes } };
}

test('an input nested deeper than 32 levels, or holding a "__proto__" key, is refused with the admin API\'s message before the engine', async () => {
  const { api, ipcMain } = setup();
  api.answers['records.put'] = () => ({ ok: true, value: { id: RECORD_ID, state: 'waiting' } });
  const cyclic: Record<string, unknown> = { fullName: 'Lan' };
  cyclic['self'] = cyclic;
  const inputs: Record<string, { input: unknown; error: unknown }> = {
    deep: { input: recordWithNotes(40), error: refusals.jsonTooDeep(MAX_JSON_DEPTH).error },
    // About as deep as a structured clone carries (its own serializer overflows a little deeper).
    veryDeep: { input: recordWithNotes(3_000), error: refusals.jsonTooDeep(MAX_JSON_DEPTH).error },
    // A structured clone keeps cycles: endless nesting.
    cycle: { input: { dataset: 'civil-status-births', data: cyclic }, error: refusals.jsonTooDeep(MAX_JSON_DEPTH).error },
    // JSON.parse in the renderer makes an own "__proto__" key, and a structured clone keeps it.
    proto: {
      input: JSON.parse('{"dataset":"civil-status-births","data":{"fullName":"Lan","__proto__":{"personalId":"001090000001"}}}'),
      error: refusals.protoKey().error,
    },
  };
  for (const [name, { input, error }] of Object.entries(inputs)) {
    const result = await ipcMain.invoke(CALL_CHANNEL, FRAME, 'records.put', structuredClone(input));
    assert.deepEqual(result, { ok: false, error }, name);
  }
  assert.equal(api.calls.length, 0);

  // The limit is the admin API's, counted the same way: 32 levels pass, 33 do not.
  for (const [levels, passes] of [[30, true], [31, false]] as const) {
    const input = recordWithNotes(levels);
    assert.equal(jsonDepth(JSON.stringify(input)) <= MAX_JSON_DEPTH, passes, `${levels} levels of notes`);
    const result = (await ipcMain.invoke(CALL_CHANNEL, FRAME, 'records.put', structuredClone(input))) as { ok: boolean };
    assert.equal(result.ok, passes, `${levels} levels of notes`);
  }
  // One object shared by many fields (a structured clone keeps the sharing) is walked once, and is no nesting of its own.
  let shared: Record<string, unknown> = { fullName: 'Lan' };
  for (let i = 0; i < 28; i += 1) shared = { a: shared, b: shared, c: shared };
  const wide = await ipcMain.invoke(CALL_CHANNEL, FRAME, 'records.put', structuredClone({ dataset: 'civil-status-births', data: shared }));
  assert.equal((wide as { ok: boolean }).ok, true);
  assert.equal(api.calls.length, 2);
});

test("a valid call reaches the engine with the contract's parsed input and returns its answer", async () => {
  const { api, ipcMain } = setup();
  api.answers['records.list'] = () => ({ ok: true, value: { items: [], total: 3 } });
  const result = await ipcMain.invoke(CALL_CHANNEL, FRAME, 'records.list', { dataset: 'business-households' });
  assert.deepEqual(result, { ok: true, value: { items: [], total: 3 } });
  assert.deepEqual(api.calls, [{ command: 'records.list', input: { dataset: 'business-households', offset: 0, limit: 100 } }]);
});

test('an engine exception answers internal, without its text', async () => {
  const { api, ipcMain } = setup();
  api.answers['audit.verify'] = () => {
    throw new Error('SQLITE_CORRUPT /home/agent/data.db');
  };
  const result = await ipcMain.invoke(CALL_CHANNEL, FRAME, 'audit.verify', {});
  assert.equal((result as { error: { code: string } }).error.code, 'internal');
  assert.doesNotMatch(JSON.stringify(result), /SQLITE|home/);
});

test('only the call channel is handled: anything else on the prefix is refused by Electron', async () => {
  const { ipcMain } = setup();
  assert.deepEqual([...ipcMain.handlers.keys()], [CALL_CHANNEL]);
  await assert.rejects(ipcMain.invoke('edge-agent:eval', FRAME, 'x'), /No handler/);
  await assert.rejects(ipcMain.invoke(EVENT_CHANNEL, FRAME, 'status.changed', {}), /No handler/);
});

test('engine events are forwarded to the window on the event channel, not to a destroyed one', () => {
  const { api, sink } = setup();
  api.emit('conflicts.changed', { open: 1, added: ['c-1'] });
  assert.deepEqual(sink.sent, [[EVENT_CHANNEL, 'conflicts.changed', { open: 1, added: ['c-1'] }]]);
  sink.destroyed = true;
  api.emit('status.changed', sampleStatus);
  assert.equal(sink.sent.length, 1);
});

test('disposing removes the handler and every event subscription', () => {
  const { api, ipcMain, dispose } = setup();
  assert.ok(api.listenerCount() > 0);
  dispose();
  assert.equal(ipcMain.handlers.size, 0);
  assert.equal(api.listenerCount(), 0);
});

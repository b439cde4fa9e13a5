import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../main/src/channels.js';
import { registerIpc, trustAppFrames } from '../../main/src/ipc.js';
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

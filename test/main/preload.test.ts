import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AgentApi } from '../../sync-engine/src/api/index.js';
import { CALL_CHANNEL, EVENT_CHANNEL, SAVE_FILE_CHANNEL } from '../../main/src/channels.js';
import { BRIDGE_KEY, createEdgeAgentBridge, exposeEdgeAgent } from '../../main/src/preload-bridge.js';
import { FakeContextBridge, FakeIpcRenderer } from './fake-electron.js';

// Compile-time: the bridge is an AgentApi (tsc -b fails otherwise), and a wrong shape is not.
const typed = createEdgeAgentBridge(new FakeIpcRenderer()) satisfies AgentApi;
// @ts-expect-error a call without the command's typed input is not an AgentApi
const _wrong = { call: (command: number) => Promise.resolve(command), on: typed.on } satisfies AgentApi;

test('the preload exposes window.edgeAgent with call, on and saveFile, and nothing else', () => {
  const bridge = new FakeContextBridge();
  exposeEdgeAgent(bridge, new FakeIpcRenderer());
  assert.deepEqual([...bridge.exposed.keys()], [BRIDGE_KEY]);
  assert.equal(BRIDGE_KEY, 'edgeAgent');
  const exposed = bridge.exposed.get('edgeAgent') as Record<string, unknown>;
  assert.deepEqual(Object.keys(exposed).sort(), ['call', 'on', 'saveFile']);
  assert.equal(typeof exposed.call, 'function');
  assert.equal(typeof exposed.on, 'function');
  assert.equal(typeof exposed.saveFile, 'function');
});

test('saveFile invokes the save-file channel with exactly (name, bytes) and returns main\'s answer', async () => {
  const ipc = new FakeIpcRenderer();
  ipc.answer = { saved: true, path: 'C:\\Users\\lan\\Downloads\\x.csv' };
  const api = createEdgeAgentBridge(ipc);
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61]);
  assert.deepEqual(await api.saveFile('x.csv', bytes), { saved: true, path: 'C:\\Users\\lan\\Downloads\\x.csv' });
  assert.equal(SAVE_FILE_CHANNEL, 'edge-agent:save-file');
  assert.deepEqual(ipc.invoked, [[SAVE_FILE_CHANNEL, 'x.csv', bytes]]);
  assert.equal(ipc.invoked[0]![2], bytes, 'the bytes themselves, not a copy or a string');
  await assert.rejects(api.saveFile(7 as never, bytes), TypeError);
  assert.equal(ipc.invoked.length, 1);
});

test('call invokes the one call channel with (command, input) and returns the answer', async () => {
  const ipc = new FakeIpcRenderer();
  ipc.answer = { ok: true, value: { retried: 2 } };
  const api = createEdgeAgentBridge(ipc);
  const result = await api.call('outbox.retry', {});
  assert.deepEqual(result, { ok: true, value: { retried: 2 } });
  assert.deepEqual(ipc.invoked, [[CALL_CHANNEL, 'outbox.retry', {}]]);
  await assert.rejects(api.call(7 as never, {} as never), TypeError);
});

test('on relays only its event, without the IPC event object, and unsubscribes', () => {
  const ipc = new FakeIpcRenderer();
  const api = createEdgeAgentBridge(ipc);
  const received: unknown[][] = [];
  const off = api.on('conflicts.changed', (...args: unknown[]) => received.push(args));
  const ipcEvent = { sender: 'the webContents a page must never see' };
  ipc.emitter.emit(EVENT_CHANNEL, ipcEvent, 'status.changed', { x: 1 });
  ipc.emitter.emit(EVENT_CHANNEL, ipcEvent, 'conflicts.changed', { open: 1, added: ['c'] });
  assert.deepEqual(received, [[{ open: 1, added: ['c'] }]]);
  off();
  assert.equal(ipc.emitter.listenerCount(EVENT_CHANNEL), 0);
  assert.throws(() => api.on('status.changed', 'not a function' as never), TypeError);
});

test('the preload sources import only electron, the channels and contract types', () => {
  const preload = readFileSync(new URL('../../main/src/preload.ts', import.meta.url), 'utf8');
  const bridge = readFileSync(new URL('../../main/src/preload-bridge.ts', import.meta.url), 'utf8');
  const runtimeImports = (source: string) =>
    [...source.matchAll(/^import\s+(?!type\b)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]);
  assert.deepEqual(runtimeImports(preload), ['electron', './preload-bridge.js']);
  assert.deepEqual(runtimeImports(bridge), ['./channels.js']);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchNewConflicts } from '../../main/src/notifications.js';
import { fixedLanguage } from '../../main/src/shell-language.js';
import type { Language } from '../../main/src/strings.js';
import { createFakeAgentApi } from '../admin-api/fake-agent-api.js';

function setup(options: { language?: Language; supported?: boolean } = {}) {
  const api = createFakeAgentApi();
  const shown: { title: string; body: string; click: () => void }[] = [];
  const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
  let now = 1_000_000;
  const clicked: string[] = [];
  const stop = watchNewConflicts({
    api,
    ports: {
      isSupported: () => options.supported ?? true,
      create: ({ title, body }) => {
        const entry = { title, body, click: () => {} };
        return {
          on: (_event, listener) => void (entry.click = listener),
          show: () => void shown.push(entry),
        };
      },
      now: () => now,
      setTimer: (run, ms) => {
        const timer = { run, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimer: (handle) => void ((handle as { cleared: boolean }).cleared = true),
    },
    language: fixedLanguage(options.language ?? 'vi'),
    onClick: () => void clicked.push('open'),
    throttleMs: 60_000,
  });
  return { api, shown, timers, clicked, stop, advance: (ms: number) => void (now += ms) };
}

test('a notification fires when sync reports added conflicts, in Vietnamese', () => {
  const { api, shown, clicked } = setup();
  api.emit('conflicts.changed', { open: 4, added: ['c-1', 'c-2'] });
  assert.equal(shown.length, 1);
  assert.equal(shown[0]!.title, 'Có xung đột mới cần giải quyết');
  assert.equal(shown[0]!.body, '2 xung đột mới khi đồng bộ; tổng cộng 4 xung đột đang chờ bạn quyết định.');
  shown[0]!.click();
  assert.deepEqual(clicked, ['open']);
});

test('the notification is in English when the staff chose English', () => {
  const { api, shown } = setup({ language: 'en' });
  api.emit('conflicts.changed', { open: 1, added: ['c-1'] });
  assert.equal(shown[0]!.title, 'New conflicts need a decision');
  assert.equal(shown[0]!.body, '1 new conflict from sync; 1 in all wait for your decision.');
});

test('a change without added conflicts (one resolved) raises nothing', () => {
  const { api, shown, timers } = setup();
  api.emit('conflicts.changed', { open: 3, added: [] });
  assert.equal(shown.length, 0);
  assert.equal(timers.length, 0);
});

test('conflicts inside the throttle window are announced together once it ends', () => {
  const { api, shown, timers, advance } = setup({ language: 'en' });
  api.emit('conflicts.changed', { open: 1, added: ['c-1'] });
  advance(10_000);
  api.emit('conflicts.changed', { open: 3, added: ['c-2', 'c-3'] });
  api.emit('conflicts.changed', { open: 4, added: ['c-3', 'c-4'] });
  assert.equal(shown.length, 1);
  assert.equal(timers.length, 1);
  assert.equal(timers[0]!.ms, 50_000);
  advance(50_000);
  timers[0]!.run();
  assert.equal(shown.length, 2);
  assert.equal(shown[1]!.body, '3 new conflicts from sync; 4 in all wait for your decision.');
  advance(60_000);
  api.emit('conflicts.changed', { open: 5, added: ['c-5'] });
  assert.equal(shown.length, 3);
});

test('where the OS has no notifications nothing is shown and nothing piles up', () => {
  const { api, shown } = setup({ supported: false });
  api.emit('conflicts.changed', { open: 1, added: ['c-1'] });
  assert.equal(shown.length, 0);
});

test('stopping unsubscribes and cancels a pending announcement', () => {
  const { api, shown, timers, stop, advance } = setup();
  api.emit('conflicts.changed', { open: 1, added: ['c-1'] });
  advance(1_000);
  api.emit('conflicts.changed', { open: 2, added: ['c-2'] });
  stop();
  assert.equal(timers[0]!.cleared, true);
  assert.equal(api.listenerCount(), 0);
  assert.equal(shown.length, 1);
});

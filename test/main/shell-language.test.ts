import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Settings } from '../../sync-engine/src/api/index.js';
import { watchNewConflicts } from '../../main/src/notifications.js';
import { followAgentLanguage } from '../../main/src/shell-language.js';
import { createHealthTray, type TrayMenuItem } from '../../main/src/tray.js';
import { createFakeAgentApi, sampleStatus } from '../admin-api/fake-agent-api.js';

const settings: Settings = {
  platformUrl: 'https://ndxp.example.gov.vn',
  siteCode: 'HN-01',
  schedule: '*/15 * * * *',
  proxy: null,
  language: 'vi',
  adminPort: 7420,
};

/** The shell as app.ts wires it: one followed language shared by tray and notifications. */
async function shell(startLanguage: Settings['language']) {
  const api = createFakeAgentApi();
  api.answers['settings.get'] = () => ({ ok: true, value: { ...settings, language: startLanguage } });
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  const language = followAgentLanguage(api);
  await language.ready;
  const log = { tooltips: [] as string[], menus: [] as TrayMenuItem[][] };
  const tray = createHealthTray<null, TrayMenuItem[]>({
    ports: {
      newTray: () => ({
        setImage: () => undefined,
        setToolTip: (text) => void log.tooltips.push(text),
        setContextMenu: (menu) => void log.menus.push(menu),
        on: () => undefined,
        destroy: () => undefined,
      }),
      imageFromPng: () => null,
      buildMenu: (template) => template,
    },
    api,
    language,
    onOpen: () => undefined,
    onQuit: () => undefined,
  });
  await tray.ready;
  const shown: { title: string; body: string }[] = [];
  const stop = watchNewConflicts({
    api,
    ports: {
      isSupported: () => true,
      create: (options) => ({ show: () => void shown.push(options), on: () => undefined }),
      now: () => 0,
      setTimer: () => null,
      clearTimer: () => undefined,
    },
    language,
    onClick: () => undefined,
    throttleMs: 0,
  });
  const labels = () => log.menus.at(-1)!.filter((i) => i.type !== 'separator').map((i) => i.label);
  return { api, language, tray, log, shown, labels, stop };
}

test('the shell starts in the language the agent remembers', async () => {
  const en = await shell('en');
  assert.equal(en.language.current(), 'en');
  assert.deepEqual(en.labels(), ['● Online', 'Open window', 'Sync now', 'Quit']);
  const vi = await shell('vi');
  assert.deepEqual(vi.labels(), ['● Trực tuyến', 'Mở cửa sổ', 'Đồng bộ ngay', 'Thoát']);
});

test('switching the language at runtime re-labels the tray at once and the next notification speaks it', async () => {
  const { api, log, shown, labels } = await shell('vi');
  api.emit('conflicts.changed', { open: 1, added: ['c-1'] });
  assert.equal(shown.at(-1)!.title, 'Có xung đột mới cần giải quyết');

  // What the agent announces after the window's switch calls settings.update.
  api.emit('settings.changed', { ...settings, language: 'en' });
  assert.deepEqual(labels(), ['● Online', 'Open window', 'Sync now', 'Quit']);
  assert.equal(log.tooltips.at(-1), 'NDXP edge agent — Online: Connection is good');
  api.emit('conflicts.changed', { open: 2, added: ['c-2'] });
  assert.equal(shown.at(-1)!.title, 'New conflicts need a decision');
  assert.equal(shown.at(-1)!.body, '1 new conflict from sync; 2 in all wait for your decision.');

  api.emit('settings.changed', { ...settings, language: 'vi' });
  assert.deepEqual(labels(), ['● Trực tuyến', 'Mở cửa sổ', 'Đồng bộ ngay', 'Thoát']);
  assert.equal(log.tooltips.at(-1), 'Tác tử đồng bộ NDXP — Trực tuyến: Kết nối tốt');
});

test('a change of another setting does not rebuild the tray; a change heard before the first answer wins', async () => {
  const { api, log } = await shell('vi');
  const menus = log.menus.length;
  api.emit('settings.changed', { ...settings, schedule: '0 * * * *' });
  assert.equal(log.menus.length, menus);

  const late = createFakeAgentApi();
  let answer: (value: unknown) => void = () => undefined;
  late.answers['settings.get'] = () => new Promise((resolve) => (answer = resolve)) as never;
  const language = followAgentLanguage(late);
  late.emit('settings.changed', { ...settings, language: 'en' });
  answer({ ok: true, value: { ...settings, language: 'vi' } });
  await language.ready;
  assert.equal(language.current(), 'en');
});

test('disposing stops following; without an answer the shell speaks Vietnamese', async () => {
  const { api, language, tray, labels } = await shell('vi');
  tray.dispose();
  language.dispose();
  assert.equal(api.listenerCount('settings.changed'), 0);
  api.emit('settings.changed', { ...settings, language: 'en' });
  assert.equal(language.current(), 'vi');
  assert.equal(labels()[1], 'Mở cửa sổ');

  const silent = followAgentLanguage(createFakeAgentApi());
  await silent.ready;
  assert.equal(silent.current(), 'vi');
});

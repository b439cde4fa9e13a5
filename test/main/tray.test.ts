import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, inflateSync } from 'node:zlib';
import type { HealthStateView } from '../../sync-engine/src/api/index.js';
import { createHealthTray, type TrayMenuItem } from '../../main/src/tray.js';
import { trayIconPng } from '../../main/src/tray-icon.js';
import { fixedLanguage } from '../../main/src/shell-language.js';
import type { Language } from '../../main/src/strings.js';
import { createFakeAgentApi, sampleStatus } from '../admin-api/fake-agent-api.js';

/** Reads a PNG back (chunks, CRCs, pixels) so the test sees the colour a person would. */
function decodePng(png: Buffer) {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let at = 8;
  let width = 0;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc32(png.subarray(at + 4, at + 8 + length)), `CRC of ${type}`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      assert.equal(data[8], 8);
      assert.equal(data[9], 6);
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const pixel = (x: number, y: number) => {
    const i = y * (1 + width * 4) + 1 + x * 4;
    return [raw[i], raw[i + 1], raw[i + 2], raw[i + 3]];
  };
  return { width, pixel };
}

type FakeImage = { png1x: Buffer; png2x: Buffer };
function setup(language: Language = 'vi', withLogin = false) {
  const api = createFakeAgentApi();
  api.answers['status.get'] = () => ({ ok: true, value: sampleStatus });
  api.answers['sync.now'] = () => ({ ok: true, value: { started: true, run: null } });
  const log = { images: [] as FakeImage[], tooltips: [] as string[], menus: [] as TrayMenuItem[][], destroyed: false, clicks: [] as (() => void)[] };
  const opened: string[] = [];
  let loginEnabled = false;
  const tray = createHealthTray<FakeImage, TrayMenuItem[]>({
    ports: {
      newTray: (image) => {
        log.images.push(image);
        return {
          setImage: (i) => void log.images.push(i),
          setToolTip: (text) => void log.tooltips.push(text),
          setContextMenu: (menu) => void log.menus.push(menu),
          on: (_event, listener) => void log.clicks.push(listener),
          destroy: () => void (log.destroyed = true),
        };
      },
      imageFromPng: (png1x, png2x) => ({ png1x, png2x }),
      buildMenu: (template) => template,
    },
    api,
    language: fixedLanguage(language),
    onOpen: () => void opened.push('open'),
    onQuit: () => void opened.push('quit'),
    ...(withLogin ? { startAtLogin: { get: () => loginEnabled, set: (v: boolean) => void (loginEnabled = v) } } : {}),
  });
  return { api, tray, log, opened, login: () => loginEnabled };
}

/** As the window shows them: sync stopped is red, slow is amber. */
const expected: Record<HealthStateView, string> = {
  online: 'green',
  degraded: 'amber',
  offline: 'red',
  unauthorized: 'red',
  clock_skew: 'red',
  unchecked: 'grey',
};
function colourName([r, g, b]: (number | undefined)[]): string {
  if (r === undefined || g === undefined || b === undefined) return 'none';
  if (g > r * 1.5 && g > b * 1.5) return 'green';
  if (r > g && g > b * 3) return 'amber';
  if (r > g * 2.5 && r > b * 2.5) return 'red';
  if (Math.max(r, g, b) - Math.min(r, g, b) < 30) return 'grey';
  return `rgb(${r},${g},${b})`;
}

test("the tray icon's colour follows each health state", async () => {
  const { api, tray, log } = setup();
  await tray.ready;
  for (const state of ['online', 'degraded', 'offline', 'unauthorized', 'clock_skew', 'unchecked', 'online'] as HealthStateView[]) {
    api.emit('status.changed', { ...sampleStatus, health: { ...sampleStatus.health, state } });
    const image = log.images.at(-1)!;
    for (const [png, size] of [[image.png1x, 16], [image.png2x, 32]] as const) {
      const decoded = decodePng(png);
      assert.equal(decoded.width, size);
      assert.equal(colourName(decoded.pixel(size / 2, size / 2)), expected[state], `${state} at ${size}px`);
      assert.equal(decoded.pixel(size / 2, size / 2)[3], 255);
      assert.equal(decoded.pixel(0, 0)[3], 0, 'corners are transparent');
    }
    assert.equal(tray.state(), state);
  }
});

test('before any status arrives the tray shows grey "checking", as the window does', () => {
  const { log, tray } = setup();
  assert.equal(colourName(decodePng(log.images[0]!.png1x).pixel(8, 8)), 'grey');
  assert.equal(tray.state(), 'unknown');
  assert.equal(log.menus.at(-1)![0]!.label, '● Đang kiểm tra');
  assert.notDeepEqual(trayIconPng([46, 125, 50], 16), trayIconPng([198, 40, 40], 16));
});

test("the tooltip carries the state and the engine's reason in the staff language", async () => {
  const vi = setup('vi');
  await vi.tray.ready;
  vi.api.emit('status.changed', {
    ...sampleStatus,
    health: { state: 'offline', reason: { vi: 'Không phân giải được tên máy chủ', en: 'The platform host name does not resolve' }, code: 'dns', latencyMs: null, at: null },
  });
  assert.equal(vi.log.tooltips.at(-1), 'Tác tử đồng bộ NDXP — Mất kết nối: Không phân giải được tên máy chủ');
  const en = setup('en');
  await en.tray.ready;
  assert.equal(en.log.tooltips.at(-1), 'NDXP edge agent — Online: Connection is good');
  en.api.emit('status.changed', { ...sampleStatus, health: { ...sampleStatus.health, reason: { vi: 'x', en: 'y'.repeat(300) } } });
  assert.ok(en.log.tooltips.at(-1)!.length <= 127);
});

test('the menu opens the window, syncs now and quits, labelled in Vietnamese or English', async () => {
  const { api, tray, log, opened } = setup('vi');
  await tray.ready;
  const menu = log.menus.at(-1)!;
  const labels = menu.filter((i) => i.type !== 'separator').map((i) => i.label);
  assert.deepEqual(labels, ['● Trực tuyến', 'Mở cửa sổ', 'Đồng bộ ngay', 'Thoát']);
  menu.find((i) => i.label === 'Mở cửa sổ')!.click!();
  menu.find((i) => i.label === 'Đồng bộ ngay')!.click!();
  menu.find((i) => i.label === 'Thoát')!.click!();
  assert.deepEqual(opened, ['open', 'quit']);
  assert.deepEqual(api.calls.map((c) => c.command), ['status.get', 'sync.now']);
  log.clicks[0]!();
  assert.deepEqual(opened, ['open', 'quit', 'open']);

  const en = setup('en');
  await en.tray.ready;
  assert.deepEqual(en.log.menus.at(-1)!.filter((i) => i.type !== 'separator').map((i) => i.label), ['● Online', 'Open window', 'Sync now', 'Quit']);
});

test('"sync now" is greyed out while a sync runs, and start-at-login is a checkbox where supported', async () => {
  const { api, tray, log, login } = setup('en', true);
  await tray.ready;
  api.emit('status.changed', { ...sampleStatus, syncing: true });
  const menu = log.menus.at(-1)!;
  assert.equal(menu.find((i) => i.label === 'Sync now')!.enabled, false);
  const item = menu.find((i) => i.label === 'Start at login')!;
  assert.equal(item.type, 'checkbox');
  assert.equal(item.checked, false);
  item.click!();
  assert.equal(login(), true);
});

test('disposing stops following the status and removes the icon', async () => {
  const { api, tray, log } = setup();
  await tray.ready;
  tray.dispose();
  const count = log.images.length;
  api.emit('status.changed', { ...sampleStatus, health: { ...sampleStatus.health, state: 'offline' } });
  assert.equal(log.images.length, count);
  assert.equal(log.destroyed, true);
});

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAVE_FILE_CHANNEL } from '../../main/src/channels.js';
import { trustAppFrames } from '../../main/src/ipc.js';
import { MAX_SAVE_BYTES, registerSaveFile, type FileWrites, type SaveDialogOptions, type SaveFileAnswer } from '../../main/src/save-file.js';
import { FakeIpcMain } from './fake-electron.js';

const APP_URL = 'file:///opt/edge-agent/renderer/dist/index.html';
const FRAME = `${APP_URL}#/records`;
const NAME = 'civil-status-births-20261128T101500Z.csv';
const BYTES = new TextEncoder().encode('\uFEFFMã hồ sơ,Họ và tên\r\n1,Lan\r\n');

const root = mkdtempSync(join(tmpdir(), 'save-file-'));
after(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;

type Window = { id: string };
const WINDOW: Window = { id: 'the window' };

/** A Save dialog that answers `choose(defaultPath)` (null: Cancel), and remembers what it was shown. */
function setup(choose: (defaultPath: string) => string | null = (p) => p, fs?: FileWrites) {
  const downloads = join(root, `downloads-${(folders += 1)}`);
  mkdirSync(downloads);
  const ipcMain = new FakeIpcMain();
  const shown: { parent: Window | null; options: SaveDialogOptions }[] = [];
  const dispose = registerSaveFile<Window>(ipcMain, trustAppFrames(APP_URL), {
    showSaveDialog: async (parent, options) => {
      shown.push({ parent, options });
      const path = choose(options.defaultPath);
      return path === null ? { canceled: true } : { canceled: false, filePath: path };
    },
    parentWindow: () => WINDOW,
    downloadsDir: () => downloads,
    ...(fs ? { fs } : {}),
  });
  const save = (...args: unknown[]) => ipcMain.invoke(SAVE_FILE_CHANNEL, FRAME, ...args) as Promise<SaveFileAnswer>;
  return { ipcMain, shown, downloads, dispose, save };
}

test("the Save dialog over the window proposes the page's name in Downloads, as CSV; the bytes are written where the person chose", async () => {
  const { save, shown, downloads } = setup();
  const answer = await save(NAME, BYTES);
  assert.deepEqual(answer, { saved: true, path: join(downloads, NAME) });
  assert.deepEqual(shown, [
    {
      parent: WINDOW,
      options: {
        defaultPath: join(downloads, NAME),
        filters: [{ name: 'CSV', extensions: ['csv'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      },
    },
  ]);
  assert.deepEqual(readFileSync(join(downloads, NAME)), Buffer.from(BYTES));
  assert.deepEqual(readdirSync(downloads), [NAME], 'no temporary file left');
});

test('an Excel name gets the Excel filter; an ArrayBuffer is taken too; a file the person chose to replace is replaced', async () => {
  const { save, shown, downloads } = setup();
  writeFileSync(join(downloads, 'ho-so.xlsx'), 'the old file, longer than the new one');
  const answer = await save('ho-so.xlsx', new Uint8Array([0x50, 0x4b, 3, 4]).buffer);
  assert.deepEqual(answer, { saved: true, path: join(downloads, 'ho-so.xlsx') });
  assert.deepEqual(shown[0]!.options.filters, [{ name: 'Excel', extensions: ['xlsx'] }]);
  assert.deepEqual([...readFileSync(join(downloads, 'ho-so.xlsx'))], [0x50, 0x4b, 3, 4]);
  assert.deepEqual(readdirSync(downloads), ['ho-so.xlsx']);
});

test('a cancelled dialog writes nothing and answers { saved: false }, no error', async () => {
  const { save, downloads } = setup(() => null);
  assert.deepEqual(await save(NAME, BYTES), { saved: false });
  assert.deepEqual(readdirSync(downloads), []);
});

test('a name that is not a plain .csv or .xlsx file name is proposed as export.csv', async () => {
  const { save, shown, downloads } = setup(() => null);
  const bad = [
    '../../Windows/System32/evil.csv',
    'C:\\Users\\Public\\x.csv',
    '/etc/cron.d/x.csv',
    'a..csv',
    '..',
    'tab\there.csv',
    'nul\u0000.csv',
    'stream.csv:hidden',
    'run.exe',
    'no-extension',
    '.hidden.csv',
    'CON.csv',
    `${'x'.repeat(197)}.csv`,
    '',
    42,
    null,
    { name: NAME },
  ];
  for (const name of bad) await save(name, BYTES);
  assert.deepEqual(
    shown.map((s) => s.options.defaultPath),
    bad.map(() => join(downloads, 'export.csv')),
  );
  assert.ok(shown.every((s) => s.options.filters[0]!.name === 'CSV'));
  // 200 characters is still a name; FILE.refused.csv and Vietnamese letters are plain names.
  const fine = [`${'x'.repeat(196)}.csv`, 'so-dang-ky.refused.csv', 'Sổ đăng ký 2026.CSV'];
  for (const name of fine) await save(name, BYTES);
  assert.deepEqual(
    shown.slice(bad.length).map((s) => s.options.defaultPath),
    fine.map((name) => join(downloads, name)),
  );
});

test('a large register saves: the CSV of 100,000 birth registrations (79 MB, docs/cli.md) is written whole', async () => {
  const { save, downloads } = setup();
  const bytes = new Uint8Array(79_000_000).fill(0x41);
  const answer = await save(NAME, bytes);
  assert.deepEqual(answer, { saved: true, path: join(downloads, NAME) });
  assert.equal(readFileSync(join(downloads, NAME)).length, bytes.length);
});

test('content that is not bytes, or more than 256 MiB, is refused in vi/en before any dialog, saying how to make the file smaller', async () => {
  const { save, shown } = setup();
  for (const content of ['a,b\r\n', [1, 2, 3], { 0: 1, length: 1 }, null, undefined]) {
    const answer = await save(NAME, content);
    assert.equal(answer.saved, false);
    assert.ok('error' in answer && answer.error.code === 'invalid_input', JSON.stringify(content));
    assert.ok(answer.error.messages.vi && answer.error.messages.en);
  }
  const answer = await save(NAME, new Uint8Array(MAX_SAVE_BYTES + 1));
  assert.ok('error' in answer);
  assert.equal(answer.error.code, 'invalid_input');
  assert.match(answer.error.messages.vi, /^Tệp quá lớn để lưu: 256\.1 MiB, tối đa 256 MiB\. Hãy xuất ít bản ghi hơn \(lọc theo từ khóa hoặc trạng thái\) hoặc chọn “Xuất Excel”, tệp nhỏ hơn nhiều\.$/);
  assert.match(answer.error.messages.en, /^The file is too large to save: 256\.1 MiB, at most 256 MiB\. Export fewer records \(filter by search text or state\), or choose “Export Excel”, a much smaller file\.$/);
  assert.equal(shown.length, 0);
});

test("a request from a frame that is not the app's page, or with an argument too many, is refused before any dialog", async () => {
  const { ipcMain, save, shown } = setup();
  for (const frame of ['https://evil.example/', 'file:///tmp/evil.html', 'about:blank', null]) {
    const answer = (await ipcMain.invoke(SAVE_FILE_CHANNEL, frame, NAME, BYTES)) as SaveFileAnswer;
    assert.ok('error' in answer, String(frame));
    assert.equal(answer.error.code, 'unauthorized');
  }
  const extra = await save(NAME, BYTES, '/tmp/elsewhere.csv');
  assert.ok('error' in extra);
  assert.equal(extra.error.code, 'invalid_input');
  assert.equal(shown.length, 0);
});

test('a file that cannot be written says why in vi/en (permission, disk full, other), and leaves no temporary file', async () => {
  const cases: [string, RegExp, RegExp][] = [
    ['EACCES', /không có quyền ghi vào thư mục đó, hoặc tệp đang mở trong chương trình khác/, /no permission to write in that folder, or the file is open in another program/],
    ['EPERM', /không có quyền ghi/, /no permission to write/],
    ['ENOSPC', /ổ đĩa đã đầy/, /the disk is full/],
    ['EIO', /\(EIO\)\. Hãy chọn thư mục khác/, /\(EIO\)\. Choose another folder/],
  ];
  for (const [code, vi, en] of cases) {
    const removed: string[] = [];
    const fs: FileWrites = {
      writeFile: async (path) => {
        writeFileSync(path, 'part');
      },
      rename: async () => {
        throw Object.assign(new Error(`${code}: denied`), { code });
      },
      unlink: async (path) => {
        removed.push(path);
        rmSync(path);
      },
    };
    const { save, downloads } = setup((p) => p, fs);
    const answer = await save(NAME, BYTES);
    assert.ok('error' in answer, code);
    assert.equal(answer.error.code, 'internal');
    assert.match(answer.error.messages.vi, new RegExp(`^Không ghi được tệp vào ${escape(join(downloads, NAME))}`));
    assert.match(answer.error.messages.vi, vi);
    assert.match(answer.error.messages.en, new RegExp(`^Could not write the file to ${escape(join(downloads, NAME))}`));
    assert.match(answer.error.messages.en, en);
    assert.equal(removed.length, 1);
    assert.deepEqual(readdirSync(downloads), [], 'no temporary file left');
  }
});

test('a folder that does not exist (a real write failure) is said in words', async () => {
  const { save, downloads } = setup((p) => join(p, '..', 'gone', NAME));
  const answer = await save(NAME, BYTES);
  assert.ok('error' in answer);
  assert.match(answer.error.messages.en, new RegExp(`^Could not write the file to ${escape(join(downloads, 'gone', NAME))} \\(ENOENT\\)`));
});

test('the handler goes away with its disposer', () => {
  const { ipcMain, dispose } = setup();
  assert.ok(ipcMain.handlers.has(SAVE_FILE_CHANNEL));
  dispose();
  assert.equal(ipcMain.handlers.size, 0);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

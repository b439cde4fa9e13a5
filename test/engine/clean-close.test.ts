import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import sqlite3 from 'sqlite3';
import { AGENT_DB_FILE, openAgentStore, StoreCorruptedError, type OpenStoreOptions } from '../../sync-engine/src/store/agent-store.js';
import { cleanCloseNoteOf, FULL_CHECK_EVERY_MS } from '../../sync-engine/src/store/clean-close.js';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { damageFullTextIndex, damageStoreTable } from '../support/damage-store.js';

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const HOUR = 3600 * 1000;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'clean-close-'));
}

/** Opens and closes the store at `at`; what it knew of the file's last whole check. */
async function openAt(dir: string, at: number, options: OpenStoreOptions = {}): Promise<number | null> {
  const store = await openAgentStore(dir, { ...options, now: () => at });
  const checked = store.lastFullCheck;
  await store.close();
  return checked;
}

/** A write through a plain sqlite3 connection (another program), left open or closed. */
async function writeElsewhere(file: string, keepOpen: boolean): Promise<{ close(): Promise<void> }> {
  const db = new sqlite3.Database(file);
  const run = (sql: string) => new Promise<void>((resolve, reject) => db.run(sql, (error) => (error ? reject(error) : resolve())));
  await run('PRAGMA journal_mode = WAL');
  await run(`INSERT OR REPLACE INTO "settings" ("key", "value") VALUES ('elsewhere', hex(randomblob(8)))`);
  const close = () => new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));
  if (!keepOpen) await close();
  return { close: keepOpen ? close : async () => undefined };
}

test('a store closed cleanly after its whole check opens next time on the note, without reading the whole file again', async () => {
  const dir = tempDir();
  try {
    assert.equal(await openAt(dir, T0), T0, 'a new store is checked at open');
    assert.ok(existsSync(cleanCloseNoteOf(join(dir, AGENT_DB_FILE))), 'the close left its note');
    assert.equal(await openAt(dir, T0 + HOUR), T0, 'the next open took the note: the whole check is still the first one');
    assert.equal(await openAt(dir, T0 + 2 * HOUR, { integrityCheck: 'read-only' }), T0, "so does a 'read-only' open");
    assert.equal(await openAt(dir, T0 + 3 * HOUR, { trustCleanClose: false }), T0 + 3 * HOUR, 'trustCleanClose false (the doctor) checks whatever the note says');
    assert.equal(await openAt(dir, T0 + 4 * HOUR), T0 + 3 * HOUR, 'and its close vouches for that check');

    // Changes SQLite made through the store in a checked session keep the note good.
    const store = await openAgentStore(dir, { now: () => T0 + 5 * HOUR });
    await store.transaction((tx) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('here', '1')`));
    await store.close();
    assert.equal(await openAt(dir, T0 + 6 * HOUR), T0 + 3 * HOUR);

    // An open that does not check (a short command) and did not find a note vouching leaves none.
    rmSync(cleanCloseNoteOf(join(dir, AGENT_DB_FILE)));
    assert.equal(await openAt(dir, T0 + 7 * HOUR, { integrityCheck: false }), null);
    assert.equal(existsSync(cleanCloseNoteOf(join(dir, AGENT_DB_FILE))), false);
    // A 'read-only' open checked every page but not the full-text index: no note either, until checkFullTextIndex.
    assert.equal(await openAt(dir, T0 + 8 * HOUR, { integrityCheck: 'read-only' }), null);
    assert.equal(existsSync(cleanCloseNoteOf(join(dir, AGENT_DB_FILE))), false);
    const second = await openAgentStore(dir, { integrityCheck: 'read-only', now: () => T0 + 9 * HOUR });
    await second.checkFullTextIndex();
    assert.equal(second.lastFullCheck, T0 + 9 * HOUR);
    await second.close();
    assert.equal(await openAt(dir, T0 + 10 * HOUR), T0 + 9 * HOUR);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the note stops vouching when the file was written by another program, holds changes in its log, was copied, or was checked a week ago', async () => {
  const dir = tempDir();
  const file = join(dir, AGENT_DB_FILE);
  try {
    await openAt(dir, T0);

    await writeElsewhere(file, false);
    assert.equal(await openAt(dir, T0 + HOUR), T0 + HOUR, 'written by another program: checked again');

    const open = await writeElsewhere(file, true);
    try {
      assert.ok(statSync(`${file}-wal`).size > 0, 'the other connection left its change in the log');
      assert.equal(await openAt(dir, T0 + 2 * HOUR), T0 + 2 * HOUR, 'a log with changes: checked again');
    } finally {
      await open.close();
    }
    // The other connection closed last, after the store's close: its checkpoint changed the file after the note.
    assert.equal(await openAt(dir, T0 + 3 * HOUR), T0 + 3 * HOUR);

    const copy = join(tempDir(), 'copy');
    try {
      mkdirSync(copy);
      copyFileSync(file, join(copy, AGENT_DB_FILE));
      copyFileSync(cleanCloseNoteOf(file), cleanCloseNoteOf(join(copy, AGENT_DB_FILE)));
      const { atime, mtime } = statSync(file);
      utimesSync(join(copy, AGENT_DB_FILE), atime, mtime);
      assert.equal(await openAt(copy, T0 + 4 * HOUR), T0 + 4 * HOUR, 'a copy with the same times and the note beside it: checked');
    } finally {
      rmSync(join(copy, '..'), { recursive: true, force: true });
    }

    assert.equal(await openAt(dir, T0 + 3 * HOUR + FULL_CHECK_EVERY_MS - 1), T0 + 3 * HOUR, 'a check less than a week old is trusted');
    assert.equal(await openAt(dir, T0 + 3 * HOUR + FULL_CHECK_EVERY_MS), T0 + 3 * HOUR + FULL_CHECK_EVERY_MS, 'a week old: the whole file is checked again');
    assert.equal(await openAt(dir, T0), T0, 'a note from the future (the clock set back): checked');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('damage to the file after a clean close is found at the next open, even with the file times put back', async () => {
  const dir = tempDir();
  try {
    // damageStoreTable opens and closes the store (its close leaves a note), then scribbles on the page.
    const file = await damageStoreTable(dir, 'settings');
    assert.ok(existsSync(cleanCloseNoteOf(file)));
    const note = JSON.parse(readFileSync(cleanCloseNoteOf(file), 'utf8')) as { file: { mtimeNs: string } };
    // A tool that keeps times (or a disk's own damage) leaves the modification time as the note has it, to the nanosecond.
    const ns = BigInt(note.file.mtimeNs);
    execFileSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, file]);
    assert.equal(String(statSync(file, { bigint: true }).mtimeNs), note.file.mtimeNs);
    await assert.rejects(openAgentStore(dir), (error: unknown) => error instanceof StoreCorruptedError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store that met damage while open leaves no note, so the next open checks and refuses the file', async () => {
  const dir = tempDir();
  const file = join(dir, AGENT_DB_FILE);
  try {
    await openAt(dir, T0);
    const store = await openAgentStore(dir, { now: () => T0 + HOUR });
    assert.equal(store.lastFullCheck, T0, 'opened on the note');
    const pageSize = (await store.sql.get<{ page_size: number }>('PRAGMA page_size'))!.page_size;
    const root = (await store.sql.get<{ rootpage: number }>(`SELECT "rootpage" FROM "sqlite_master" WHERE "type" = 'table' AND "name" = 'settings'`))!.rootpage;
    // The disk fails under the running agent: the page changes behind SQLite's back.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (root - 1) * pageSize);
    closeSync(fd);
    await assert.rejects(store.sql.all('SELECT * FROM "settings"'), /SQLITE_CORRUPT|malformed/);
    await store.close();
    assert.equal(existsSync(cleanCloseNoteOf(file)), false, 'no note vouches for a file the store found damaged');
    await assert.rejects(openAgentStore(dir, { now: () => T0 + 2 * HOUR }), (error: unknown) => error instanceof StoreCorruptedError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a store another connection wrote to while it was open (a command beside the service) leaves no note at its close', async () => {
  const dir = tempDir();
  try {
    await openAt(dir, T0);
    const service = await openAgentStore(dir, { now: () => T0 + HOUR });
    assert.equal(service.lastFullCheck, T0);
    const command = await openAgentStore(dir, { integrityCheck: false, now: () => T0 + HOUR });
    await command.transaction((tx) => tx.run(`INSERT INTO "settings" ("key", "value") VALUES ('beside', '1')`));
    await command.close();
    await service.close();
    assert.equal(existsSync(cleanCloseNoteOf(join(dir, AGENT_DB_FILE))), false);
    assert.equal(await openAt(dir, T0 + 2 * HOUR), T0 + 2 * HOUR, 'the next open checks the whole file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the service's clean stop leaves the note and its next start opens on it; a start after the full-text index went bad in between still refuses", async () => {
  const dir = tempDir();
  try {
    const first = await createAgentService({ dataDir: dir, onError: () => undefined });
    await first.start({ background: true, syncAtStart: false });
    const checked = first.store.lastFullCheck;
    assert.ok(checked !== null, 'the service that takes the folder checks it whole');
    await first.close();
    assert.ok(existsSync(cleanCloseNoteOf(join(dir, AGENT_DB_FILE))), 'its stop left the note');

    const second = await createAgentService({ dataDir: dir, onError: () => undefined });
    await second.start({ background: true, syncAtStart: false });
    assert.equal(second.store.lastFullCheck, checked, 'the next start took the note');
    await second.close();

    await damageFullTextIndex(dir);
    await assert.rejects(createAgentService({ dataDir: dir, onError: () => undefined }), (error: unknown) => error instanceof StoreCorruptedError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

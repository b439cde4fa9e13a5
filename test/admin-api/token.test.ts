import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN_FILE, consoleAddress, consoleUrl, newAdminToken, readAdminToken, saveAdminToken } from '../../sync-engine/src/admin-api/index.js';

function dataDir(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'admin-token-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the admin token is 32 random bytes in base64url, written for its owner only', (t) => {
  const dir = dataDir(t);
  assert.equal(readAdminToken(dir), null);
  const token = newAdminToken();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(token, 'base64url').length, 32);
  saveAdminToken(dir, token);
  assert.equal(readFileSync(join(dir, ADMIN_TOKEN_FILE), 'utf8').trim(), token);
  assert.equal(readAdminToken(dir), token);
  if (process.platform !== 'win32') assert.equal(statSync(join(dir, ADMIN_TOKEN_FILE)).mode & 0o777, 0o600);
});

test("each start of the service puts a new token over the last one, whole, and leaves no temporary file", (t) => {
  const dir = dataDir(t);
  const first = newAdminToken(() => Buffer.alloc(32, 1));
  const second = newAdminToken(() => Buffer.alloc(32, 2));
  saveAdminToken(dir, first);
  saveAdminToken(dir, second);
  assert.notEqual(second, first);
  assert.equal(readAdminToken(dir), second, "the old run's token is gone from the folder");
  assert.deepEqual(readdirSync(dir), [ADMIN_TOKEN_FILE], 'no temporary file left');
  assert.throws(() => saveAdminToken(dir, 'short'), /not an admin token/);
  assert.equal(readAdminToken(dir), second);
});

test('a malformed token file is replaced with the new token in a 0600 file', (t) => {
  const dir = dataDir(t);
  const file = join(dir, ADMIN_TOKEN_FILE);
  writeFileSync(file, 'short', { mode: 0o644 });
  assert.equal(readAdminToken(dir), null, 'a client finds no token in it');
  const token = newAdminToken(() => Buffer.alloc(32, 7));
  saveAdminToken(dir, token);
  assert.equal(readFileSync(file, 'utf8').trim(), token);
  if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('a token file others could read: a client only narrows it; the next start replaces it with a 0600 file', { skip: process.platform === 'win32' }, (t) => {
  const dir = dataDir(t);
  const file = join(dir, ADMIN_TOKEN_FILE);
  const first = newAdminToken();
  saveAdminToken(dir, first);

  // A client (the CLI, the window) must not change a running service's token.
  chmodSync(file, 0o644);
  assert.equal(readAdminToken(dir), first);
  assert.equal(statSync(file).mode & 0o777, 0o600);

  // The service: whoever read the loose file holds the old token, worth nothing after the start.
  for (const mode of [0o644, 0o640, 0o604]) {
    chmodSync(file, mode);
    const next = newAdminToken();
    saveAdminToken(dir, next);
    assert.equal(readFileSync(file, 'utf8').trim(), next);
    assert.equal(statSync(file).mode & 0o777, 0o600, mode.toString(8));
  }
  assert.deepEqual(readdirSync(dir), [ADMIN_TOKEN_FILE], 'no temporary file left');
});

test('the console URL carries the token in the fragment, never in the path or query', () => {
  const url = new URL(consoleUrl(8765, 'abc_-DEF'));
  assert.equal(url.origin, 'http://127.0.0.1:8765');
  assert.equal(url.pathname, '/');
  assert.equal(url.search, '');
  assert.equal(url.hash, '#token=abc_-DEF');
  assert.equal(consoleAddress(8765), 'http://127.0.0.1:8765/', 'the address run prints: the same page, no token');
  assert.equal(new URL(consoleAddress(8765)).hash, '');
});

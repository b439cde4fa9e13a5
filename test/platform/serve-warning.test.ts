import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CliIo } from '../../national-platform/src/cli/context.js';
import { runCli } from '../../national-platform/src/cli/program.js';
import { openPlatformStore } from '../../national-platform/src/store/platform-store.js';

const dir = mkdtempSync(join(tmpdir(), 'platform-serve-'));
after(() => rmSync(dir, { recursive: true, force: true }));
// serve only serves a platform database that exists.
before(async () => (await openPlatformStore(join(dir, 'platform.sqlite'))).close());

/** `serve` in-process, stopped as soon as it listens; what it printed to stderr. */
async function serve(host: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), readStdin: async () => '', stopSignal: async () => 'SIGTERM' };
  const code = await runCli(['--db', join(dir, 'platform.sqlite'), '--lang', 'en', 'serve', '--port', '0', '--host', host, '--rate-limit', 'off'], io);
  return { code, out, err };
}

test('serving plain HTTP on a non-loopback address warns that agents will refuse it and a TLS gateway is expected', async () => {
  const wide = await serve('0.0.0.0');
  assert.equal(wide.code, 0, wide.err);
  assert.match(wide.err, /warning: serving plain HTTP on 0\.0\.0\.0, which is not a loopback address/);
  assert.match(wide.err, /Agents refuse an http:\/\/ platform address unless it is loopback/);
  assert.match(wide.err, /TLS gateway/);
  for (const host of ['127.0.0.1', 'localhost']) {
    const local = await serve(host);
    assert.equal(local.code, 0, local.err);
    assert.doesNotMatch(local.err, /warning/, host);
  }
});

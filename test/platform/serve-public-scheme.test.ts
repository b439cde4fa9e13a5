import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { CliIo } from '../../national-platform/src/cli/context.js';
import { runCli } from '../../national-platform/src/cli/program.js';
import { startPlatform } from '../../national-platform/src/index.js';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import { signRequest } from '../../sync-engine/src/protocol/signing.js';
import { getWithHost } from '../support/get-with-host.js';
import { enroll } from '../support/platform-client.js';

const dir = mkdtempSync(join(tmpdir(), 'platform-public-scheme-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `serve` in-process with `args`; `whileUp` runs once it listens, then it is stopped. */
async function serve(db: string, args: string[], whileUp: (url: string) => Promise<void> = async () => undefined) {
  let out = '';
  let err = '';
  let stop: (signal: string) => void = () => undefined;
  let listening: (url: string) => void = () => undefined;
  const up = new Promise<string>((resolve) => (listening = resolve));
  const io: CliIo = {
    out: (t) => {
      out += t;
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1]) listening(m[1]);
    },
    err: (t) => (err += t),
    readStdin: async () => '',
    stopSignal: () => new Promise((resolve) => (stop = resolve)),
  };
  const running = runCli(['--db', db, '--lang', 'en', 'serve', '--port', '0', '--rate-limit', 'off', ...args], io);
  const first = await Promise.race([up, running]);
  if (typeof first === 'string') {
    try {
      await whileUp(first);
    } finally {
      stop('SIGTERM');
    }
  }
  return { code: await running, out, err };
}

test('serve --public-scheme https checks signatures made for the gateway’s https:// address', async () => {
  const db = join(dir, 'gateway.sqlite');
  const setup = await startPlatform({ db, log: () => undefined });
  await setup.admin.addSite({ code: 'HN-01', name: 'UBND phường A', provinceCode: '01' });
  const token = await setup.admin.createToken({ site: 'HN-01' });
  await setup.close();
  const host = 'ndxp.example.gov.vn';
  const result = await serve(db, ['--public-scheme', 'https'], async (url) => {
    const { res, client } = await enroll(url, token, 'HN-01');
    assert.equal(res.status, 201);
    const call = async (scheme: string, extra: Record<string, string> = {}) => {
      const headers = await signRequest(
        { method: 'GET', url: `${scheme}://${host}/v1/datasets`, headers: {} },
        { keyId: client.agentId, privateKeyPem: client.keys.privateKeyPem },
      );
      return getWithHost(Number(new URL(url).port), '/v1/datasets', { ...headers, host, ...extra });
    };
    assert.equal((await call('https')).status, 200);
    assert.equal((await call('https', { 'x-forwarded-proto': 'http' })).status, 200);
    const plain = await call('http', { 'x-forwarded-proto': 'http' });
    assert.equal(plain.status, 401);
    assert.equal((JSON.parse(plain.body) as ErrorBody).error, 'bad_signature');
  });
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /signatures are checked against https:\/\/ URIs/);
});

test('serve --public-scheme takes http or https only, and --help explains it', async () => {
  const db = join(dir, 'refused.sqlite');
  const refused = await serve(db, ['--public-scheme', 'HTTPS']);
  assert.notEqual(refused.code, 0);
  assert.match(refused.err, /--public-scheme <scheme>' argument 'HTTPS' is invalid\. Allowed choices are http, https/);
  let help = '';
  const code = await runCli(['serve', '--help'], { out: (t) => (help += t), err: (t) => (help += t), readStdin: async () => '', stopSignal: async () => 'SIGTERM' });
  assert.equal(code, 0);
  assert.match(help.replace(/\s+/g, ' '), /--public-scheme <scheme> scheme of the address agents use .* behind a gateway that terminates TLS .* never taken from X-Forwarded-Proto/);
});

import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startPlatform } from '../../national-platform/src/index.js';
import { FileKeyStore } from '../../sync-engine/src/adapters/file-key-store.js';
import { ADMIN_TOKEN_FILE, newAdminToken, saveAdminToken } from '../../sync-engine/src/admin-api/token.js';
import { generateAgentKeyPair } from '../../sync-engine/src/protocol/signing.js';
import { AGENT_DB_FILE, openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { TestClock } from '../engine/support/engine-fixture.js';
import { FaultProxy } from '../reliability/support/fault-proxy.js';
import { mulberry32 as seeded } from '../../national-platform/src/seed/seeded-random.js';
import { proxiedAgent } from '../reliability/support/proxied-agent.js';

/**
 * A local user or a stolen disk: the agent's secrets are files only their
 * owner can read, whatever the umask, and the private key never crosses the
 * wire or lands in the database.
 */
const POSIX = process.platform !== 'win32';
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  dirs.push(dir);
  return dir;
};

/** Runs `fn` with a permissive umask, as a careless service manager might start the agent. */
async function withUmask<T>(mask: number, fn: () => Promise<T> | T): Promise<T> {
  const previous = process.umask(mask);
  try {
    return await fn();
  } finally {
    process.umask(previous);
  }
}

describe('the agent’s secrets at rest and on the wire', () => {
  test('the private key file is mode 0600 even under umask 000; the public key may be read', async () => {
    const dir = temp();
    await withUmask(0, () => new FileKeyStore(dir).save(generateAgentKeyPair()));
    if (POSIX) {
      assert.equal(statSync(join(dir, 'agent-key.pem')).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'agent-key.pem')).mode & 0o077, 0, 'no group or other access');
    }
    assert.match(readFileSync(join(dir, 'agent-key.pem'), 'utf8'), /PRIVATE KEY/);
  });

  test('a data folder the agent creates is its owner\'s only, under the usual umask 022: another local user cannot list it or read the database', async () => {
    const base = temp();
    const store = join(base, 'store', 'ndxp-edge-agent');
    const token = join(base, 'token', 'ndxp-edge-agent');
    const key = join(base, 'key', 'ndxp-edge-agent');
    await withUmask(0o022, async () => {
      await (await openAgentStore(store)).close();
      saveAdminToken(token, newAdminToken());
      await new FileKeyStore(key).save(generateAgentKeyPair());
    });
    if (POSIX) {
      for (const dir of [store, token, key]) assert.equal(statSync(dir).mode & 0o777, 0o700, dir);
      assert.ok(existsSync(join(store, AGENT_DB_FILE)));
    }
  });

  test('the admin token file is mode 0600 even under umask 000, and a loosened one is replaced when the service starts', async () => {
    const dir = temp();
    const token = newAdminToken();
    await withUmask(0, () => saveAdminToken(dir, token));
    const file = join(dir, ADMIN_TOKEN_FILE);
    if (POSIX) assert.equal(statSync(file).mode & 0o777, 0o600);
    if (POSIX) {
      chmodSync(file, 0o644);
      const fresh = newAdminToken();
      await withUmask(0, () => saveAdminToken(dir, fresh));
      assert.notEqual(fresh, token, 'whoever read the loose file holds a dead token');
      assert.equal(readFileSync(file, 'utf8').trim(), fresh);
      assert.equal(statSync(file).mode & 0o777, 0o600, 'tightened again');
    }
  });

  test('enrolment and a sync send the public key only: the private key never crosses the wire nor enters the database', async () => {
    const clock = new TestClock();
    const platform = await startPlatform({ db: join(temp(), 'p.sqlite'), rateLimit: false, now: () => new Date(clock.now()), log: () => undefined });
    await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
    const proxy = await new FaultProxy({ target: platform.url, random: seeded(1) }).start();
    const seen: string[] = [];
    proxy.onForward = (method, path, body) => seen.push(`${method} ${path}\n${body.toString('latin1')}`);
    const agent = await proxiedAgent(platform, 'HN-A', clock, proxy.url);
    try {
      assert.equal((await agent.sync()).status, 'ok');
      const pem = readFileSync(join(agent.dir, 'agent-key.pem'), 'utf8');
      const secret = pem.replace(/-----[^-]+-----|\s/g, '');
      assert.ok(seen.length > 3, 'the proxy saw the calls');
      for (const request of seen) {
        assert.ok(!request.includes('PRIVATE KEY'), `a request carried a private key: ${request.slice(0, 80)}`);
        assert.ok(!request.includes(secret), 'a request carried the private key bytes');
      }
      await agent.store.sql.run('PRAGMA wal_checkpoint(TRUNCATE)');
      const db = readFileSync(join(agent.dir, AGENT_DB_FILE)).toString('latin1');
      assert.ok(!db.includes('PRIVATE KEY') && !db.includes(secret), 'the database holds no private key');
    } finally {
      await agent.store.close();
      await proxy.close();
      await platform.close();
    }
  });
});

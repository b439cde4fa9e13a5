import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout } from 'node:timers/promises';
import type { ErrorBody } from '../../sync-engine/src/protocol/errors.js';
import { signRequest } from '../../sync-engine/src/protocol/signing.js';
import { openPlatformStore, startPlatform, type PlatformStore } from '../../national-platform/src/index.js';
import { NonceRegistry } from '../../national-platform/src/services/nonce-registry.js';
import { NonceEntity, type NonceRow } from '../../national-platform/src/store/entities/agent.js';
import { enroll } from '../support/platform-client.js';
import { describeOnEachStore, TestClock } from '../support/platform-harness.js';
import { getWithHost } from '../support/get-with-host.js';

const AGENT = '0190a6e2-0000-7000-8000-000000000001';
/** Long enough that only a test's own flush() or close() writes. */
const NEVER = 3_600_000;

async function storedNonces(store: PlatformStore): Promise<NonceRow[]> {
  return store.read((em) => em.getRepository(NonceEntity).find({ order: { nonce: 'ASC' } }));
}


describeOnEachStore('nonce registry', (env) => {
  async function withStore(work: (store: PlatformStore, db: string) => Promise<void>): Promise<void> {
    const db = await env.newDb();
    const store = await openPlatformStore(db);
    try {
      await work(store, db);
    } finally {
      await store.close();
    }
  }

  test('a replayed nonce is refused from memory before any write reaches the table', async () => {
    await withStore(async (store) => {
      const now = 1_800_000_000;
      const nonces = await NonceRegistry.open(store, { nowSeconds: () => now, flushDelayMs: NEVER });
      assert.equal(nonces.claim(AGENT, 'n-1', now + 301), true);
      assert.equal(nonces.claim(AGENT, 'n-1', now + 301), false);
      assert.equal(nonces.claim(AGENT, 'n-2', now + 301), true, 'another nonce of the same agent is new');
      assert.equal(nonces.claim('0190a6e2-0000-7000-8000-000000000002', 'n-1', now + 301), true, 'the same nonce of another agent is new');
      assert.deepEqual(await storedNonces(store), []);
      await nonces.close();
      assert.equal((await storedNonces(store)).length, 3);
    });
  });

  test('pending nonces are written when the registry closes, and a closed registry refuses to claim', async () => {
    await withStore(async (store) => {
      const now = 1_800_000_000;
      const nonces = await NonceRegistry.open(store, { nowSeconds: () => now, flushDelayMs: NEVER });
      for (const n of ['a', 'b', 'c']) nonces.claim(AGENT, n, now + 100);
      await nonces.close();
      assert.deepEqual(
        (await storedNonces(store)).map((r) => [r.agentId, r.nonce, r.expiresAt]),
        ['a', 'b', 'c'].map((n) => [AGENT, n, now + 100]),
      );
      assert.throws(() => nonces.claim(AGENT, 'd', now + 100), /stopping/);
    });
  });

  test('a full batch is written without waiting for the timer', async () => {
    await withStore(async (store) => {
      const now = 1_800_000_000;
      const nonces = await NonceRegistry.open(store, { nowSeconds: () => now, flushDelayMs: NEVER, flushAtCount: 5 });
      for (let i = 0; i < 4; i += 1) nonces.claim(AGENT, `n-${i}`, now + 100);
      assert.deepEqual(await storedNonces(store), []);
      nonces.claim(AGENT, 'n-4', now + 100);
      // The fifth claim starts the write by itself; wait for it without writing anything ourselves.
      let stored = await storedNonces(store);
      for (let i = 0; i < 250 && stored.length < 5; i += 1) {
        await setTimeout(20);
        stored = await storedNonces(store);
      }
      assert.equal(stored.length, 5);
      await nonces.close();
    });
  });

  test('a nonce stored by an earlier run is refused after a restart', async () => {
    await withStore(async (store) => {
      const now = 1_800_000_000;
      const first = await NonceRegistry.open(store, { nowSeconds: () => now, flushDelayMs: NEVER });
      first.claim(AGENT, 'seen-before', now + 301);
      await first.close();
      const second = await NonceRegistry.open(store, { nowSeconds: () => now + 10, flushDelayMs: NEVER });
      assert.equal(second.claim(AGENT, 'seen-before', now + 311), false);
      assert.equal(second.claim(AGENT, 'fresh', now + 311), true);
      await second.close();
    });
  });

  test('an expired nonce is forgotten in memory and swept from the table', async () => {
    await withStore(async (store) => {
      let now = 1_800_000_000;
      const nonces = await NonceRegistry.open(store, { nowSeconds: () => now, flushDelayMs: NEVER, sweepEverySeconds: 60 });
      nonces.claim(AGENT, 'short', now + 10);
      nonces.claim(AGENT, 'long', now + 1000);
      await nonces.flush();
      assert.equal((await storedNonces(store)).length, 2);
      now += 11;
      assert.equal(nonces.claim(AGENT, 'short', now + 10), true, 'past its expiry a nonce is new again (its signature fails the clock check anyway)');
      now += 100;
      nonces.claim(AGENT, 'later', now + 1000);
      assert.equal(nonces.size, 2, 'the sweep dropped the expired one from memory');
      await nonces.flush();
      assert.deepEqual((await storedNonces(store)).map((r) => r.nonce), ['later', 'long']);
      await nonces.close();
    });
  });
});

describeOnEachStore('replay across a restart', (env) => {
  test('a request replayed to a restarted platform is refused as replayed', async () => {
    const db = await env.newDb();
    const clock = new TestClock();
    const host = 'platform.example.gov.vn';
    let platform = await startPlatform({ db, now: clock.now, rateLimit: false });
    try {
      await platform.admin.addSite({ code: 'HN-01', name: 'Hà Nội', provinceCode: '01' });
      const token = await platform.admin.createToken({ site: 'HN-01' });
      const { client } = await enroll(platform.url, token, 'HN-01', 'agent', clock.seconds);
      const headers = await signRequest(
        { method: 'GET', url: `http://${host}/v1/datasets`, headers: {} },
        { keyId: client.agentId, privateKeyPem: client.keys.privateKeyPem, created: clock.seconds() },
      );
      assert.equal((await getWithHost(platform.port, '/v1/datasets', { ...headers, host })).status, 200);
      await platform.close();
      platform = await startPlatform({ db, now: clock.now, rateLimit: false });
      const replay = await getWithHost(platform.port, '/v1/datasets', { ...headers, host });
      assert.equal(replay.status, 401);
      assert.equal((JSON.parse(replay.body) as ErrorBody).error, 'replayed');
      const fresh = await signRequest(
        { method: 'GET', url: `http://${host}/v1/datasets`, headers: {} },
        { keyId: client.agentId, privateKeyPem: client.keys.privateKeyPem, created: clock.seconds() },
      );
      assert.equal((await getWithHost(platform.port, '/v1/datasets', { ...fresh, host })).status, 200);
    } finally {
      await platform.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { catalogResponseSchema, type PlatformLimits } from '../../sync-engine/src/protocol/catalog.js';
import type { Mutation } from '../../sync-engine/src/protocol/push.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import { AGENT_MAX_PUSH_BATCH, pushLimits } from '../../sync-engine/src/sync/push-limits.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

const DS = 'civil-status-births';
/** More than the protocol's 500 and the 600 a test advertises. */
const PENDING = 700;
let f: EngineFixture;

before(async () => {
  f = await openEngineFixture();
  for (let i = 0; i < PENDING; i += 1) await f.writes.put(DS, validBirth({ personalId: `001301${String(i).padStart(6, '0')}` }));
});
after(async () => f.close());

/**
 * One sync against a platform advertising `limits`; answers the size of the
 * first batch it sent (the largest it may send: the outbox holds more). The
 * push is lost (a network error), so the outbox is the same for the next
 * test: its entries stay in flight and go again.
 */
async function firstBatch(limits: PlatformLimits | undefined): Promise<number | undefined> {
  const platform = new ScriptedPlatform();
  platform.limits = limits;
  const sizes: number[] = [];
  platform.push = async (mutations) => {
    sizes.push(mutations.length);
    throw new PlatformError({ kind: 'network', message: 'socket hang up', cause: 'ECONNRESET' });
  };
  const summary = await new SyncRun({ ctx: f.ctx, client: platform }).run('manual');
  assert.equal(summary.status, 'failed');
  assert.equal(await f.count('outbox'), PENDING);
  return sizes[0];
}

test('a platform that advertises limits.pushBatch gets batches of that size, above the protocol 500', async () => {
  assert.equal(await firstBatch({ pushBatch: 600 }), 600);
});

test('a platform that advertises no limits gets batches of the protocol 500', async () => {
  assert.equal(await firstBatch(undefined), 500);
  assert.equal(await firstBatch({ bodyBytes: 4 * 1024 * 1024 }), 500);
});

test('an advertised batch below the protocol 500 is taken as 500', async () => {
  assert.equal(await firstBatch({ pushBatch: 100 }), 500);
});

test('advertised caps are held to the agent maximums, and an unreadable one is ignored without losing the catalog', () => {
  assert.equal(AGENT_MAX_PUSH_BATCH, 2000);
  assert.deepEqual(pushLimits({ pushBatch: 1_000_000_000, bodyBytes: 1_000_000_000 }), { batch: 2000, bodyBytes: 4 * 1024 * 1024 });
  assert.deepEqual(pushLimits({ pushBatch: 1, bodyBytes: 10 }), { batch: 500, bodyBytes: 128 * 1024 });
  assert.deepEqual(pushLimits(undefined), { batch: 500, bodyBytes: 4 * 1024 * 1024 });
  const mixed = catalogResponseSchema.parse({ datasets: [], limits: { pushBatch: 1200, pullLimit: 'many', bodyBytes: -1 } });
  assert.deepEqual(mixed.limits, { pushBatch: 1200, pullLimit: undefined, bodyBytes: undefined });
  assert.equal(catalogResponseSchema.parse({ datasets: [], limits: 'all of them' }).limits, undefined);
});

test('big records are batched within the advertised body size: no 413, every record sent once', async () => {
  const big = await openEngineFixture();
  try {
    // 2,000 characters of three UTF-8 bytes each: about 6.3 KB a record, 3 bytes for each character counted.
    for (let i = 0; i < 60; i += 1) await big.writes.put(DS, validBirth({ personalId: `001301${String(i).padStart(6, '0')}`, notes: 'ễ'.repeat(2000) }));
    const platform = new ScriptedPlatform();
    const bodyBytes = 128 * 1024;
    platform.limits = { pushBatch: 2000, bodyBytes };
    const inner = platform.push.bind(platform);
    const sizes: number[] = [];
    let refused = 0;
    platform.push = async (mutations: readonly Mutation[]) => {
      if (Buffer.byteLength(JSON.stringify({ mutations })) > bodyBytes) {
        refused += 1;
        throw new PlatformError({ kind: 'http', status: 413, code: 'payload_too_large', message: 'the body is over the cap' });
      }
      sizes.push(mutations.length);
      return inner(mutations);
    };
    const summary = await new SyncRun({ ctx: big.ctx, client: platform }).run('manual');
    assert.equal(summary.status, 'ok');
    assert.equal(refused, 0, 'no batch was over the body cap');
    assert.equal(summary.pushed, 60);
    assert.equal(await big.count('outbox'), 0);
    assert.ok(sizes.length <= 4, `a few full batches, not halved ones: ${sizes.join(', ')}`);
  } finally {
    await big.close();
  }
});

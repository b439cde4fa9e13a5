import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { Mutation, PushResponse } from '../../sync-engine/src/protocol/push.js';
import { PUSH_PIPELINE_DEPTH } from '../../sync-engine/src/sync/push-phase.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

const DS = 'civil-status-births';
let f: EngineFixture;
let platform: ScriptedPlatform;
beforeEach(async () => {
  f = await openEngineFixture();
  platform = new ScriptedPlatform();
});
afterEach(async () => f.close());

/** Writes `n` new births; returns their ids in order. */
async function births(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 1) ids.push((await f.writes.put(DS, validBirth({ personalId: `0013010000${String(i).padStart(2, '0')}` }))).record.id);
  return ids;
}

/**
 * Holds each push's answer until the next push arrives (or for a second, when
 * the phase has nothing more it may send), and records which batches were out
 * together. `onPush` runs first, with the call's number.
 */
function holdAnswers(scripted: ScriptedPlatform, onPush: (call: number) => Promise<void> = async () => undefined) {
  const inner = scripted.push.bind(scripted);
  const out = new Set<Mutation[]>();
  const together: Mutation[][][] = [];
  let arrived: (() => void) | null = null;
  let calls = 0;
  scripted.push = async (mutations: readonly Mutation[]): Promise<PushResponse> => {
    await onPush((calls += 1));
    const batch = [...mutations];
    out.add(batch);
    together.push([...out]);
    arrived?.();
    await new Promise<void>((resolve) => {
      arrived = resolve;
      setTimeout(resolve, 1000);
    });
    out.delete(batch);
    return inner(mutations);
  };
  return { together };
}

test('the next batch goes out before the answer to the one before it, and batches out together never share a record', async () => {
  const ids = await births(7);
  // A second edit of the first record, made while its first change is out: it waits behind it.
  const { together } = holdAnswers(platform, async (call) => {
    if (call === 1) await f.writes.put(DS, validBirth({ personalId: '001301000000', notes: 'sửa lần hai' }), { id: ids[0] });
  });

  const summary = await new SyncRun({ ctx: f.ctx, client: platform, options: { pushBatchSize: 2 } }).run('manual');

  assert.equal(summary.status, 'ok');
  assert.equal(summary.pushed, 8, 'seven creates and the second edit');
  const most = Math.max(...together.map((t) => t.length));
  assert.ok(most >= 2, 'the next batch went out while one was unanswered');
  assert.ok(most <= PUSH_PIPELINE_DEPTH, `never more than ${PUSH_PIPELINE_DEPTH} batches out`);
  for (const batches of together) {
    const records = batches.flat().map((m) => m.id);
    assert.equal(new Set(records).size, records.length, 'no record in two batches out at once');
  }
  const pushedFirst = platform.pushed.flat().filter((m) => m.id === ids[0]);
  assert.deepEqual(
    pushedFirst.map((m) => [m.baseRev, m.data?.['notes'] ?? null]),
    [
      [null, null],
      [1, 'sửa lần hai'],
    ],
    'the second edit went after the first was answered, rebased on its rev',
  );
  for (const id of ids) assert.equal((await f.reads.get(DS, id))?.state, 'synced');
  assert.equal(await f.count('outbox'), 0);
});

test('after a failed batch no new batch is sent; the batch already out is stored, the failed one stays in flight', async () => {
  const ids = await births(6);
  const inner = platform.push.bind(platform);
  let calls = 0;
  let releaseFirst: () => void = () => undefined;
  platform.push = async (mutations) => {
    calls += 1;
    if (calls === 1) {
      // The first batch's answer is lost, but only after the second batch went out.
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
        setTimeout(resolve, 2000); // a phase that sends one batch at a time fails below instead of hanging
      });
      throw new PlatformError({ kind: 'network', message: 'socket hang up', cause: 'ECONNRESET' });
    }
    const answer = await inner(mutations);
    releaseFirst();
    return answer;
  };

  const summary = await new SyncRun({ ctx: f.ctx, client: platform, options: { pushBatchSize: 2 } }).run('manual');

  assert.equal(summary.status, 'failed');
  assert.equal(summary.errors[0]?.phase, 'push');
  assert.equal(summary.errors[0]?.error.kind, 'network');
  assert.equal(calls, 2, 'nothing new was sent after the failure');
  assert.equal(summary.pushed, 2, 'the second batch was answered and stored');
  const states = await Promise.all(ids.map(async (id) => (await f.reads.get(DS, id))?.state));
  assert.deepEqual(states, ['waiting', 'waiting', 'synced', 'synced', 'waiting', 'waiting']);
  const entries = await f.outbox.list();
  assert.deepEqual(
    entries.map((e) => e.status),
    ['in_flight', 'in_flight', 'queued', 'queued'],
    'the lost batch goes again under the same ids; the rest was never sent',
  );
});

test('a batch refused at once stops the phase before the next batch goes: none of its mutations goes twice in the run', async () => {
  await births(6);
  const sent: string[] = [];
  platform.push = async (mutations) => {
    sent.push(...mutations.map((m) => m.mutationId));
    throw new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED', cause: 'ECONNREFUSED' });
  };

  const summary = await new SyncRun({ ctx: f.ctx, client: platform, options: { pushBatchSize: 2 } }).run('manual');

  assert.equal(summary.status, 'failed');
  assert.equal(summary.errors[0]?.phase, 'push');
  assert.equal(sent.length, 2, 'the batch read while the first failed was not sent');
  const entries = await f.outbox.list();
  assert.deepEqual(
    entries.filter((e) => e.status === 'in_flight').map((e) => e.mutationId),
    sent,
    'the refused batch goes again next time under the same ids',
  );
});

for (const [status, refusal] of [
  [413, 'a 413 for the whole batch'],
  [500, 'a 500 for the whole batch'],
] as const) {
  test(`${refusal} halves it and each half goes once: the bad record is sent at 8, 4, 2 and 1, not twice at each size; then batches grow back to full size`, async () => {
    const ids = await births(40);
    const bad = ids[1]!;
    const applyAll = platform.onPush;
    const sent: Mutation[][] = [];
    platform.onPush = (mutations) => {
      sent.push([...mutations]);
      if (mutations.some((m) => m.id === bad)) throw new PlatformError({ kind: 'http', status, code: 'refused', message: 'refused' });
      return applyAll(mutations);
    };

    const summary = await new SyncRun({ ctx: f.ctx, client: platform, options: { pushBatchSize: 8 } }).run('manual');

    assert.equal(summary.pushed, 39);
    const sizes = sent.map((b) => b.length);
    const withBad = sent.filter((b) => b.some((m) => m.id === bad));
    assert.deepEqual(
      withBad.map((b) => b.length),
      [8, 4, 2, 1],
      `each halving sent once (batches sent: ${sizes.join(', ')})`,
    );
    assert.equal(new Set(withBad.map((b) => b.find((m) => m.id === bad)?.mutationId)).size, 1, 'the same mutationId every time');
    const last = sent.indexOf(withBad.at(-1)!);
    assert.ok(sizes.slice(last + 1).includes(8), `batches grew back to 8 once the bad record was found (batches sent: ${sizes.join(', ')})`);
    for (const id of ids) if (id !== bad) assert.equal((await f.reads.get(DS, id))?.state, 'synced');
  });
}

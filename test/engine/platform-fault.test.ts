import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { Mutation } from '../../sync-engine/src/protocol/push.js';
import { PlatformError } from '../../sync-engine/src/sync/platform-error.js';
import { HOLD_AFTER_PLATFORM_FAULTS, PLATFORM_FAILING_AFTER_FAULTS } from '../../sync-engine/src/sync/platform-fault.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { describeRunError, isRetryableRun } from '../../sync-engine/src/service/sync-run-view.js';
import { EXIT, exitCodeOfRun } from '../../sync-engine/src/cli/exit-codes.js';
import { recordStateText } from '../../sync-engine/src/cli/commands/records.js';
import { Printer } from '../../sync-engine/src/cli/output.js';
import { recordViewsWithErrors, rejectedCounts } from '../../sync-engine/src/service/record-views.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

// A push the platform answers HTTP 500 (docs/protocol.md, "Push"): narrowed down to the one
// record it fails on, which is held back for a person after HOLD_AFTER_PLATFORM_FAULTS runs;
// 502/503/504 and no answer stop the push as they always did.

const DS = 'civil-status-births';
const BAD = 'dữ liệu làm nền tảng lỗi';
let f: EngineFixture;
let platform: ScriptedPlatform;
/** The scripted platform's own answer: every mutation applied. */
let applyAll: ScriptedPlatform['onPush'];
beforeEach(async () => {
  f = await openEngineFixture();
  platform = new ScriptedPlatform();
  applyAll = platform.onPush;
});
afterEach(async () => f.close());

const run = () => new SyncRun({ ctx: f.ctx, client: platform }).run('schedule');
const internal = () => new PlatformError({ kind: 'http', status: 500, code: 'internal', message: 'internal error' });

/** The platform answers 500 to every push holding a mutation `bad` picks, and applies the others. */
function failOn(bad: (m: Mutation) => boolean): void {
  platform.onPush = (mutations) => {
    if (mutations.some(bad)) throw internal();
    return applyAll(mutations);
  };
}

async function writeFour(): Promise<string> {
  let badId = '';
  for (let i = 0; i < 4; i += 1) {
    const { record } = await f.writes.put(DS, validBirth({ personalId: `00130100000${i}`, notes: i === 1 ? BAD : 'ok' }));
    if (i === 1) badId = record.id;
  }
  return badId;
}

test('a 500 for one record only: the others go up in the same run; the one is retried under its mutationId and held back, with why in both languages, after the threshold', async () => {
  const badId = await writeFour();
  failOn((m) => m.data?.['notes'] === BAD);

  const first = await run();
  assert.equal(first.pushed, 3, 'the three the platform can take are applied in the run the 500 came in');
  assert.equal(first.rejected, 0);
  assert.equal(first.status, 'partial', 'the run went on and says what it could not send');
  assert.deepEqual(first.errors.map((e) => [e.phase, e.error.kind === 'http' && e.error.status]), [['push', 500]]);
  assert.equal(isRetryableRun(first), false, 'not a failed run: the next try is the schedule, not a burst of backoff retries');
  const [pending] = await f.outbox.list();
  assert.deepEqual([await f.count('outbox'), pending?.recordId, pending?.status, pending?.faults], [1, badId, 'in_flight', 1]);
  assert.equal((await f.reads.get(DS, badId))?.state, 'waiting', 'not held back at once: a passing fault needs nobody');
  const mutationId = pending!.mutationId;

  // The count survives a restart.
  f = await f.reopen();
  for (let n = 2; n < HOLD_AFTER_PLATFORM_FAULTS; n += 1) {
    const again = await run();
    assert.deepEqual([again.status, again.pushed, again.rejected], ['partial', 0, 0]);
    assert.deepEqual((await f.outbox.list()).map((e) => [e.status, e.faults, e.mutationId]), [['in_flight', n, mutationId]]);
  }

  const last = await run();
  // Not one of the run's rejections (the platform never judged it): one of its faults, saying it is held back now.
  assert.deepEqual([last.status, last.rejected], ['partial', 0]);
  assert.deepEqual(last.errors.map((e) => e.setAside), [{ recordId: badId, faults: HOLD_AFTER_PLATFORM_FAULTS, outcome: 'held' }]);
  const heldSaid = describeRunError(last.errors[0]!);
  assert.equal(heldSaid.code, 'platform_fault');
  assert.match(heldSaid.messages.en, new RegExp(`record ${badId} .*\\(${HOLD_AFTER_PLATFORM_FAULTS} of ${HOLD_AFTER_PLATFORM_FAULTS}\\).*held back in the Outbox and is not sent again by itself.*retry it from the Outbox`));
  assert.match(heldSaid.messages.vi, new RegExp(`bản ghi ${badId} .*\\(lần ${HOLD_AFTER_PLATFORM_FAULTS}/${HOLD_AFTER_PLATFORM_FAULTS}\\).*được giữ lại trong Hàng đợi gửi và không tự gửi lại nữa.*gửi lại thay đổi từ Hàng đợi gửi`));
  // The Overview's counts (status.get): held back for the platform's failures, not rejected.
  assert.deepEqual(await rejectedCounts(f.store.sql), { refused: 0, platformFaults: 1 });
  const [held] = await f.outbox.list();
  assert.equal(held?.status, 'quarantined');
  assert.equal(held?.mutationId, mutationId);
  const reason = held?.errors?.[0];
  assert.equal(reason?.code, 'platform_fault');
  assert.match(reason?.messages?.vi ?? '', new RegExp(`lỗi khi xử lý thay đổi này ${HOLD_AFTER_PLATFORM_FAULTS} lần liên tiếp.*vẫn được gửi tiếp.*gửi lại sau.*báo cho đơn vị vận hành nền tảng.*${badId}`));
  assert.match(reason?.messages?.en ?? '', new RegExp(`failed on this change ${HOLD_AFTER_PLATFORM_FAULTS} times in a row.*rest of the queue went on.*Retry it later.*operators.*${badId}.*${mutationId}.*internal error`));
  assert.equal((await f.reads.get(DS, badId))?.state, 'rejected');
  // Not said to be rejected: the platform never judged it (records.get / records.list, the window, the CLI).
  const [view] = await recordViewsWithErrors(f.store.sql, [(await f.reads.get(DS, badId))!]);
  assert.deepEqual([view?.state, view?.platformFault, view?.errors?.[0]?.code], ['rejected', true, 'platform_fault']);
  assert.deepEqual(
    (['vi', 'en'] as const).map((lang) => recordStateText(new Printer(false, lang), view!)),
    ['bị giữ lại: nền tảng bị lỗi', 'held back: the platform failed'],
  );
  const sent = platform.pushed.flat().filter((m) => m.id === badId);
  assert.equal(sent.length >= HOLD_AFTER_PLATFORM_FAULTS, true);
  assert.deepEqual([...new Set(sent.map((m) => m.mutationId))], [mutationId], 'the same mutationId on every try');
  const audit = (await f.audit.list(f.store.sql, { recordId: badId })).find((e) => e.action === 'sync.rejected');
  assert.equal(audit?.details['quarantined'], true);

  // A person retries it once the platform is fixed: it goes under the SAME mutationId (the platform may have applied it).
  platform.onPush = applyAll;
  await f.outbox.retry(held!.seq, 'chị Lan');
  assert.deepEqual((await f.outbox.list()).map((e) => [e.status, e.mutationId, e.faults, e.errors]), [['in_flight', mutationId, 0, null]]);
  const fixed = await run();
  assert.deepEqual([fixed.status, fixed.pushed], ['ok', 1]);
  assert.equal(platform.pushed.at(-1)?.[0]?.mutationId, mutationId);
  assert.equal(await f.count('outbox'), 0);
  assert.equal((await f.reads.get(DS, badId))?.state, 'synced');
  assert.equal(fixed.digests[DS]?.status, 'match');
});

test('the Overview counts a change held back for the platform’s failures apart from one the platform refused, and a retry takes it out of the count', async () => {
  const badId = await writeFour();
  failOn((m) => m.data?.['notes'] === BAD);
  for (let n = 0; n < HOLD_AFTER_PLATFORM_FAULTS; n += 1) await run();
  // Another record the platform does judge, and refuses.
  const { record: refused } = await f.writes.put(DS, validBirth({ personalId: '001301000009', notes: 'bị từ chối' }));
  platform.onPush = (mutations) =>
    mutations.map((m) => ({ mutationId: m.mutationId, status: 'rejected' as const, errors: [{ path: '/notes', code: 'invalid', message: 'not allowed' }] }));
  const refusing = await run();
  assert.equal(refusing.rejected, 1);
  assert.deepEqual(
    (await f.outbox.list({ status: 'quarantined' })).map((e) => [e.recordId, e.errors?.[0]?.code]),
    [
      [badId, 'platform_fault'],
      [refused.id, 'invalid'],
    ],
  );
  assert.deepEqual(await rejectedCounts(f.store.sql), { refused: 1, platformFaults: 1 });
  const [held] = await f.outbox.list({ status: 'quarantined' });
  await f.outbox.retry(held!.seq, 'chị Lan');
  assert.deepEqual(await rejectedCounts(f.store.sql), { refused: 1, platformFaults: 0 });
});

test('a newer edit of the record queued behind the one the platform keeps failing on supersedes it when it is held back, and goes up', async () => {
  const badId = await writeFour();
  failOn((m) => m.data?.['notes'] === BAD);
  for (let n = 1; n < HOLD_AFTER_PLATFORM_FAULTS; n += 1) await run();
  // The office corrects the record while the failing version is still in flight: the edit waits behind it.
  await f.writes.put(DS, validBirth({ personalId: '001301000001', notes: 'đã sửa' }), { id: badId });
  assert.deepEqual((await f.outbox.list()).map((e) => e.status), ['in_flight', 'queued']);

  const holding = await run();
  assert.equal(holding.rejected, 0, 'the platform never judged it');
  assert.deepEqual(holding.errors.map((e) => e.setAside?.outcome), ['superseded']);
  assert.match(describeRunError(holding.errors[0]!).messages.en, /dropped: a newer change of the record waits to be sent/);
  assert.deepEqual((await f.outbox.list()).map((e) => [e.status, e.data?.['notes']]), [['queued', 'đã sửa']], 'nothing held back: the edit carries the whole record');
  const audit = (await f.audit.list(f.store.sql, { recordId: badId })).find((e) => e.action === 'sync.rejected');
  assert.deepEqual([audit?.details['superseded'], (audit?.details['errors'] as Array<{ code: string }>)[0]?.code], [true, 'platform_fault']);

  const next = await run();
  assert.deepEqual([next.status, next.pushed], ['ok', 1]);
  const record = await f.reads.get(DS, badId);
  assert.deepEqual([record?.state, record?.data?.['notes']], ['synced', 'đã sửa']);
});

test('a 503, 502, 504 or no answer for every push splits nothing and holds nothing back, however many runs', async () => {
  await writeFour();
  const failures = [
    new PlatformError({ kind: 'http', status: 503, code: 'maintenance', message: 'back soon', retryAfterMs: 60_000 }),
    new PlatformError({ kind: 'http', status: 502, message: 'bad gateway' }),
    new PlatformError({ kind: 'http', status: 504, message: 'gateway timeout' }),
    new PlatformError({ kind: 'network', message: 'connect ECONNREFUSED', cause: 'ECONNREFUSED' }),
  ];
  const ids = (await f.outbox.list()).map((e) => e.mutationId);
  for (const failure of failures) {
    const sizes: number[] = [];
    platform.push = async (mutations) => {
      sizes.push(mutations.length);
      throw failure;
    };
    for (let n = 0; n < HOLD_AFTER_PLATFORM_FAULTS + 1; n += 1) {
      const summary = await run();
      assert.equal(summary.status, 'failed', failure.message);
      assert.equal(isRetryableRun(summary), true, 'retried with backoff, as before');
    }
    assert.deepEqual(sizes, Array(HOLD_AFTER_PLATFORM_FAULTS + 1).fill(4), `${failure.message}: one push of the whole batch per run, never split`);
    const entries = await f.outbox.list();
    assert.deepEqual(entries.map((e) => [e.status, e.faults]), Array(4).fill(['in_flight', 0]), failure.message);
    assert.deepEqual(entries.map((e) => e.mutationId), ids);
  }
});

test('a platform that answers 500 to every push is not taken for bad records: the run stops as for any 5xx and nothing is held back', async () => {
  const count = PLATFORM_FAILING_AFTER_FAULTS + 4;
  for (let i = 0; i < count; i += 1) await f.writes.put(DS, validBirth({ personalId: `0013010001${String(i).padStart(2, '0')}` }));
  const ids = (await f.outbox.list()).map((e) => e.mutationId);
  failOn(() => true);
  for (let n = 0; n < HOLD_AFTER_PLATFORM_FAULTS + 1; n += 1) {
    const summary = await run();
    assert.equal(summary.status, 'failed');
    assert.equal(isRetryableRun(summary), true);
  }
  const entries = await f.outbox.list();
  assert.deepEqual(entries.map((e) => [e.status, e.faults]), Array(count).fill(['in_flight', 0]), 'no change counted, none held back');

  platform.onPush = applyAll;
  const back = await run();
  assert.deepEqual([back.status, back.pushed], ['ok', count]);
  assert.deepEqual(platform.pushed.at(-1)?.map((m) => m.mutationId), ids, 'each under its own mutationId, once the platform is back');
});

test('several changes answered 500 alone in a run that took nothing are not counted: the platform may be failing on every push', async () => {
  for (let i = 0; i < 3; i += 1) await f.writes.put(DS, validBirth({ personalId: `00130100000${i}` }));
  failOn(() => true);
  for (let n = 0; n < HOLD_AFTER_PLATFORM_FAULTS + 1; n += 1) {
    const summary = await run();
    assert.deepEqual([summary.status, summary.pushed, summary.rejected], ['partial', 0, 0]);
    assert.deepEqual(summary.errors.map((e) => e.error.kind === 'http' && e.error.status), [500, 500, 500]);
  }
  assert.deepEqual((await f.outbox.list()).map((e) => [e.status, e.faults]), Array(3).fill(['in_flight', 0]));
});

test('a run with a change set aside says so, not that the platform cannot be reached: its record, the count, the next try; edge-agent sync exits 4, not 2', async () => {
  const badId = await writeFour();
  failOn((m) => m.data?.['notes'] === BAD);

  const first = await run();
  const [entry] = first.errors;
  assert.ok(entry);
  const said = describeRunError(entry);
  assert.equal(said.code, 'platform_fault');
  assert.match(said.messages.en, new RegExp(`record ${badId} \\(dataset ${DS}\\) \\(1 of ${HOLD_AFTER_PLATFORM_FAULTS}\\)`));
  assert.match(said.messages.en, /the other changes were sent/);
  assert.match(said.messages.vi, new RegExp(`bản ghi ${badId} \\(bộ dữ liệu ${DS}\\) \\(lần 1/${HOLD_AFTER_PLATFORM_FAULTS}\\)`));
  const view = { id: 1, trigger: 'schedule' as const, startedAt: first.startedAt, finishedAt: first.finishedAt, status: 'failed' as const, pushed: 3, pulled: 0, conflicts: 0, rejected: 0, error: said };
  assert.equal(exitCodeOfRun(view), EXIT.other, 'not EXIT.unreachable: the platform answered and took the rest');
});

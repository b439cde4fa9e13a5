import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LocalWriteRefused } from '../../sync-engine/src/records/write-errors.js';
import { validBirth } from '../datasets/fixtures.js';
import { refusal } from './support/refusal.js';
import { DS, refusingEnginePerTest } from './support/refusing-engine.js';

// A record kept only for this office's pending change after it left the office's scope
// (records/left-scope.ts) takes no further local change: the platform would refuse it (scope),
// so the write is refused before anything is written, and the pending change stays as it was
// for a person to settle (take the national version, or discard it).

const FULL_NAME = 'Trịnh Thị Thu Hà';
const env = refusingEnginePerTest();
const { pull, sync, leaves } = env;

/** A national record this office edited; the edit still waits to go up. */
async function edited(): Promise<string> {
  const id = await env.national(FULL_NAME);
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa lần 1' }), { id, user: 'chị Lan' });
  return id;
}

/** What a refused write must leave untouched: the record, its outbox entries, the audit log. */
async function everything(id: string) {
  return { record: await env.f.reads.get(DS, id), outbox: await env.f.outbox.list(), audit: await env.f.count('audit_log') };
}

function assertLeftScopeRefusal(error: LocalWriteRefused, id: string): void {
  assert.equal(error.code, 'left_scope');
  assert.match(error.messages.vi, new RegExp(`Bản ghi ${id} không còn thuộc phạm vi của đơn vị này`));
  assert.match(error.messages.vi, /Chưa có gì thay đổi/);
  assert.match(error.messages.en, new RegExp(`Record ${id} is no longer in this office's scope`));
  assert.match(error.messages.en, /Nothing was changed/);
}

test('an edit or a delete of a record that left the scope is refused in vi/en, and its waiting change, the record and the audit log stay as they were', async () => {
  const id = await edited();
  await leaves(id);
  const before = await everything(id);
  assert.equal(before.record?.state, 'waiting');
  assert.equal(before.outbox.length, 1);

  assertLeftScopeRefusal(await refusal(env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa lần 2' }), { id, user: 'anh Minh' })), id);
  assertLeftScopeRefusal(await refusal(env.f.writes.delete(DS, id, { user: 'anh Minh' })), id);
  assert.deepEqual(await everything(id), before, 'nothing written: the first edit still waits, under the same mutation id');

  // The waiting change goes up as before; the platform holds it back (scope); it is still refused here.
  const run = await sync();
  assert.equal(run.rejected, 1);
  const held = await everything(id);
  assert.equal(held.record?.state, 'rejected');
  assertLeftScopeRefusal(await refusal(env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa lần 2' }), { id })), id);
  assertLeftScopeRefusal(await refusal(env.f.writes.delete(DS, id)), id);
  assert.deepEqual(await everything(id), held, 'the held-back change is not replaced');

  // The person can still give the change up: the record leaves this computer.
  await env.f.outbox.discard(held.outbox[0]!.seq, 'chị Lan');
  assert.equal(await env.f.reads.get(DS, id), null);
});

test('an edit of a record in conflict that left the scope says so, and the national version can still be taken', async () => {
  // This office and the platform changed the registrar differently: a field conflict.
  const { id, conflictId } = await env.conflicted(FULL_NAME);
  await leaves(id);

  const before = await everything(id);
  assertLeftScopeRefusal(await refusal(env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa lần 2' }), { id })), id);
  assert.deepEqual(await everything(id), before);
  assert.equal(await env.f.conflicts.resolve(conflictId, { kind: 'take-remote' }, { user: 'chị Lan' }), 'adopted-remote');
  assert.equal(await env.f.reads.get(DS, id), null);
});

test('a record back in the scope takes edits again, and a record that never left is not refused', async () => {
  const id = await edited();
  await leaves(id);
  await refusal(env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa lần 2' }), { id }));
  // Back in the office's scope: the platform sends it again in full, which clears the mark.
  env.platform.put(DS, id, 2, validBirth({ fullName: FULL_NAME }));
  env.platform.away.delete(id);
  await pull();
  assert.equal(await env.f.count('left_scope'), 0);
  const again = await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa lần 3' }), { id });
  assert.equal(again.record.state, 'waiting');

  const near = await edited();
  assert.equal((await env.f.writes.delete(DS, near)).record.state, 'waiting');
});

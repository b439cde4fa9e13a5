import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { validBirth } from '../datasets/fixtures.js';
import { wireRecord } from './support/engine-fixture.js';
import { DS, refusingEnginePerTest } from './support/refusing-engine.js';

// A record that left the office's scope (`removed`, sent once) while a local change of it was
// pending is kept until a person settles the change; then it leaves the cache as the `removed`
// would have taken it, without waiting for a digest mismatch and a resync of the whole dataset.

const FULL_NAME = 'Phạm Thị Ngọc Ánh';
const env = refusingEnginePerTest();
const { pull, sync, leaves } = env;

/** A record in conflict: this office and the platform changed the registrar differently. */
const conflicted = () => env.conflicted(FULL_NAME);

async function assertGone(id: string): Promise<void> {
  assert.equal(await env.f.reads.get(DS, id), null, 'no longer cached');
  assert.equal((await env.f.search.searchRecords(DS, FULL_NAME)).items.some((r) => r.id === id), false, 'no longer found');
}

/** The next sync agrees with the platform as it is: no digest mismatch, no resync of the whole dataset. */
async function assertNextSyncAgrees(): Promise<void> {
  const next = await sync();
  assert.equal(next.status, 'ok');
  assert.deepEqual(next.resynced, []);
  assert.equal(next.digests[DS]?.status, 'match');
}

async function lastAudit(id: string, action: string) {
  return (await env.f.audit.list(env.f.store.sql, { recordId: id })).find((e) => e.action === action);
}

test('a conflict whose record left the scope stays open; taking the national version drops the record', async () => {
  const { id, conflictId } = await conflicted();
  await leaves(id);
  const kept = await env.f.reads.get(DS, id);
  assert.equal(kept?.state, 'conflict', 'the local edit is not lost before the person chooses');
  assert.equal(kept?.data?.['registrar'], 'Lê Văn Bình');

  assert.equal(await env.f.conflicts.resolve(conflictId, { kind: 'take-remote' }, { user: 'chị Lan' }), 'adopted-remote');
  await assertGone(id);
  assert.equal((await env.f.conflicts.get(conflictId))?.status, 'resolved');
  const audit = await lastAudit(id, 'conflict.resolved');
  assert.equal(audit?.actor, 'chị Lan');
  assert.equal(audit?.details['leftScope'], true);
  await assertNextSyncAgrees();
});

test('discarding the local change of a conflict whose record left the scope drops the record', async () => {
  const { id, conflictId } = await conflicted();
  await leaves(id);
  assert.equal(await env.f.conflicts.resolve(conflictId, { kind: 'discard-local' }, { user: 'anh Minh' }), 'discarded');
  await assertGone(id);
  assert.equal((await lastAudit(id, 'conflict.resolved'))?.details['leftScope'], true);
  await assertNextSyncAgrees();
});

test('a bulk take of the national versions drops the records that left the scope and keeps the others', async () => {
  const gone = await conflicted();
  const back = await conflicted();
  const stays = await conflicted();
  await leaves(gone.id);
  await leaves(back.id);
  // Back in the office's scope: the platform sends it again in full.
  env.platform.put(DS, back.id, 3, validBirth({ fullName: FULL_NAME, registrar: 'Hoàng Minh Đức', notes: 'chuyển về' }));
  env.platform.away.delete(back.id);
  await pull();

  const results = await env.f.conflicts.resolveMany([gone.conflictId, back.conflictId, stays.conflictId], { kind: 'take-remote' }, { user: 'chị Lan' });
  assert.deepEqual(results.map((r) => r.ok), [true, true, true]);
  await assertGone(gone.id);
  assert.equal((await env.f.reads.get(DS, back.id))?.rev, 3, 'came back: kept at the national version');
  assert.equal((await env.f.reads.get(DS, stays.id))?.state, 'synced');
  assert.equal((await lastAudit(back.id, 'conflict.resolved'))?.details['leftScope'], undefined);
  assert.equal((await lastAudit(gone.id, 'conflict.resolved'))?.details['leftScope'], true);
  await assertNextSyncAgrees();
});

test('a change held back by the platform (scope) and then discarded drops the record that left the scope', async () => {
  const id = uuidv7();
  env.platform.put(DS, id, 1, validBirth({ fullName: FULL_NAME }));
  await sync();
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'chưa gửi' }), { id });
  await leaves(id);
  assert.equal((await env.f.reads.get(DS, id))?.state, 'waiting', 'the pending change still goes to the platform');

  const run = await sync();
  assert.equal(run.rejected, 1);
  assert.equal((await env.f.reads.get(DS, id))?.state, 'rejected', 'the person sees why');
  const [entry] = await env.f.outbox.list();
  await env.f.outbox.discard(entry!.seq, 'chị Lan');
  await assertGone(id);
  const audit = await lastAudit(id, 'outbox.discard');
  assert.equal(audit?.actor, 'chị Lan');
  assert.equal(audit?.details['leftScope'], true);
  await assertNextSyncAgrees();
});

test('a change applied before its record left the scope, answered after the `removed` was pulled, drops the record', async () => {
  const id = await env.national(FULL_NAME);
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'đã gửi' }), { id });
  const batch = await env.f.outbox.nextBatch(10);
  const [mutation] = batch.mutations;
  // The platform applies it, then the record moves away; the answer is late.
  const [result] = env.platform.onPush(batch.mutations);
  await leaves(id);
  assert.equal((await env.f.reads.get(DS, id))?.state, 'waiting');
  await batch.complete([result!]);
  await assertGone(id);
  assert.equal((await lastAudit(id, 'sync.applied'))?.details['mutationId'], mutation?.mutationId);
  assert.equal((await lastAudit(id, 'sync.applied'))?.details['leftScope'], true);
  await assertNextSyncAgrees();
});

test('a record back in the scope before the office pulled it again is kept: the push answer carried its version', async () => {
  const id = await env.national(FULL_NAME);
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, registrar: 'Lê Văn Bình' }), { id });
  await leaves(id);
  // Back in the office's scope with a national change: the push is answered with it, as a conflict.
  const current = validBirth({ fullName: FULL_NAME, registrar: 'Hoàng Minh Đức' });
  env.platform.put(DS, id, 2, current);
  env.platform.away.delete(id);
  const batch = await env.f.outbox.nextBatch(10);
  await batch.complete([{ mutationId: batch.entries[0]!.mutationId, status: 'conflict', current: wireRecord(id, 2, current) }]);
  const [conflict] = await env.f.conflicts.list({ status: 'open' });
  assert.equal(conflict?.recordId, id);
  await env.f.conflicts.resolve(conflict.id, { kind: 'take-remote' });
  const record = await env.f.reads.get(DS, id);
  assert.equal(record?.state, 'synced', 'in scope: the national version stays cached');
  assert.equal(record?.rev, 2);
  assert.equal((await lastAudit(id, 'conflict.resolved'))?.details['leftScope'], undefined);
  await assertNextSyncAgrees();
});

// A resync (pull from the beginning) finds the same fact without a `removed`: the snapshot holds every
// record in the office's scope, so a record it lacks, kept for its pending change, is marked as well.

/** The platform forgot its feed (410 on older cursors); its snapshot holds `kept` only. */
function purgeAllBut(kept: string): void {
  env.platform.purge(DS, () => env.platform.put(DS, kept, 1, validBirth({ fullName: 'Nguyễn Văn Khải' })));
}

test('a conflict whose record a resync no longer found drops the record once the national version is taken', async () => {
  const { id, conflictId } = await conflicted();
  const other = uuidv7();
  env.platform.put(DS, other, 1, validBirth({ fullName: 'Nguyễn Văn Khải' }));
  await pull();
  // The record moved away while the office was not pulling, and the platform purged what it sent about it.
  env.platform.away.add(id);
  purgeAllBut(other);
  assert.equal((await pull()).resynced, true);
  assert.equal((await env.f.reads.get(DS, id))?.state, 'conflict', 'the local edit is not lost before the person chooses');
  const resync = (await env.f.audit.list(env.f.store.sql)).find((e) => e.action === 'resync');
  assert.equal(resync?.details['keptLeftScope'], 1);

  assert.equal(await env.f.conflicts.resolve(conflictId, { kind: 'take-remote' }, { user: 'chị Lan' }), 'adopted-remote');
  await assertGone(id);
  assert.equal((await lastAudit(id, 'conflict.resolved'))?.details['leftScope'], true);
  assert.equal((await env.f.reads.get(DS, other))?.state, 'synced');
  await assertNextSyncAgrees();
});

test('a held change of a record a resync no longer found, discarded, drops the record; a new local record is not marked', async () => {
  const id = uuidv7();
  env.platform.put(DS, id, 1, validBirth({ fullName: FULL_NAME }));
  await sync();
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'chưa gửi' }), { id });
  // Never sent: the platform does not have it yet, so its absence from the snapshot says nothing.
  const created = (await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, personalId: '001301077777' }))).record.id;
  env.platform.away.add(id);
  purgeAllBut(uuidv7());
  assert.equal((await pull()).resynced, true);
  assert.equal((await env.f.reads.get(DS, id))?.state, 'waiting', 'the pending change still goes to the platform');
  assert.equal((await env.f.reads.get(DS, created))?.state, 'waiting');
  assert.equal(await env.f.count('left_scope'), 1, 'only the record the platform had is marked');

  const run = await sync();
  assert.equal(run.rejected, 1);
  assert.equal((await env.f.reads.get(DS, id))?.state, 'rejected', 'the person sees why');
  assert.equal((await env.f.reads.get(DS, created))?.state, 'synced', 'the new record, applied, stays cached');
  assert.equal((await lastAudit(created, 'sync.applied'))?.details['leftScope'], undefined);

  const [entry] = await env.f.outbox.list();
  await env.f.outbox.discard(entry!.seq, 'chị Lan');
  await assertGone(id);
  assert.equal((await lastAudit(id, 'outbox.discard'))?.details['leftScope'], true);
  assert.equal((await env.f.reads.get(DS, created))?.state, 'synced');
  await assertNextSyncAgrees();
});

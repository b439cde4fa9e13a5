import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REV_GAP } from '../../national-platform/src/services/rev-gap.js';
import { validBirth } from '../datasets/fixtures.js';
import { restorablePlatform } from './support/restorable-platform.js';

/**
 * The reference platform restored from an older backup (its SQLite file put
 * back while it is stopped, then started on the same address) while this
 * office holds an edit still to be sent, made on a rev the backup does not
 * have. test/reliability/platform-restart.test.ts restores under faults with
 * edits made on revs the backup has; docs/reliability.md.
 * platform-restore-conflicts.test.ts: the conflicts a restore causes say so.
 */
const DS = 'civil-status-births';

test("an edit still to be sent, made on a rev the restored platform no longer has, is answered conflict and merged: it goes up, and the sides agree", async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();

    // The backup holds the record at rev 1.
    await r.backUp();

    // After the backup: the office's change of the registrar is applied (rev 2), then it edits the notes, not yet sent.
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.sync()).pushed, 1);
    assert.equal((await a.reads.get(DS, id))?.rev, 2);
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình', notes: 'sửa sau khi khôi phục' }, { id, user: 'chị Lan' });
    const [pending] = await a.outbox.list();
    assert.equal(pending?.baseRev, 2);

    await r.restore();
    assert.equal((await r.platform.admin.getRecord(DS, id))?.rev, 1, 'the restored platform holds rev 1');
    // Back in service, the platform takes a national record first: its feed reaches the agent's cursor again, with another history.
    const other = await r.platform.admin.putRecord(DS, validBirth({ personalId: '001301000077', fullName: 'Đỗ Thị Hằng' }));

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.deepEqual([run.pushed, run.autoMerged, run.resynced], [1, 1, [DS]], 'the merged version went up, and the dataset was pulled again: the national record written after the restore lay behind the agent cursor');
    assert.equal(run.conflicts, 0, 'no person is needed: only the notes changed here since the version both sides agree on');
    const merged = (await a.audit.list(a.store.sql, { recordId: id })).find((e) => e.action === 'merge.auto');
    assert.deepEqual([merged?.details['origin'], merged?.details['remoteRev']], ['push', 1], 'the push was answered conflict with the restored rev 1');

    // The edit went up: the notes are on the platform. The registrar changed after the backup went with the restore,
    // as every change the platform accepted after its backup (docs/reliability.md).
    const onPlatform = await r.platform.admin.getRecord(DS, id);
    assert.equal(onPlatform?.data?.['notes'], 'sửa sau khi khôi phục');
    assert.equal(onPlatform?.data?.['registrar'], national['registrar']);
    const local = await a.reads.get(DS, id);
    assert.deepEqual([local?.state, local?.rev], ['synced', onPlatform?.rev]);
    assert.deepEqual(local?.data, onPlatform?.data);
    assert.equal(await a.count('outbox'), 0);
    assert.equal(await a.conflicts.countOpen(), 0);
    assert.ok(await a.reads.get(DS, other.id), 'the national record written after the restore is here too');
    assert.equal(run.digests[DS]?.status, 'match');
    const again = await a.sync();
    assert.deepEqual([again.pushed, again.pulled, again.resynced, again.digests[DS]?.status], [0, 0, [], 'match']);
  } finally {
    await r.close();
  }
});

test('restored, then a new epoch (epoch new): once the restored platform has written past the agent’s position, the agent still pulls again and misses nothing, a record changed again after the restore included', async () => {
  const r = await restorablePlatform();
  try {
    const a = await r.enrolledAgent('HN-A');
    const national = validBirth();
    const { id } = await r.platform.admin.putRecord(DS, national);
    const kept = await r.platform.admin.putRecord(DS, validBirth({ personalId: '001301000078', fullName: 'Trần Văn Khoa' }));
    assert.equal((await a.sync()).status, 'ok');

    await r.backUp();
    // After the backup: a national edit (rev 2, seq 3), which the agent pulls: its cursor is at seq 3.
    await r.platform.admin.putRecord(DS, { ...national, notes: 'sửa trước khi khôi phục' }, { id, baseRev: 1 });
    assert.equal((await a.sync()).pulled, 1);
    assert.equal((await a.reads.get(DS, id))?.data?.['notes'], 'sửa trước khi khôi phục');

    await r.restoreWithNewEpoch();
    // The restored platform edits the record again (seq 3 again, other data; its rev skips the gap of the new epoch)
    // and writes a new one (seq 4): its head is past the agent's cursor.
    await r.platform.admin.putRecord(DS, { ...national, notes: 'sửa sau khi khôi phục' }, { id, baseRev: 1 });
    const other = await r.platform.admin.putRecord(DS, validBirth({ personalId: '001301000077', fullName: 'Đỗ Thị Hằng' }));
    assert.equal((await r.platform.admin.status()).headSeq, 4);

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.deepEqual([...run.resynced].sort(), ['admin-units', 'business-households', DS, 'procedure-dossiers'], 'every cursor of the old epoch was refused: each dataset was pulled again');
    for (const record of await r.platform.admin.listRecords(DS)) {
      const local = await a.reads.get(DS, record.id);
      assert.deepEqual([local?.state, local?.rev, local?.data], ['synced', record.rev, record.data], record.id);
    }
    assert.deepEqual([(await a.reads.get(DS, id))?.data?.['notes'], (await a.reads.get(DS, id))?.rev], ['sửa sau khi khôi phục', 2 + REV_GAP], 'the edit made after the restore');
    assert.ok(await a.reads.get(DS, other.id));
    assert.ok(await a.reads.get(DS, kept.id));
    assert.equal(run.digests[DS]?.status, 'match');
    const again = await a.sync();
    assert.deepEqual([again.pulled, again.resynced], [0, []]);
  } finally {
    await r.close();
  }
});

test('restored, then epoch new, then the restored platform changes a record as far as the rev of an office’s unsent edit made on a lost version: the edit is answered conflict and merged, never applied over that change', async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();

    // The backup holds the record at rev 1. After it, a national edit (rev 2), which the office pulls and edits again: not yet sent.
    await r.backUp();
    await r.platform.admin.putRecord(DS, { ...national, notes: 'sửa trước khi khôi phục' }, { id, baseRev: 1 });
    assert.equal((await a.sync()).pulled, 1);
    await a.writes.put(DS, { ...national, notes: 'sửa trước khi khôi phục', registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.outbox.list())[0]?.baseRev, 2);

    await r.restoreWithNewEpoch();
    // Back in service, the platform's operators change the record's notes before the office syncs: its next version.
    const after = await r.platform.admin.putRecord(DS, { ...national, notes: 'sửa sau khi khôi phục' }, { id, baseRev: 1 });
    assert.notEqual(after.rev, 2, 'not the rev the lost version had');

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    const merged = (await a.audit.list(a.store.sql, { recordId: id })).find((e) => e.action === 'merge.auto');
    assert.deepEqual([merged?.details['origin'], merged?.details['remoteRev']], ['push', after.rev], 'the push was answered conflict with the version written after the restore');
    const onPlatform = await r.platform.admin.getRecord(DS, id);
    assert.equal(onPlatform?.data?.['notes'], 'sửa sau khi khôi phục', 'the change made after the restore was not overwritten with the lost version’s notes');
    assert.equal(onPlatform?.data?.['registrar'], 'Lê Văn Bình', 'the office’s own change went up');
    const local = await a.reads.get(DS, id);
    assert.deepEqual([local?.state, local?.rev, local?.data], ['synced', onPlatform?.rev, onPlatform?.data]);
    assert.equal(await a.count('outbox'), 0);
    assert.equal(run.digests[DS]?.status, 'match');
  } finally {
    await r.close();
  }
});

test('restored (epoch new) without the changes it had accepted from two offices: each office sends its own again at its next sync, not the other’s, and the platform ends with both; a later resync without a restore sends nothing', async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();
    const b = await r.enrolledAgent('HN-B');
    const second = validBirth({ personalId: '001301000079', fullName: 'Phạm Thị Mai' });
    const { id: id2 } = await r.platform.admin.putRecord(DS, second);
    for (const agent of [a, b]) assert.equal((await agent.sync()).status, 'ok');

    // The backup holds both records at rev 1. After it, office A changes the first (rev 2) and office B the second (rev 2);
    // each office's agent pulls the other's change.
    await r.backUp();
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.sync()).pushed, 1);
    await b.writes.put(DS, { ...second, notes: 'đăng ký lại ở phường B' }, { id: id2, user: 'anh Tuấn' });
    assert.equal((await b.sync()).pushed, 1);
    assert.equal((await a.sync()).pulled, 1);
    assert.deepEqual([(await a.reads.get(DS, id))?.rev, (await a.reads.get(DS, id2))?.rev], [2, 2]);

    await r.restoreWithNewEpoch();
    assert.deepEqual([(await r.platform.admin.getRecord(DS, id))?.rev, (await r.platform.admin.getRecord(DS, id2))?.rev], [1, 1], 'the restored platform lost both changes');

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.ok(run.resynced.includes(DS));
    assert.deepEqual([run.resent, run.pushed, run.conflicts], [1, 1, 0], 'office A’s own lost change went up again in the same run; office B’s was not sent by A');
    const resent = (await a.audit.list(a.store.sql, { recordId: id })).find((e) => e.action === 'sync.resent');
    assert.deepEqual([resent?.details['platformRev'], resent?.details['lostRev'], resent?.details['op']], [1, 2, 'upsert']);
    assert.equal((await a.audit.list(a.store.sql, { recordId: id2 })).find((e) => e.action === 'sync.resent'), undefined);
    assert.equal((await r.platform.admin.getRecord(DS, id))?.data?.['registrar'], 'Lê Văn Bình', 'the platform holds office A’s change again');
    const onPlatform2 = await r.platform.admin.getRecord(DS, id2);
    assert.deepEqual([onPlatform2?.rev, onPlatform2?.data?.['notes']], [1, second['notes']], 'office B’s change is not sent by A');
    assert.deepEqual([(await a.reads.get(DS, id2))?.rev, (await a.reads.get(DS, id2))?.data], [1, onPlatform2?.data], 'A holds the restored version of B’s record');
    assert.equal(await a.count('outbox'), 0);

    const runB = await b.sync();
    assert.deepEqual([runB.status, runB.resent, runB.pushed, runB.conflicts], ['ok', 1, 1, 0], JSON.stringify(runB.errors));
    assert.equal((await r.platform.admin.getRecord(DS, id2))?.data?.['notes'], 'đăng ký lại ở phường B', 'office B sent its own again');
    assert.equal((await b.reads.get(DS, id))?.data?.['registrar'], 'Lê Văn Bình');

    const again = await a.sync();
    assert.equal(again.resent, 0);
    for (const agent of [a, b]) {
      for (const record of await r.platform.admin.listRecords(DS)) {
        const local = await agent.reads.get(DS, record.id);
        assert.deepEqual([local?.state, local?.rev, local?.data], ['synced', record.rev, record.data], record.id);
      }
    }
    assert.equal(again.digests[DS]?.status, 'match');

    // An ordinary resync (a new epoch, no restore: no rev goes backwards) sends nothing again.
    await r.platform.admin.newEpoch();
    const plain = await a.sync();
    assert.deepEqual([plain.status, plain.resynced.includes(DS), plain.resent, plain.pushed, plain.digests[DS]?.status], ['ok', true, 0, 0, 'match']);
    assert.equal((await a.audit.list(a.store.sql, {})).filter((e) => e.action === 'sync.resent').length, 1);
    assert.equal(await a.count('outbox'), 0);
  } finally {
    await r.close();
  }
});

test('restored (epoch new) without the records two offices created after the backup: each office creates its own again at its next sync, not the other’s; a record of the office that the restored platform moved to another province is not', async () => {
  const r = await restorablePlatform();
  try {
    const { a } = await r.officeHoldingRecord();
    const b = await r.enrolledAgent('HN-B');
    assert.equal((await b.sync()).status, 'ok');
    const early = (await a.writes.put(DS, validBirth({ personalId: '001301000011', registrationNumber: '11/2025' }), { user: 'chị Lan' })).record.id;
    assert.equal((await a.sync()).pushed, 1);
    await r.backUp();

    // After the backup office A registers a birth and office B another; each agent pulls the other's.
    r.clock.advance(60_000);
    const late = validBirth({ personalId: '001301000022', registrationNumber: '22/2025', fullName: 'Lê Thị Thu' });
    const id = (await a.writes.put(DS, late, { user: 'chị Lan' })).record.id;
    assert.equal((await a.sync()).pushed, 1);
    const idB = (await b.writes.put(DS, validBirth({ personalId: '001301000033', registrationNumber: '33/2025' }), { user: 'anh Tuấn' })).record.id;
    assert.equal((await b.sync()).pushed, 1);
    assert.equal((await a.sync()).pulled, 1);
    assert.deepEqual([(await a.reads.get(DS, id))?.state, (await a.reads.get(DS, idB))?.state], ['synced', 'synced']);

    await r.restoreWithNewEpoch();
    assert.deepEqual([await r.platform.admin.getRecord(DS, id), await r.platform.admin.getRecord(DS, idB)], [null, null], 'the restored platform lost both records');
    // The restored platform's operators move office A's earlier record to another province (out of A's scope).
    r.clock.advance(60_000);
    const before = await r.platform.admin.getRecord(DS, early);
    await r.platform.admin.putRecord(DS, { ...before?.data, provinceCode: '79', communeCode: '25747', placeOfBirthCommuneCode: '25747' }, { id: early, baseRev: before?.rev ?? 0 });

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.ok(run.resynced.includes(DS));
    assert.deepEqual([run.resent, run.pushed, run.rejected, run.conflicts], [1, 1, 0, 0], 'office A created its own record again, not B’s nor the moved one');
    const resent = (await a.audit.list(a.store.sql, { recordId: id })).find((e) => e.action === 'sync.resent');
    assert.deepEqual([resent?.details['op'], resent?.details['lostRev']], ['create', 1]);
    const onPlatform = await r.platform.admin.getRecord(DS, id);
    assert.deepEqual([onPlatform?.data?.['fullName'], siteOf(onPlatform?.updatedBy)], ['Lê Thị Thu', 'HN-A'], 'the platform holds office A’s record again');
    assert.equal(await r.platform.admin.getRecord(DS, idB), null, 'office B’s record is not sent by A');
    assert.deepEqual([await a.reads.get(DS, idB), await a.reads.get(DS, early)], [null, null], 'A swept B’s lost record and the moved one');
    assert.equal((await r.platform.admin.getRecord(DS, early))?.data?.['provinceCode'], '79');
    assert.equal(await a.count('outbox'), 0);

    const runB = await b.sync();
    assert.deepEqual([runB.status, runB.resent, runB.pushed], ['ok', 1, 1], JSON.stringify(runB.errors));
    assert.ok(await r.platform.admin.getRecord(DS, idB), 'office B created its own again');

    const again = await a.sync();
    assert.deepEqual([again.resent, again.digests[DS]?.status], [0, 'match']);
    for (const record of await r.platform.admin.listRecords(DS)) {
      if (record.data?.['provinceCode'] !== '01') continue;
      const local = await a.reads.get(DS, record.id);
      assert.deepEqual([local?.state, local?.rev, local?.data], ['synced', record.rev, record.data], record.id);
    }
  } finally {
    await r.close();
  }
});

test('restored WITHOUT epoch new, the agent’s position beyond the restored head: the platform says it was restored and the office creates its lost record again; a resync for purged deletes creates nothing again', async () => {
  const r = await restorablePlatform();
  try {
    const { a } = await r.officeHoldingRecord();
    await r.backUp();
    r.clock.advance(60_000);
    const id = (await a.writes.put(DS, validBirth({ personalId: '001301000022', registrationNumber: '22/2025' }), { user: 'chị Lan' })).record.id;
    assert.equal((await a.sync()).pushed, 1);

    await r.restore();
    assert.equal(await r.platform.admin.getRecord(DS, id), null);
    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.deepEqual([run.resynced.includes(DS), run.resent, run.pushed], [true, 1, 1], 'the record went up again');
    assert.equal(siteOf((await r.platform.admin.getRecord(DS, id))?.updatedBy), 'HN-A');
    assert.equal((await a.sync()).digests[DS]?.status, 'match');

    // The national side deletes it and purges the tombstone before A pulls the delete: a resync without a restore.
    await r.platform.admin.deleteRecord(DS, id);
    r.clock.advance(3_600_000);
    assert.ok((await r.platform.admin.purgeTombstones(60)).purgedTombstones >= 1);
    const purged = await a.sync();
    assert.deepEqual([purged.status, purged.resynced.includes(DS), purged.resent, purged.pushed], ['ok', true, 0, 0], JSON.stringify(purged.errors));
    assert.equal(await a.reads.get(DS, id), null, 'swept, not created again');
    assert.equal(await r.platform.admin.getRecord(DS, id), null);
  } finally {
    await r.close();
  }
});

function siteOf(by: object | undefined): unknown {
  return by && 'siteCode' in by ? by.siteCode : undefined;
}

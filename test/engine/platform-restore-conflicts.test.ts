import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { validBirth } from '../datasets/fixtures.js';
import { restorablePlatform } from './support/restorable-platform.js';

/**
 * A conflict a restore of the platform from an older backup causes says so
 * (`details.restored`, with the time the platform went back to): its national
 * side is the restored, older value, not a newer national change
 * (docs/reliability.md). platform-restore.test.ts has the restores themselves.
 */
const DS = 'civil-status-births';

test('restored (epoch new) under an edit still to be sent of a field the office had changed after the backup: the conflict says it arose from the restore, with the time the platform went back to, and its national side is the restored value', async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();

    // The backup holds the record at rev 1. After it, the office's registrar change is applied (rev 2); then it changes the registrar again, not yet sent.
    await r.backUp();
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.sync()).pushed, 1);
    await a.writes.put(DS, { ...national, registrar: 'Phạm Văn Cường' }, { id, user: 'chị Lan' });

    await r.restoreWithNewEpoch();
    const restored = await r.platform.admin.getRecord(DS, id);
    assert.equal(restored?.rev, 1);

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.equal(run.conflicts, 1, 'the registrar changed here twice: once lost with the restore, once still to be sent');
    const [conflict] = await a.conflicts.list({ status: 'open' });
    const registrar = conflict?.fields.find((f) => f.field === 'registrar');
    assert.deepEqual([registrar?.local, registrar?.remote], ['Phạm Văn Cường', national['registrar']], 'the national side is the restored, older value');
    // The push was answered from below the rev the edit was made on; the pull's 410 (platform_restored) then said when the platform went back to.
    assert.deepEqual(conflict?.details.restored, { headAt: restored?.updatedAt }, 'the conflict says it arose from the restore');
    const opened = (await a.audit.list(a.store.sql, { recordId: id })).find((e) => e.action === 'conflict.opened');
    assert.deepEqual(opened?.details['restored'], { headAt: null }, 'known at the push: the platform went back; not yet when to');
  } finally {
    await r.close();
  }
});

test('restored (epoch new), and the platform’s operators change the same field of a record whose lost change the office sends again before it goes up: the conflict says it arose from the restore, with the time the platform went back to', async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();
    await r.backUp();
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.sync()).pushed, 1);

    await r.restoreWithNewEpoch();
    const headAt = (await r.platform.admin.getRecord(DS, id))?.updatedAt;

    // While the resync's snapshot is written here (the lost change queued again), the operators change the registrar on the restored platform.
    let changed = false;
    const run = await new SyncRun({
      ctx: a.ctx,
      client: a.client,
      options: {
        beforeCursor: async () => {
          if (changed) return;
          changed = true;
          await r.platform.admin.putRecord(DS, { ...national, registrar: 'Võ Thị Lan' }, { id, baseRev: 1 });
        },
      },
    }).run('test');
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.deepEqual([run.resent, run.conflicts], [1, 1], 'the lost change was sent again and answered conflict');
    const [conflict] = await a.conflicts.list({ status: 'open' });
    const registrar = conflict?.fields.find((f) => f.field === 'registrar');
    assert.deepEqual([registrar?.local, registrar?.remote], ['Lê Văn Bình', 'Võ Thị Lan']);
    assert.deepEqual(conflict?.details.restored, { headAt }, 'the conflict says it arose from the restore');

    // A newer national version refreshing the conflict keeps it said.
    await r.platform.admin.putRecord(DS, { ...national, registrar: 'Võ Thị Lan', notes: 'bổ sung' }, { id });
    assert.equal((await a.sync()).status, 'ok');
    const refreshed = await a.conflicts.get(conflict?.id ?? '');
    assert.deepEqual([refreshed?.status, refreshed?.details.restored], ['open', { headAt }]);
  } finally {
    await r.close();
  }
});

test('restored (epoch new), and the platform’s operators change another field of a record whose change this office sent after the backup, before the office syncs: no silent overwrite, a conflict marked restored with every differing field to decide; settled field by field, the platform holds both', async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();
    // The backup holds the record at rev 1. After it, the office's registrar change is applied (rev 2).
    await r.backUp();
    r.clock.advance(60_000);
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.sync()).pushed, 1);
    assert.deepEqual([(await a.reads.get(DS, id))?.rev, (await a.reads.get(DS, id))?.state], [2, 'synced']);

    await r.restoreWithNewEpoch();
    const headAt = (await r.platform.admin.getRecord(DS, id))?.updatedAt;
    // Back in service, the operators change the notes of the restored version: its rev skips the gap, above the office's.
    r.clock.advance(60_000);
    const after = await r.platform.admin.putRecord(DS, { ...national, notes: 'sửa sau khi khôi phục' }, { id, baseRev: 1 });
    assert.ok(after.rev > 2);

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.ok(run.resynced.includes(DS));
    assert.deepEqual([run.conflicts, run.resent, run.pushed], [1, 0, 0], 'the office’s lost change is not taken over silently, nor sent on its own');
    assert.equal((await a.reads.get(DS, id))?.state, 'conflict');
    const [conflict] = await a.conflicts.list({ status: 'open' });
    assert.deepEqual([conflict?.recordId, conflict?.kind, conflict?.remoteRev, conflict?.base], [id, 'fields', after.rev, null], 'the base is unknown');
    assert.deepEqual(conflict?.details.restored, { headAt }, 'the conflict says it arose from the restore');
    assert.deepEqual(
      conflict?.fields.map((f) => [f.field, f.local, f.remote]).sort(),
      [
        ['notes', national['notes'], 'sửa sau khi khôi phục'],
        ['registrar', 'Lê Văn Bình', national['registrar']],
      ],
      'every differing field is to decide: with no base, nothing says which side changed which',
    );
    assert.deepEqual(conflict?.details.autoResolved, []);
    const opened = (await a.audit.list(a.store.sql, { recordId: id })).find((e) => e.action === 'conflict.opened');
    assert.deepEqual([opened?.details['origin'], opened?.details['restored'], opened?.details['baseUnknown']], ['pull', { headAt }, true]);
    assert.equal((await r.platform.admin.getRecord(DS, id))?.rev, after.rev, 'nothing went up before a person decided');

    // The office's registrar, the operators' notes.
    const outcome = await a.conflicts.resolve(conflict?.id ?? '', { kind: 'fields', choices: { registrar: { take: 'local' }, notes: { take: 'remote' } } }, { user: 'chị Lan' });
    assert.equal(outcome, 'queued');
    assert.equal((await a.outbox.list())[0]?.baseRev, after.rev, 'sent on the platform’s rev');
    const settled = await a.sync();
    assert.deepEqual([settled.status, settled.pushed, settled.conflicts], ['ok', 1, 0], JSON.stringify(settled.errors));
    const onPlatform = await r.platform.admin.getRecord(DS, id);
    assert.deepEqual([onPlatform?.data?.['registrar'], onPlatform?.data?.['notes']], ['Lê Văn Bình', 'sửa sau khi khôi phục']);
    const local = await a.reads.get(DS, id);
    assert.deepEqual([local?.state, local?.rev, local?.data], ['synced', onPlatform?.rev, onPlatform?.data]);
    assert.equal(await a.count('outbox'), 0);
    assert.equal(settled.digests[DS]?.status, 'match');

    // A later resync with no restore (a new epoch): this office's version is one the platform holds, written before its head
    // time, so a national change of it is taken as before.
    await r.platform.admin.newEpoch();
    r.clock.advance(60_000);
    await r.platform.admin.putRecord(DS, { ...onPlatform?.data, notes: 'sửa lần nữa' }, { id, baseRev: onPlatform?.rev ?? 0 });
    const plain = await a.sync();
    assert.deepEqual([plain.status, plain.resynced.includes(DS), plain.conflicts], ['ok', true, 0], JSON.stringify(plain.errors));
    assert.deepEqual([(await a.reads.get(DS, id))?.state, (await a.reads.get(DS, id))?.data?.['notes']], ['synced', 'sửa lần nữa']);
  } finally {
    await r.close();
  }
});

test('restored (epoch new): a record another office changed after the backup, then changed by the platform’s operators before this office syncs, is taken as before, no conflict; this office’s own record, changed the same way, is a person’s to decide', async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();
    const b = await r.enrolledAgent('HN-B');
    const second = validBirth({ personalId: '001301000079', fullName: 'Phạm Thị Mai' });
    const { id: id2 } = await r.platform.admin.putRecord(DS, second);
    for (const agent of [a, b]) assert.equal((await agent.sync()).status, 'ok');

    // After the backup office A changes the first record, office B the second; A pulls B's change (rev 2, written by HN-B).
    await r.backUp();
    r.clock.advance(60_000);
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.sync()).pushed, 1);
    await b.writes.put(DS, { ...second, registrar: 'Trần Văn Đức' }, { id: id2, user: 'anh Tuấn' });
    assert.equal((await b.sync()).pushed, 1);
    assert.equal((await a.sync()).pulled, 1);
    assert.deepEqual([(await a.reads.get(DS, id2))?.rev, (await a.reads.get(DS, id2))?.data?.['registrar']], [2, 'Trần Văn Đức']);

    await r.restoreWithNewEpoch();
    // The operators change the notes of both records on the restored platform.
    r.clock.advance(60_000);
    const after = await r.platform.admin.putRecord(DS, { ...national, notes: 'sửa sau khi khôi phục' }, { id, baseRev: 1 });
    const after2 = await r.platform.admin.putRecord(DS, { ...second, notes: 'sửa sau khi khôi phục' }, { id: id2, baseRev: 1 });

    const run = await a.sync();
    assert.equal(run.status, 'ok', JSON.stringify(run.errors));
    assert.deepEqual([run.conflicts, run.resent], [1, 0], 'only office A’s own record');
    const open = await a.conflicts.list({ status: 'open' });
    assert.deepEqual(open.map((c) => c.recordId), [id]);
    const local2 = await a.reads.get(DS, id2);
    const onPlatform2 = await r.platform.admin.getRecord(DS, id2);
    assert.deepEqual([onPlatform2?.rev, onPlatform2?.data?.['registrar']], [after2.rev, second['registrar']]);
    assert.deepEqual([local2?.state, local2?.rev, local2?.data], ['synced', after2.rev, onPlatform2?.data], 'office B’s lost version is office B’s to send again; A takes the platform’s');

    // A newer national version refreshes office A's conflict judged the same way: the base is still unknown, the registrar still to decide.
    await r.platform.admin.putRecord(DS, { ...national, notes: 'sửa lần hai' }, { id, baseRev: after.rev });
    assert.equal((await a.sync()).status, 'ok');
    const [refreshed] = await a.conflicts.list({ status: 'open' });
    assert.deepEqual([refreshed?.id, refreshed?.details.restored, refreshed?.details.baseUnknown], [open[0]?.id, open[0]?.details.restored, true]);
    assert.deepEqual(refreshed?.fields.map((f) => [f.field, f.local, f.remote]).sort(), [
      ['notes', national['notes'], 'sửa lần hai'],
      ['registrar', 'Lê Văn Bình', national['registrar']],
    ]);
    assert.equal((await a.reads.get(DS, id))?.state, 'conflict');
  } finally {
    await r.close();
  }
});

test('restored (epoch new), and the platform’s operators delete a record whose change this office sent after the backup, before the office syncs: a delete against an edit, marked restored; keeping the edit sends it up again', async () => {
  const r = await restorablePlatform();
  try {
    const { a, national, id } = await r.officeHoldingRecord();
    await r.backUp();
    r.clock.advance(60_000);
    await a.writes.put(DS, { ...national, registrar: 'Lê Văn Bình' }, { id, user: 'chị Lan' });
    assert.equal((await a.sync()).pushed, 1);

    await r.restoreWithNewEpoch();
    const headAt = (await r.platform.admin.getRecord(DS, id))?.updatedAt;
    r.clock.advance(60_000);
    await r.platform.admin.deleteRecord(DS, id);

    const run = await a.sync();
    assert.deepEqual([run.status, run.conflicts, run.resent], ['ok', 1, 0], JSON.stringify(run.errors));
    const [conflict] = await a.conflicts.list({ status: 'open' });
    assert.deepEqual([conflict?.kind, conflict?.details.deletedSide, conflict?.details.restored], ['delete-vs-edit', 'remote', { headAt }]);
    assert.equal((await a.reads.get(DS, id))?.state, 'conflict', 'not swept with the delete');

    assert.equal(await a.conflicts.resolve(conflict?.id ?? '', { kind: 'keep-local' }, { user: 'chị Lan' }), 'queued');
    const settled = await a.sync();
    assert.deepEqual([settled.status, settled.pushed, settled.conflicts], ['ok', 1, 0], JSON.stringify(settled.errors));
    const onPlatform = await r.platform.admin.getRecord(DS, id);
    assert.deepEqual([onPlatform?.deleted ?? false, onPlatform?.data?.['registrar']], [false, 'Lê Văn Bình']);
    assert.equal(settled.digests[DS]?.status, 'match');
  } finally {
    await r.close();
  }
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { platformCli } from '../support/platform-cli.js';
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

    await r.restore(async () => {
      const epoch = await platformCli(r.db, ['epoch', 'new']);
      assert.equal(epoch.code, 0, epoch.err);
    });
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

    await r.restore(async () => {
      const epoch = await platformCli(r.db, ['epoch', 'new']);
      assert.equal(epoch.code, 0, epoch.err);
    });
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

import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { digestOf } from '../../sync-engine/src/protocol/digest.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { cursorState } from '../../sync-engine/src/sync/cursor-store.js';
import { localDigest } from '../../sync-engine/src/sync/digest-check.js';
import { pullDataset, type PullTotals } from '../../sync-engine/src/sync/pull-phase.js';
import { validBirth, validDossier } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

const DS = 'civil-status-births';
const BIRTHS = datasetByName(DS)!;
let f: EngineFixture;
let platform: ScriptedPlatform;
beforeEach(async () => {
  f = await openEngineFixture();
  platform = new ScriptedPlatform();
});
afterEach(async () => f.close());

const totals = (): PullTotals => ({ pulled: 0, conflicts: 0, autoMerged: 0, resent: 0, swept: 0, resynced: false });
const pull = (limit = 1000, beforeCursor?: () => void, t = totals()) =>
  pullDataset(f.ctx, platform, BIRTHS, { limit, maxPages: 100, ...(beforeCursor ? { beforeCursor } : {}) }, t);

function births(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const id = uuidv7();
    platform.put(DS, id, 1, validBirth({ registrationNumber: `P-${i}` }));
    return id;
  });
}

test('pulled pages fill the cache and the cursor follows the last page', async () => {
  births(5);
  assert.equal(await pull(2), true);
  assert.equal((await f.reads.list(DS)).total, 5);
  assert.equal((await cursorState(f.store.sql, DS)).cursor, platform.cursorAt(DS, 5));
  const [one] = (await f.reads.list(DS, { limit: 1 })).items;
  assert.equal(one?.state, 'synced');
  assert.equal(one?.rev, 1);
});

test('a page and its cursor are written together: a fault mid-page leaves neither', async () => {
  births(5);
  let pages = 0;
  const fault = () => {
    pages += 1;
    if (pages === 2) throw new Error('disk unplugged mid-page');
  };
  await assert.rejects(pull(2, fault), /disk unplugged/);
  assert.equal((await f.reads.list(DS)).total, 2, 'only the first page');
  assert.equal((await cursorState(f.store.sql, DS)).cursor, platform.cursorAt(DS, 2), 'cursor of the first page');
  // The next sync converges from there.
  assert.equal(await pull(2), true);
  assert.equal((await f.reads.list(DS)).total, 5);
  assert.equal((await cursorState(f.store.sql, DS)).cursor, platform.cursorAt(DS, 5));
});

test('a pulled change to another field merges with a pending local edit and re-queues it on the new rev', async () => {
  const id = uuidv7();
  platform.put(DS, id, 1, validBirth());
  await pull();
  await f.writes.put(DS, validBirth({ fatherName: 'Nguyễn Văn Hải' }), { id });
  const [queued] = await f.outbox.list();
  platform.put(DS, id, 2, validBirth({ motherName: 'Đặng Thị Loan' }));
  const t = totals();
  await pull(1000, undefined, t);
  assert.equal(t.autoMerged, 1);
  const record = await f.reads.get(DS, id);
  assert.equal(record?.state, 'waiting');
  assert.equal(record?.rev, 2);
  assert.equal(record?.data?.['fatherName'], 'Nguyễn Văn Hải');
  assert.equal(record?.data?.['motherName'], 'Đặng Thị Loan');
  const [entry] = await f.outbox.list();
  assert.equal(entry?.baseRev, 2);
  assert.equal(entry?.data?.['motherName'], 'Đặng Thị Loan');
  assert.notEqual(entry?.mutationId, queued?.mutationId);
});

test('a pulled change to the same field never overwrites the local edit: it opens a conflict', async () => {
  const id = uuidv7();
  platform.put(DS, id, 1, validBirth());
  await pull();
  await f.writes.put(DS, validBirth({ registrar: 'Lê Văn Bình' }), { id });
  platform.put(DS, id, 2, validBirth({ registrar: 'Hoàng Minh Đức' }));
  const t = totals();
  await pull(1000, undefined, t);
  assert.equal(t.conflicts, 1);
  const record = await f.reads.get(DS, id);
  assert.equal(record?.state, 'conflict');
  assert.equal(record?.data?.['registrar'], 'Lê Văn Bình', 'local edit kept');
  assert.equal(record?.rev, 1, 'base unchanged until a person decides');
  const [conflict] = await f.conflicts.list({ status: 'open' });
  assert.equal(conflict?.remote?.data?.['registrar'], 'Hoàng Minh Đức');
  assert.equal(await f.count('outbox'), 0);

  // A newer platform version that agrees with this office settles it on its own.
  platform.put(DS, id, 3, validBirth({ registrar: 'Lê Văn Bình' }));
  await pull();
  assert.equal((await f.reads.get(DS, id))?.state, 'synced');
  assert.equal((await f.conflicts.get(conflict!.id))?.status, 'resolved');
});

test('a tombstone deletes a synced record, and is a delete-vs-edit conflict against a local edit', async () => {
  const [a, b] = births(2) as [string, string];
  await pull();
  await f.writes.put(DS, validBirth({ notes: 'đã sửa' }), { id: b });
  platform.tombstone(DS, a, 2);
  platform.tombstone(DS, b, 2);
  await pull();
  assert.equal(await f.reads.get(DS, a), null);
  assert.equal((await f.reads.get(DS, b))?.state, 'conflict');
  const [conflict] = await f.conflicts.list({ status: 'open' });
  assert.equal(conflict?.kind, 'delete-vs-edit');
  assert.equal(conflict?.details.deletedSide, 'remote');
});

test('a record leaving the scope is dropped from the cache unless it has a pending change', async () => {
  const [a, b] = births(2) as [string, string];
  await pull();
  await f.writes.put(DS, validBirth({ notes: 'chưa gửi' }), { id: b });
  platform.remove(DS, a);
  platform.remove(DS, b);
  await pull();
  assert.equal(await f.reads.get(DS, a), null);
  assert.equal((await f.reads.get(DS, b))?.state, 'waiting', 'the pending change still goes to the platform');
  assert.equal(await f.count('outbox'), 1);
});

test('after 410 the agent pulls from the beginning, keeps its outbox and local edits, and drops what the snapshot lacks', async () => {
  const [kept, gone, edited] = births(3) as [string, string, string];
  await pull();
  await f.writes.put(DS, validBirth({ notes: 'sửa tại xã' }), { id: edited });
  const created = (await f.writes.put(DS, validBirth({ personalId: '001301077777' }))).record.id;
  const outboxBefore = await f.outbox.list();

  // The platform purges: `gone` and `edited` were deleted there and their tombstones forgotten.
  platform.purge(DS, () => platform.put(DS, kept, 2, validBirth({ registrationNumber: 'P-0', registrar: 'Trần Minh Châu' })));
  const t = totals();
  assert.equal(await pull(1000, undefined, t), true);
  assert.equal(t.resynced, true);

  assert.equal((await f.reads.get(DS, kept))?.rev, 2);
  assert.equal(await f.reads.get(DS, gone), null, 'not in the snapshot, nothing pending: dropped');
  assert.equal((await f.reads.get(DS, edited))?.data?.['notes'], 'sửa tại xã', 'local edit kept');
  assert.equal((await f.reads.get(DS, created))?.state, 'waiting', 'local create kept');
  assert.deepEqual(
    (await f.outbox.list()).map((e) => e.mutationId),
    outboxBefore.map((e) => e.mutationId),
    'outbox untouched',
  );
  const state = await cursorState(f.store.sql, DS);
  assert.equal(state.resyncing, false);
  assert.equal(state.cursor, platform.cursorAt(DS, 1));
  assert.ok((await f.audit.list(f.store.sql)).some((e) => e.action === 'resync'));
});

test('a resync interrupted by a crash still sweeps when it finishes', async () => {
  const [, gone] = births(3) as [string, string, string];
  await pull();
  platform.purge(DS, () => {
    for (let i = 0; i < 4; i += 1) platform.put(DS, uuidv7(), 1, validBirth({ registrationNumber: `N-${i}` }));
  });
  let pages = 0;
  await assert.rejects(
    pull(2, () => {
      pages += 1;
      if (pages === 2) throw new Error('crash');
    }),
    /crash/,
  );
  assert.equal((await cursorState(f.store.sql, DS)).resyncing, true);
  await pull(2);
  assert.equal(await f.reads.get(DS, gone), null);
  assert.equal((await f.reads.list(DS)).total, 4);
});

test('the local digest equals the protocol digest of the records held', async () => {
  const ids = births(40);
  platform.put(DS, ids[0]!, 7, validBirth({ registrationNumber: 'P-0b' }));
  platform.tombstone(DS, ids[1]!, 2);
  await pull(7);
  const held = (await f.reads.list(DS, { limit: 1000 })).items.map((r) => ({ id: r.id, rev: r.rev ?? 0 }));
  assert.equal(held.length, 39);
  assert.deepEqual(await localDigest(f.store.sql, DS), digestOf(held));
  assert.deepEqual(await localDigest(f.store.sql, DS), { count: 39, digest: (await platform.digest(DS)).digest });
});

test('a pulled change older than the cached rev is ignored', async () => {
  const id = uuidv7();
  await seedSynced(f, DS, id, validBirth({ notes: 'mới' }), 5);
  platform.put(DS, id, 3, validBirth({ notes: 'cũ' }));
  await pull();
  const record = await f.reads.get(DS, id);
  assert.equal(record?.rev, 5);
  assert.equal(record?.data?.['notes'], 'mới');
});

test('a resync whose snapshot holds a record in conflict at the version the conflict was judged against keeps the conflict as it was, the record in scope', async () => {
  const id = uuidv7();
  platform.put(DS, id, 1, validBirth());
  await pull();
  await f.writes.put(DS, validBirth({ registrar: 'Lê Văn Bình' }), { id });
  platform.put(DS, id, 2, validBirth({ registrar: 'Hoàng Minh Đức' }));
  await pull();
  const [conflict] = await f.conflicts.list({ status: 'open' });
  assert.equal(conflict?.remoteRev, 2);

  // The platform purges its feed; its snapshot still holds the record, at the version the conflict shows.
  platform.purge(DS, () => platform.put(DS, id, 2, validBirth({ registrar: 'Hoàng Minh Đức' })));
  const t = totals();
  assert.equal(await pull(1000, undefined, t), true);
  assert.equal(t.resynced, true);

  assert.equal((await f.reads.get(DS, id))?.state, 'conflict');
  assert.equal(await f.count('left_scope'), 0, 'the snapshot holds the record: it did not leave the scope');
  const resync = (await f.audit.list(f.store.sql)).find((e) => e.action === 'resync');
  assert.equal(resync?.details['keptLeftScope'], undefined);
  // This office's edit can still be kept: it goes up on the platform's rev.
  assert.equal(await f.conflicts.resolve(conflict!.id, { kind: 'keep-local' }), 'queued');
  const [entry] = await f.outbox.list();
  assert.equal(entry?.baseRev, 2);
  assert.equal(entry?.data?.['registrar'], 'Lê Văn Bình');
});

test('a national change of a record held as a possible duplicate is merged, not skipped for the other record\'s rev', async () => {
  const id = uuidv7();
  const existingId = uuidv7();
  platform.put(DS, id, 1, validBirth({ registrationNumber: 'A-1', personalId: '001301054321' }));
  for (let rev = 1; rev <= 5; rev += 1) platform.put(DS, existingId, rev, validBirth({ registrationNumber: 'B-1' }));
  await pull();
  // This office corrects the personal ID to one the platform already holds for another child.
  await f.writes.put(DS, validBirth({ registrationNumber: 'A-1' }), { id });
  const reject = async () => {
    const batch = await f.outbox.nextBatch(10);
    assert.equal(batch.entries.length, 1);
    await batch.complete([
      { mutationId: batch.entries[0]!.mutationId, status: 'rejected', errors: [{ path: '/personalId', code: 'unique', message: 'dup' }], existingId },
    ]);
  };
  await reject();
  assert.equal((await f.conflicts.list({ status: 'open' }))[0]?.kind, 'possible-duplicate');

  // Meanwhile the platform changes the registrar of this record (rev 2, below the other record's rev 5).
  platform.put(DS, id, 2, validBirth({ registrationNumber: 'A-1', personalId: '001301054321', registrar: 'Hoàng Minh Đức' }));
  await pull();
  const merged = await f.reads.get(DS, id);
  assert.equal(merged?.rev, 2, 'the record moved onto the platform\'s version');
  assert.equal(merged?.data?.['registrar'], 'Hoàng Minh Đức', 'the national change is kept');
  assert.equal(merged?.data?.['personalId'], '001301012345', 'this office\'s change is kept');

  // Sent again, the platform still finds the other child: the person decides, on the current version.
  await reject();
  const [conflict] = await f.conflicts.list({ status: 'open' });
  assert.equal(conflict?.kind, 'possible-duplicate');
  assert.equal(await f.conflicts.resolve(conflict!.id, { kind: 'discard-local' }), 'discarded');
  const settled = await f.reads.get(DS, id);
  assert.equal(settled?.state, 'synced');
  assert.equal(settled?.rev, 2);
  assert.equal(settled?.data?.['registrar'], 'Hoàng Minh Đức');
  assert.equal(settled?.data?.['personalId'], '001301054321');
});

test('a merge that validation refuses goes to a person with the fields each side changed, not those both sides changed to the same value', async () => {
  const DOSSIERS = datasetByName('procedure-dossiers')!;
  const id = uuidv7();
  const dossier = (overrides: Record<string, unknown> = {}) => validDossier({ provinceCode: '01', communeCode: '00004', ...overrides });
  platform.put(DOSSIERS.name, id, 1, dossier());
  const pullDossiers = () => pullDataset(f.ctx, platform, DOSSIERS, { limit: 1000, maxPages: 100 }, totals());
  await pullDossiers();
  // Here the appointment is brought forward; nationally the dossier is received later: each valid alone, not together.
  await f.writes.put(DOSSIERS.name, dossier({ appointmentAt: '2025-07-02T02:00:00Z', handler: 'Ngô Văn Tú' }), { id });
  platform.put(DOSSIERS.name, id, 2, dossier({ receivedAt: '2025-07-02T08:00:00Z', handler: 'Ngô Văn Tú' }));
  await pullDossiers();
  const [conflict] = await f.conflicts.list({ status: 'open' });
  assert.equal(conflict?.kind, 'fields');
  assert.deepEqual(conflict?.fields.map((x) => x.field).sort(), ['appointmentAt', 'receivedAt'], 'the handler, the same on both sides, is no conflict');
  // Choosing for the fields shown settles it; the handler both sides agree on is kept.
  const outcome = await f.conflicts.resolve(conflict!.id, { kind: 'fields', choices: { appointmentAt: { take: 'remote' }, receivedAt: { take: 'remote' } } });
  assert.equal(outcome, 'adopted-remote');
  assert.equal((await f.reads.get(DOSSIERS.name, id))?.data?.['handler'], 'Ngô Văn Tú');
});

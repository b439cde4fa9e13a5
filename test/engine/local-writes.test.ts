import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { adminUnitsDataset } from '../../sync-engine/src/protocol/datasets/index.js';
import { LocalWriteRefused, ValidationFailed } from '../../sync-engine/src/records/write-errors.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

let f: EngineFixture;
before(async () => {
  f = await openEngineFixture();
});
after(async () => f.close());
beforeEach(async () => {
  await f.store.transaction(async (tx) => {
    for (const table of ['records', 'outbox', 'conflicts']) await tx.run(`DELETE FROM "${table}"`);
  });
});

async function counts() {
  return { records: await f.count('records'), outbox: await f.count('outbox'), audit: await f.count('audit_log') };
}

test('an invalid record is refused with vi/en messages and nothing is written', async () => {
  const before = await counts();
  await assert.rejects(f.writes.put('civil-status-births', validBirth({ personalId: '12', communeCode: '99999' })), (error: unknown) => {
    assert.ok(error instanceof ValidationFailed);
    assert.equal(error.code, 'invalid');
    assert.ok(error.errors.length >= 2);
    for (const e of error.errors) {
      assert.ok(e.messages?.vi && e.messages.en, `${e.code} carries both languages`);
    }
    assert.ok(error.errors.some((e) => e.path === '/personalId'));
    return true;
  });
  assert.deepEqual(await counts(), before);
});

test('a record outside the site scope is refused before it can be rejected later', async () => {
  const before = await counts();
  await assert.rejects(f.writes.put('civil-status-births', validBirth({ provinceCode: '79', communeCode: '25747' })), (error: unknown) => {
    assert.ok(error instanceof ValidationFailed);
    assert.ok(error.errors.some((e) => e.code === 'out_of_scope' && /ngoài phạm vi/.test(e.messages?.vi ?? '')));
    return true;
  });
  assert.deepEqual(await counts(), before);
});

test('an unknown or read-only dataset is refused with a clear reason', async () => {
  await assert.rejects(f.writes.put('no-such-dataset', {}), (e: unknown) => e instanceof LocalWriteRefused && e.code === 'unknown_dataset');
  await assert.rejects(
    f.writes.put('admin-units', { code: '00004' }),
    (e: unknown) => e instanceof LocalWriteRefused && e.code === 'read_only' && /chỉ được xem/.test(e.messages.vi),
  );
});

test('a read-only dataset is named by its title, not its internal name, in both languages', async () => {
  await assert.rejects(f.writes.put('admin-units', { code: '00004' }), (e: unknown) => {
    assert.ok(e instanceof LocalWriteRefused);
    assert.equal(e.messages.vi, `Bộ dữ liệu "${adminUnitsDataset.title.vi}" chỉ được xem, không được sửa tại đơn vị.`);
    assert.equal(e.messages.en, `The dataset "${adminUnitsDataset.title.en}" is read-only for this office.`);
    assert.doesNotMatch(`${e.messages.vi} ${e.messages.en}`, /admin-units/);
    return true;
  });
});

test('a valid create writes the record waiting, one outbox entry and one audit event in one go', async () => {
  const before = await counts();
  const { record, changed } = await f.writes.put('civil-status-births', validBirth(), { user: 'chị Lan' });
  assert.equal(changed, true);
  assert.equal(record.state, 'waiting');
  assert.equal(record.rev, null);
  assert.match(record.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  assert.deepEqual(await counts(), { records: before.records + 1, outbox: before.outbox + 1, audit: before.audit + 1 });
  const [entry] = await f.outbox.list();
  assert.equal(entry?.op, 'upsert');
  assert.equal(entry?.baseRev, null);
  assert.equal(entry?.status, 'queued');
  const [event] = await f.audit.list(f.store.sql, { limit: 1 });
  assert.equal(event?.action, 'local.put');
  assert.equal(event?.actor, 'chị Lan');
});

test('edits before the first push coalesce into one entry; create then delete leaves nothing', async () => {
  const { record } = await f.writes.put('civil-status-births', validBirth());
  await f.writes.put('civil-status-births', validBirth({ notes: 'sửa lần 1' }), { id: record.id });
  await f.writes.put('civil-status-births', validBirth({ notes: 'sửa lần 2' }), { id: record.id });
  const entries = await f.outbox.list();
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.data?.['notes'], 'sửa lần 2');
  assert.equal(entries[0]?.baseRev, null);

  assert.equal((await f.writes.delete('civil-status-births', record.id)).sent, false, 'nothing goes to the platform');
  assert.equal(await f.count('outbox'), 0);
  assert.equal(await f.reads.get('civil-status-births', record.id), null);
});

test('an edit made while the previous change is in flight is appended, never merged into it', async () => {
  const { record } = await f.writes.put('civil-status-births', validBirth());
  const batch = await f.outbox.nextBatch(10);
  assert.equal(batch.entries.length, 1);
  await f.writes.put('civil-status-births', validBirth({ notes: 'sau khi gửi' }), { id: record.id });
  assert.equal((await f.writes.delete('civil-status-births', record.id)).sent, true, 'the deletion goes after the create in flight');
  const entries = await f.outbox.list();
  assert.equal(entries.length, 2);
  assert.equal(entries[0]?.status, 'in_flight');
  assert.equal(entries[0]?.data?.['notes'], undefined, 'the sent entry is untouched');
  assert.equal(entries[1]?.op, 'delete', 'create in flight + delete keeps a delete to send');
});

test('deleting a record whose sent create was refused and whose edit was never sent keeps it as a delete to settle', async () => {
  const { record } = await f.writes.put('civil-status-births', validBirth());
  await f.outbox.nextBatch(10);
  await f.writes.put('civil-status-births', validBirth({ notes: 'sau khi gửi' }), { id: record.id });
  // The platform refused the create that was in flight: its entry is quarantined, the edit is still queued.
  await f.store.transaction((tx) => tx.run(`UPDATE "outbox" SET "status" = 'quarantined' WHERE "seq" = (SELECT MIN("seq") FROM "outbox")`));

  assert.equal((await f.writes.delete('civil-status-births', record.id)).sent, false, 'nothing is sent: the refused create waits for a person');
  const entries = await f.outbox.list();
  assert.deepEqual(
    entries.map((e) => e.status),
    ['quarantined'],
    'the queued edit is dropped; the refused create stays for a person to settle',
  );
  const kept = await f.reads.get('civil-status-births', record.id);
  assert.equal(kept?.deleted, true);
  assert.equal(kept?.state, 'waiting');
});

test('a write that fails part-way leaves nothing behind, and the next write goes through', async () => {
  const before = await counts();
  await f.store.transaction((tx) =>
    tx.run(`CREATE TRIGGER "refuse_audit" BEFORE INSERT ON "audit_log" BEGIN SELECT RAISE(ABORT, 'audit refused'); END`),
  );
  try {
    await assert.rejects(f.writes.put('civil-status-births', validBirth()), /audit refused/);
  } finally {
    await f.store.transaction((tx) => tx.run(`DROP TRIGGER "refuse_audit"`));
  }
  assert.deepEqual(await counts(), before, 'the record and its outbox entry were rolled back with the audit event');

  await f.writes.put('civil-status-births', validBirth());
  assert.deepEqual(await counts(), { records: before.records + 1, outbox: before.outbox + 1, audit: before.audit + 1 });
});

test('writing the same data again changes nothing', async () => {
  const { record } = await f.writes.put('civil-status-births', validBirth());
  const before = await counts();
  const again = await f.writes.put('civil-status-births', validBirth(), { id: record.id });
  assert.equal(again.changed, false);
  assert.deepEqual(await counts(), before);
});

test('a record with an open conflict cannot be edited until the conflict is settled', async () => {
  const { record } = await f.writes.put('civil-status-births', validBirth());
  await f.store.transaction((tx) => tx.run(`UPDATE "records" SET "state" = 'conflict' WHERE "id" = ?`, [record.id]));
  await assert.rejects(
    f.writes.put('civil-status-births', validBirth({ notes: 'x' }), { id: record.id }),
    (e: unknown) => e instanceof LocalWriteRefused && e.code === 'conflict_open',
  );
});

test('reads list by state with paging, offline', async () => {
  for (let i = 0; i < 5; i += 1) {
    f.clock.advance(1000);
    await f.writes.put('civil-status-births', validBirth({ registrationNumber: `R-${i}` }));
  }
  const page = await f.reads.list('civil-status-births', { state: 'waiting', limit: 2, offset: 0 });
  assert.equal(page.total, 5);
  assert.equal(page.items.length, 2);
  assert.equal(page.items[0]?.data?.['registrationNumber'], 'R-4', 'newest first');
  const counts = await f.reads.countsByState('civil-status-births');
  assert.equal(counts.waiting, 5);
  assert.equal(counts.synced, 0);
});

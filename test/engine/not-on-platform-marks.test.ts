import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { commands } from '../../sync-engine/src/api/contract.js';
import { insertEntry } from '../../sync-engine/src/outbox/outbox-entries.js';
import type { MutationResult } from '../../sync-engine/src/protocol/push.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { outboxEntryViews, recordViewsWithErrors } from '../../sync-engine/src/service/record-views.js';
import { BIRTHS, validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';
import { refusal } from './support/refusal.js';

// The platform answered a held-back change of a record that it no longer holds (`not_found`): the engine
// refuses every further change of that record, whichever of its entries or doors (outbox.retry by seq,
// records.put / records.delete). The views the window reads say the same, per record: the record view
// (records.list / records.get) so its form opens read-only, and every outbox entry of the record, so the
// window offers no retry the engine refuses.

const DS = 'civil-status-births';
let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
});
afterEach(async () => f.close());

const rejected = (mutationId: string, path: string, code: string, message: string): MutationResult => ({ mutationId, status: 'rejected', errors: [{ path, code, message }] });

test('a record with two held-back changes, only one answered not_found: both outbox entries say notOnPlatform, as the engine judges the retry of either', async () => {
  const [gone, ruled, near] = [uuidv7(), uuidv7(), uuidv7()];
  for (const id of [gone, ruled, near]) await seedSynced(f, DS, id, validBirth({ fullName: 'Vũ Thị Mai' }), 1);
  await f.writes.put(DS, validBirth({ fullName: 'Vũ Thị Mai', registrar: 'Cán bộ mới' }), { id: gone });
  await f.writes.put(DS, validBirth({ fullName: 'Vũ Thị Mai', registrar: 'Cán bộ mới' }), { id: ruled });
  // The platform holds both back for a rule it checks on its side.
  const batch = await f.outbox.nextBatch(10);
  await batch.complete(batch.entries.map((e) => rejected(e.mutationId, '/registrar', 'rule', 'registrar not on the roster yet')));
  // A second held-back change of `gone`, answered not_found (the record's deletion was purged there). The engine's
  // own flows leave one held-back entry per record (a newer change replaces or supersedes it), but the engine
  // judges the record, whichever entry is named, and so must the views.
  await f.store.transaction((tx) =>
    insertEntry(tx, {
      mutationId: uuidv7(),
      dataset: DS,
      recordId: gone,
      change: { op: 'upsert', baseRev: 1, data: validBirth({ fullName: 'Vũ Thị Mai', notes: 'xã sửa lần 2' }) },
      status: 'quarantined',
      errors: [{ path: '', code: 'not_found', message: 'The record does not exist on the platform.' }],
      createdAt: '2025-10-01T02:30:00Z',
    }),
  );

  const held = await f.outbox.list({ status: 'quarantined' });
  const views = commands['outbox.list'].output.parse({ items: await outboxEntryViews(f.store.sql, held, new Map([[DS, BIRTHS]])), total: held.length }).items;
  assert.deepEqual(
    views.map((v) => ({ recordId: v.recordId, codes: v.errors.map((e) => e.code), notOnPlatform: v.notOnPlatform, nationalVersion: v.nationalVersion })),
    [
      // The first entry of `gone` was answered for a rule only; its record is not on the platform all the same.
      { recordId: gone, codes: ['rule'], notOnPlatform: true, nationalVersion: false },
      { recordId: ruled, codes: ['rule'], notOnPlatform: false, nationalVersion: true },
      { recordId: gone, codes: ['not_found'], notOnPlatform: true, nationalVersion: false },
    ],
  );
  // The engine judges the retry of either entry of `gone` the same way: refused.
  for (const view of views.filter((v) => v.recordId === gone)) assert.equal((await refusal(f.outbox.retry(view.seq, 'chị Lan'))).code, 'not_on_platform');
});

test('records.list and records.get carry notOnPlatform for a record whose held-back change the platform answered not_found, looked up once per page', async () => {
  const [gone, ruled, near] = [uuidv7(), uuidv7(), uuidv7()];
  for (const id of [gone, ruled, near]) await seedSynced(f, DS, id, validBirth({ fullName: 'Vũ Thị Mai' }), 1);
  await f.writes.put(DS, validBirth({ fullName: 'Vũ Thị Mai', registrar: 'Cán bộ mới' }), { id: gone });
  await f.writes.put(DS, validBirth({ fullName: 'Vũ Thị Mai', registrar: 'Cán bộ mới' }), { id: ruled });
  const batch = await f.outbox.nextBatch(10);
  await batch.complete(
    batch.entries.map((e) =>
      e.recordId === gone
        ? rejected(e.mutationId, '', 'not_found', 'The record does not exist on the platform.')
        : rejected(e.mutationId, '/registrar', 'rule', 'registrar not on the roster yet'),
    ),
  );

  // A record's read and the records list (recordViewsWithErrors) carry the mark: the form opens read-only.
  const records = await Promise.all([gone, ruled, near].map(async (id) => (await f.reads.get(DS, id))!));
  const shown = (await recordViewsWithErrors(f.store.sql, records)).map((v) => commands['records.get'].output.parse(v));
  assert.deepEqual(
    shown.map((v) => [v?.id, v?.state, v?.notOnPlatform]),
    [
      [gone, 'rejected', true],
      [ruled, 'rejected', false],
      [near, 'synced', false],
    ],
  );
  const page = await f.search.searchRecords(DS, 'Vũ Thị Mai');
  assert.equal(page.items.length, 3);
  const listed = await recordViewsWithErrors(f.store.sql, page.items);
  assert.deepEqual(listed.filter((v) => v.notOnPlatform).map((v) => v.id), [gone]);

  // records.list is a hot path: as many statements for a page of three as for one record, none per row.
  const statements = async (rows: typeof records) => {
    let n = 0;
    const counted = new Proxy(f.store.sql, {
      get: (target, key) => (key === 'all' ? (...args: Parameters<typeof target.all>) => (n++, target.all(...args)) : Reflect.get(target, key)),
    });
    await recordViewsWithErrors(counted, rows);
    return n;
  };
  const one = await statements(records.filter((r) => r.id === gone));
  assert.ok(one > 0);
  assert.equal(await statements(page.items), one);
});

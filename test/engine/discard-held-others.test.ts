import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { commands } from '../../sync-engine/src/api/contract.js';
import { insertEntry } from '../../sync-engine/src/outbox/outbox-entries.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { outboxEntryViews } from '../../sync-engine/src/service/record-views.js';
import { BIRTHS, validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';

// Discarding a held-back change (outbox.discard) drops every held-back change of its record. The held-back
// list is read a page at a time (the Outbox screen's 100), so the confirmation learns how many others go with
// it from the engine (`othersHeld` on each listed entry), counted over the whole outbox, never from the page.

const DS = 'civil-status-births';
let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
});
afterEach(async () => f.close());

async function hold(recordId: string, notes: string): Promise<void> {
  await f.store.transaction((tx) =>
    insertEntry(tx, {
      mutationId: uuidv7(),
      dataset: DS,
      recordId,
      change: { op: 'upsert', baseRev: 1, data: validBirth({ fullName: 'Vũ Thị Mai', notes }) },
      status: 'quarantined',
      errors: [{ path: '/registrar', code: 'rule', message: 'registrar not on the roster yet' }],
      createdAt: '2025-10-01T02:30:00Z',
    }),
  );
}

test('a held-back change on page 1 counts its record\'s other held-back change on page 2, and discarding it drops both', async () => {
  const first = uuidv7();
  const between = Array.from({ length: 120 }, () => uuidv7());
  for (const id of [first, ...between]) await seedSynced(f, DS, id, validBirth({ fullName: 'Vũ Thị Mai' }), 1);
  await hold(first, 'xã sửa lần 1');
  for (const id of between) await hold(id, 'xã sửa');
  // The second held-back change of `first`, 122nd in the list: on page 2.
  await hold(first, 'xã sửa lần 2');

  const pageOf = async (offset: number) => {
    const entries = await f.outbox.list({ status: 'quarantined', offset, limit: 100 });
    return commands['outbox.list'].output.parse({ items: await outboxEntryViews(f.store.sql, entries, new Map([[DS, BIRTHS]])), total: 122 }).items;
  };
  const [page1, page2] = [await pageOf(0), await pageOf(100)];
  const shown = page1.find((v) => v.recordId === first)!;
  assert.equal(page1.filter((v) => v.recordId === first).length, 1, 'only one change of the record on page 1');
  assert.equal(shown.othersHeld, 1, 'the other held-back change, on page 2, is counted');
  assert.equal(page2.find((v) => v.recordId === first)?.othersHeld, 1);
  assert.deepEqual(new Set(page1.filter((v) => v.recordId !== first).map((v) => v.othersHeld)), new Set([0]));

  // As the confirmation says: both go.
  const outcome = await f.outbox.discard(shown.seq, 'chị Lan');
  assert.equal(outcome.discarded, 2);
  assert.equal((await f.outbox.list({ status: 'quarantined', offset: 0, limit: 1000 })).filter((e) => e.recordId === first).length, 0);
});

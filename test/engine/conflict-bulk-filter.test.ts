import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { matchingSummary, resolveMatchingPage, type ConflictFilterOf, type MatchingPage } from '../../sync-engine/src/conflicts/bulk-by-filter.js';
import { upsertOpenConflict, type ConflictKind } from '../../sync-engine/src/conflicts/conflict-rows.js';
import type { ConflictResolution } from '../../sync-engine/src/conflicts/conflicts.js';
import { markLeftScope } from '../../sync-engine/src/records/left-scope.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';

/**
 * A provincial office back after two weeks offline: 1,500 alike conflicts (the national side re-coded communes
 * after a merger) settled by one take of all the filter holds, a page at a time, none of them settled blindly.
 */
const BIRTHS = 'civil-status-births';
const DOSSIERS = 'procedure-dossiers';
let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
});
afterEach(async () => f.close());

const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(4, '0')}`;

/** Opens (or refreshes, a newer national version at `rev`) the conflict of record `recordId`. */
async function conflictOf(dataset: string, recordId: string, conflictId: string, kind: ConflictKind = 'fields', rev = 2, alsoRegistrar = false): Promise<void> {
  const side = (commune: string) => ({ data: validBirth({ placeOfBirthCommuneCode: commune }), deleted: false });
  await f.store.transaction(async (tx) => {
    await upsertOpenConflict(
      tx,
      {
        dataset,
        recordId,
        kind,
        base: side('00004'),
        local: side('00008'),
        remote: side(`1${String(rev).padStart(4, '0')}`),
        remoteRev: rev,
        fields: [
          { field: 'placeOfBirthCommuneCode', base: '00004', local: '00008', remote: `1${String(rev).padStart(4, '0')}` },
          ...(alsoRegistrar ? [{ field: 'registrar', base: 'Trần Minh Châu', local: 'Cán bộ xã', remote: 'Cán bộ quốc gia' }] : []),
        ],
        details: {},
        existingId: null,
      },
      () => conflictId,
      new Date(f.clock.now()).toISOString(),
    );
  });
}

/** Every page of a take by filter, as the window goes through them; `between` runs after each page. */
async function takeAll(filter: ConflictFilterOf, resolution: ConflictResolution, through: number, between: (page: number) => Promise<void> = async () => {}) {
  const pages: MatchingPage[] = [];
  let after: string | undefined;
  do {
    const page = await resolveMatchingPage(f.store, f.conflicts, filter, resolution, { through, after, limit: 200, user: 'chị Lan' });
    pages.push(page);
    after = page.next ?? undefined;
    await between(pages.length);
  } while (after !== undefined);
  return pages;
}

const openIds = async (filter: ConflictFilterOf) => (await f.conflicts.list({ status: 'open', ...filter, limit: 1000 })).map((c) => c.id).sort();

test('a take of all 1,500 alike conflicts a filter holds settles every one counted, a page at a time, and nothing the filter leaves out', async () => {
  for (let i = 0; i < 1500; i++) await conflictOf(BIRTHS, id('b', i), id('cb', i));
  for (let i = 0; i < 20; i++) await conflictOf(BIRTHS, id('d', i), id('cd', i), 'possible-duplicate');
  for (let i = 0; i < 30; i++) await conflictOf(DOSSIERS, id('p', i), id('cp', i));

  assert.deepEqual(await matchingSummary(f.store, { dataset: BIRTHS, kind: 'fields' }), { total: 1500, bulkable: 1500, leftScope: 0, duplicates: 0, through: 1550 });
  const births = await matchingSummary(f.store, { dataset: BIRTHS });
  assert.deepEqual([births.total, births.bulkable, births.duplicates], [1520, 1500, 20], 'possible duplicates are counted apart, never taken in bulk');

  const pages = await takeAll({ dataset: BIRTHS }, { kind: 'take-remote' }, births.through);
  assert.equal(pages.length, 8, '1,500 in pages of 200');
  assert.ok(pages.every((p) => p.results.length <= 200));
  assert.equal(pages.flatMap((p) => p.results).filter((r) => r.ok).length, 1500);
  assert.deepEqual(pages.at(-1)?.changedSince, []);
  assert.deepEqual(await openIds({ dataset: BIRTHS }), Array.from({ length: 20 }, (_, i) => id('cd', i)), 'the possible duplicates stay open');
  assert.equal((await openIds({ dataset: DOSSIERS })).length, 30, 'another dataset is untouched');
  const audited = await f.store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "audit_log" WHERE "action" = 'conflict.resolved' AND "actor" = 'chị Lan'`);
  assert.equal(audited?.n, 1500, 'each decision audited with who');
});

test('a conflict a newer national version refreshed after the count is left open and said, one opened since is not touched, one settled elsewhere is not read', async () => {
  for (let i = 0; i < 450; i++) await conflictOf(BIRTHS, id('b', i), id('cb', i));
  const { through, bulkable } = await matchingSummary(f.store, { dataset: BIRTHS, kind: 'fields' });
  assert.equal(bulkable, 450);
  // After the count, before the take: a newer national version of two, another window settles one, a new one opens.
  await conflictOf(BIRTHS, id('b', 5), id('cb', 5), 'fields', 3);
  await conflictOf(BIRTHS, id('b', 6), id('cb', 6), 'fields', 3);
  await f.conflicts.resolve(id('cb', 7), { kind: 'keep-local' }, { user: 'anh Tuấn' });
  await conflictOf(BIRTHS, id('b', 900), id('cb', 900));
  // During the take, between its first and second page: a newer national version of one its later pages hold.
  const pages = await takeAll({ dataset: BIRTHS, kind: 'fields' }, { kind: 'take-remote' }, through, async (page) => {
    if (page === 1) await conflictOf(BIRTHS, id('b', 420), id('cb', 420), 'fields', 4);
  });
  const settled = pages.flatMap((p) => p.results).filter((r) => r.ok);
  assert.equal(settled.length, 450 - 4, 'all but the three refreshed and the one settled elsewhere');
  const last = pages.at(-1)!;
  assert.deepEqual(
    last.changedSince,
    [id('cb', 5), id('cb', 6), id('cb', 420)].map((c) => ({ id: c, leftFilter: false })),
  );
  assert.equal(last.newSince, 1);
  assert.deepEqual(await openIds({ dataset: BIRTHS }), [id('cb', 5), id('cb', 6), id('cb', 420), id('cb', 900)]);
  const other = await f.conflicts.get(id('cb', 7));
  assert.equal(other?.resolution?.['user'], 'anh Tuấn', 'the one settled elsewhere keeps its decision');
});

test("a take of this office's side leaves open, and says, the conflicts whose record left this office's scope; the count says how many beforehand", async () => {
  for (let i = 0; i < 250; i++) {
    await seedSynced(f, BIRTHS, id('b', i), validBirth({ placeOfBirthCommuneCode: '00004' }), 1);
    await conflictOf(BIRTHS, id('b', i), id('cb', i));
  }
  await f.store.transaction((tx) => markLeftScope(tx, BIRTHS, [id('b', 3), id('b', 230)], new Date(f.clock.now()).toISOString()));
  const summary = await matchingSummary(f.store, { dataset: BIRTHS, kind: 'fields' });
  assert.deepEqual([summary.bulkable, summary.leftScope], [250, 2]);
  const pages = await takeAll({ dataset: BIRTHS, kind: 'fields' }, { kind: 'keep-local' }, summary.through);
  const refused = pages.flatMap((p) => p.results).filter((r) => !r.ok);
  assert.deepEqual(
    refused.map((r) => [r.id, !r.ok && (r.error as { code?: string }).code]),
    [
      [id('cb', 3), 'left_scope'],
      [id('cb', 230), 'left_scope'],
    ],
  );
  assert.equal(pages.flatMap((p) => p.results).filter((r) => r.ok).length, 248);
  assert.deepEqual(await openIds({ dataset: BIRTHS }), [id('cb', 3), id('cb', 230)]);
  // A later page goes on past the refused ones: they are not tried again and again.
  assert.equal(pages.length, 2);
});

test('a take of one field alone covers only the conflicts whose one conflicting field it is: one with another field to decide is not counted, listed or settled', async () => {
  for (let i = 0; i < 300; i++) await conflictOf(BIRTHS, id('b', i), id('cb', i), 'fields', 2, i % 3 === 0);
  const field = 'placeOfBirthCommuneCode';
  const listed = await f.conflicts.list({ status: 'open', dataset: BIRTHS, field, limit: 1000 });
  assert.equal(listed.length, 200, 'the 100 with the registrar to decide too are not listed');
  assert.ok(listed.every((c) => c.fields.length === 1 && c.fields[0]!.field === field));
  assert.equal(await f.conflicts.count({ status: 'open', dataset: BIRTHS, field }), 200);
  assert.equal(await f.conflicts.count({ status: 'open', dataset: BIRTHS, field: 'registrar' }), 0, 'registrar is never the one field to decide');
  const { bulkable, through } = await matchingSummary(f.store, { dataset: BIRTHS, field });
  assert.equal(bulkable, 200);
  await takeAll({ dataset: BIRTHS, field }, { kind: 'take-remote' }, through);
  const open = await f.conflicts.list({ status: 'open', dataset: BIRTHS, limit: 1000 });
  assert.equal(open.length, 100);
  assert.ok(open.every((c) => c.fields.length === 2), 'those with another field to decide stay open, nothing of them decided');
});

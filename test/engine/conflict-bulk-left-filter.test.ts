import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { matchingSummary, resolveMatchingPage, type ConflictFilterOf, type MatchingPage } from '../../sync-engine/src/conflicts/bulk-by-filter.js';
import { upsertOpenConflict, type ConflictKind } from '../../sync-engine/src/conflicts/conflict-rows.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

/**
 * A take of every conflict a filter holds names each counted conflict a newer national version refreshed after the
 * count, also when the refresh moved it out of the filter (its kind, or its one conflicting field, changed), and
 * names none the filter did not hold when counted, even when the refresh moved it into the filter.
 */
const BIRTHS = 'civil-status-births';
let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
});
afterEach(async () => f.close());

const id = (prefix: string, i: number) => `${prefix}-${String(i).padStart(4, '0')}`;

/** Opens, or refreshes (a newer national version at `rev`), the conflict of record `recordId`: of `kind`, over the commune and maybe the registrar. */
async function conflictOf(recordId: string, conflictId: string, kind: ConflictKind, rev: number, alsoRegistrar = false): Promise<void> {
  const side = (commune: string) => ({ data: validBirth({ placeOfBirthCommuneCode: commune }), deleted: false });
  const deleted = kind === 'delete-vs-edit';
  await f.store.transaction(async (tx) => {
    await upsertOpenConflict(
      tx,
      {
        dataset: BIRTHS,
        recordId,
        kind,
        base: side('00004'),
        local: side('00008'),
        remote: deleted ? { data: null, deleted: true } : side(`1${String(rev).padStart(4, '0')}`),
        remoteRev: rev,
        fields: deleted
          ? []
          : [
              { field: 'placeOfBirthCommuneCode', base: '00004', local: '00008', remote: `1${String(rev).padStart(4, '0')}` },
              ...(alsoRegistrar ? [{ field: 'registrar', base: 'Trần Minh Châu', local: 'Cán bộ xã', remote: 'Cán bộ quốc gia' }] : []),
            ],
        details: deleted ? { deletedSide: 'remote' } : {},
        existingId: null,
      },
      () => conflictId,
      new Date(f.clock.now()).toISOString(),
    );
  });
}

async function takeAll(filter: ConflictFilterOf, through: number): Promise<MatchingPage[]> {
  const pages: MatchingPage[] = [];
  let after: string | undefined;
  do {
    const page = await resolveMatchingPage(f.store, f.conflicts, filter, { kind: 'take-remote' }, { through, after, limit: 200, user: 'chị Lan' });
    pages.push(page);
    after = page.next ?? undefined;
  } while (after !== undefined);
  return pages;
}

test('a counted edit/edit conflict that a national delete turned into a delete conflict after the count is left open and named, out of the filter', async () => {
  for (let i = 0; i < 250; i++) await conflictOf(id('b', i), id('cb', i), 'fields', 2);
  // Not counted: a delete conflict before the count, which a newer national version turns into an edit/edit one after it.
  await conflictOf(id('d', 0), id('cd', 0), 'delete-vs-edit', 2);
  const { through, bulkable } = await matchingSummary(f.store, { dataset: BIRTHS, kind: 'fields' });
  assert.equal(bulkable, 250);
  await conflictOf(id('b', 7), id('cb', 7), 'delete-vs-edit', 3);
  await conflictOf(id('b', 230), id('cb', 230), 'fields', 3);
  await conflictOf(id('d', 0), id('cd', 0), 'fields', 3);

  const pages = await takeAll({ dataset: BIRTHS, kind: 'fields' }, through);
  assert.equal(pages.flatMap((p) => p.results).filter((r) => r.ok).length, 248);
  assert.deepEqual(pages.at(-1)!.changedSince, [
    { id: id('cb', 7), leftFilter: true },
    { id: id('cb', 230), leftFilter: false },
  ]);
  assert.equal((await f.conflicts.get(id('cd', 0)))?.status, 'open', 'the one not counted is untouched, and not said to have been counted');
});

test('a take of one field alone names a counted conflict a refresh gave another field to decide, and one refreshed twice, by what it was at the count', async () => {
  const field = 'placeOfBirthCommuneCode';
  for (let i = 0; i < 5; i++) await conflictOf(id('b', i), id('cb', i), 'fields', 2);
  // Not counted: two fields to decide at the count; the refresh after it leaves the commune alone to decide.
  await conflictOf(id('r', 0), id('cr', 0), 'fields', 2, true);
  const { through, bulkable } = await matchingSummary(f.store, { dataset: BIRTHS, field });
  assert.equal(bulkable, 5);
  await conflictOf(id('b', 1), id('cb', 1), 'fields', 3, true);
  await conflictOf(id('b', 3), id('cb', 3), 'fields', 3, true);
  await conflictOf(id('b', 3), id('cb', 3), 'delete-vs-edit', 4);
  await conflictOf(id('r', 0), id('cr', 0), 'fields', 3);

  const pages = await takeAll({ dataset: BIRTHS, field }, through);
  assert.equal(pages.flatMap((p) => p.results).filter((r) => r.ok).length, 3);
  assert.deepEqual(pages.at(-1)!.changedSince, [
    { id: id('cb', 1), leftFilter: true },
    { id: id('cb', 3), leftFilter: true },
  ]);
  assert.equal(pages.at(-1)!.newSince, 0);
});

test("a counted conflict a newer national version refreshes between its page's read and its settling is left open and named once, on the last page, saying whether it left the filter", async () => {
  for (let i = 0; i < 250; i++) await conflictOf(id('b', i), id('cb', i), 'fields', 2);
  const { through, bulkable } = await matchingSummary(f.store, { dataset: BIRTHS, kind: 'fields' });
  assert.equal(bulkable, 250);
  // Each page's conflicts are read when the national side changes two of them, before any is settled:
  // on the first page a national delete (now a delete conflict, out of the kind filter) and a newer version.
  const resolveMany = f.conflicts.resolveMany.bind(f.conflicts);
  let pageRead = 0;
  f.conflicts.resolveMany = async (ids, resolution, options) => {
    pageRead += 1;
    if (pageRead === 1) {
      await conflictOf(id('b', 7), id('cb', 7), 'delete-vs-edit', 3);
      await conflictOf(id('b', 120), id('cb', 120), 'fields', 3);
    }
    return resolveMany(ids, resolution, options);
  };

  const pages = await takeAll({ dataset: BIRTHS, kind: 'fields' }, through);
  assert.equal(pageRead, 2);
  const results = pages.flatMap((p) => p.results);
  assert.equal(results.filter((r) => r.ok).length, 248);
  assert.deepEqual(
    results.filter((r) => !r.ok).map((r) => r.id),
    [],
    'the page does not answer them: the last page names them',
  );
  assert.deepEqual(pages.at(-1)!.changedSince, [
    { id: id('cb', 7), leftFilter: true },
    { id: id('cb', 120), leftFilter: false },
  ]);
  assert.deepEqual([(await f.conflicts.get(id('cb', 7)))?.status, (await f.conflicts.get(id('cb', 120)))?.status], ['open', 'open']);
});

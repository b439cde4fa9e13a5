import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/catalog.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { heldUniqueValues } from '../../sync-engine/src/records/held-unique.js';
import type { Sql } from '../../sync-engine/src/store/sql.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';

const BIRTHS = 'civil-status-births';

/** The store's Sql, with the text of every statement it ran. */
function watched(sql: Sql): { sql: Sql; statements: string[]; params: unknown[][] } {
  const statements: string[] = [];
  const params: unknown[][] = [];
  const proxy = new Proxy(sql, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key !== 'all' || typeof value !== 'function') return value;
      return (text: string, args?: unknown[]) => {
        statements.push(text);
        params.push(args ?? []);
        return (value as (t: string, p?: unknown[]) => unknown).call(target, text, args);
      };
    },
  });
  return { sql: proxy, statements, params };
}

async function births(f: EngineFixture): Promise<{ held: string; other: string; deleted: string }> {
  const ids = { held: uuidv7(), other: uuidv7(), deleted: uuidv7() };
  await seedSynced(f, BIRTHS, ids.held, validBirth({ personalId: '001301012345', fullName: 'Đặng "Bé" Lan' }), 1);
  // Its registration number is the personal ID number looked for: the full-text index names it, the field does not hold it.
  await seedSynced(f, BIRTHS, ids.other, validBirth({ personalId: '001301055555', registrationNumber: '001301077777' }), 1);
  await seedSynced(f, BIRTHS, ids.deleted, validBirth({ personalId: '001301088888' }), 1);
  await f.store.sql.run(`UPDATE "records" SET "deleted" = 1 WHERE "id" = ?`, [ids.deleted]);
  return ids;
}

test('the personal ID numbers a batch would create that live cached records hold are found through the full-text index, compared on the field itself', async () => {
  const f = await openEngineFixture();
  try {
    const ids = await births(f);
    const descriptor = datasetByName(BIRTHS)!;
    const { sql, statements, params } = watched(f.store.sql);
    const held = await heldUniqueValues(sql, descriptor, [{ personalId: '001301012345' }, { personalId: '001301077777' }, { personalId: '001301088888' }, { personalId: '001301099999' }, {}]);
    assert.deepEqual([...held.entries()].map(([field, found]) => [field, [...found.entries()]]), [['personalId', [['001301012345', ids.held]]]]);
    assert.equal(statements.length, 1);
    assert.match(statements[0]!, /"records_fts" MATCH/, 'the index, not a scan of every record');
    // The records are looked up by the rids the index gives, not walked with the index asked about each.
    const plan = (await f.store.sql.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${statements[0]!}`, params[0])).map((step) => step.detail);
    assert.ok(plan.some((step) => /SEARCH .*USING INTEGER PRIMARY KEY/.test(step)), plan.join('; '));
    assert.ok(!plan.some((step) => /ix_records_live/.test(step)), plan.join('; '));
  } finally {
    await f.close();
  }
});

test('a unique field that is no search field, or a value with no letter or digit, is looked for by reading the records; a value with quotes and Vietnamese letters through the index', async () => {
  const f = await openEngineFixture();
  try {
    const ids = await births(f);
    const births0 = datasetByName(BIRTHS)!;
    const byRegistrar: DatasetDescriptor = { ...births0, uniqueFields: ['registrar'] };
    const { sql, statements } = watched(f.store.sql);
    const registrar = await heldUniqueValues(sql, byRegistrar, [{ registrar: 'Trần Minh Châu' }]);
    const holder = registrar.get('registrar')?.get('Trần Minh Châu');
    assert.ok(holder === ids.held || holder === ids.other, 'a live record that holds it (validBirth), not the deleted one');
    assert.doesNotMatch(statements.at(-1)!, /MATCH/);

    const byName: DatasetDescriptor = { ...births0, uniqueFields: ['fullName'] };
    const named = await heldUniqueValues(sql, byName, [{ fullName: 'Đặng "Bé" Lan' }, { fullName: 'Đặng Bé' }]);
    assert.deepEqual([...named.get('fullName')!.entries()], [['Đặng "Bé" Lan', ids.held]], 'the whole value, not a phrase inside another');
    assert.match(statements.at(-1)!, /MATCH/);

    const dashes = await heldUniqueValues(sql, byName, [{ fullName: '---' }]);
    assert.equal(dashes.get('fullName')?.size, 0);
    assert.doesNotMatch(statements.at(-1)!, /MATCH/, 'nothing for the index to find: read instead');
  } finally {
    await f.close();
  }
});

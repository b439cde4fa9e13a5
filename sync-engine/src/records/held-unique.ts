import { foldForSearch } from '../domain/search-fold.js';
import type { DatasetDescriptor } from '../protocol/catalog.js';
import { searchFieldsOf } from '../store/catalog-cache.js';
import type { Sql } from '../store/sql.js';

/**
 * Which values of a dataset's unique fields (a birth's personal ID number)
 * live cached records already hold, for a batch of records to create (an
 * import: records/local-creates.ts). Asked once per unique field and batch.
 *
 * A unique field that is also a search field is in every record's search
 * text, so the full-text index finds the few records that may hold one of the
 * values (each value a quoted phrase, tokenized as the stored text was), and
 * only those are read to compare the value itself. Scanning the dataset for
 * the values instead reads every cached record's JSON for every batch: at
 * 50,000 records the third of three imports of 10,000 rows took more than
 * twice as long as the first (docs/performance.md, scenario 9), and at a
 * province's 1,000,000 each batch of 500 would scan the whole file while
 * holding the write lock. A field that is no search field, or a value with
 * no letter or digit for the index to find, is still looked for by that scan.
 */

/** Per unique field, the values among the batch that live cached records hold, with the holder's id. */
export type HeldValues = Map<string, Map<string, string>>;

/** A value the full-text index can find: one with a letter or a digit (a token). */
const HAS_TOKEN = /[\p{L}\p{N}]/u;

export async function heldUniqueValues(tx: Sql, descriptor: DatasetDescriptor, batch: ReadonlyArray<Record<string, unknown>>): Promise<HeldValues> {
  const searchable = new Set(searchFieldsOf(descriptor));
  const held: HeldValues = new Map();
  for (const field of descriptor.uniqueFields) {
    const values = [...new Set(batch.map((data) => data[field]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number'))];
    const found = new Map<string, string>();
    if (values.length > 0) {
      const indexed = searchable.has(field) && values.every((value) => HAS_TOKEN.test(String(value)));
      const rows = indexed ? await byIndex(tx, descriptor.name, field, values) : await byScan(tx, descriptor.name, field, values);
      for (const row of rows) found.set(String(row.value), row.id);
    }
    held.set(field, found);
  }
  return held;
}

type Holder = { id: string; value: string | number };

/** The records the full-text index names for any of the values, kept when the field holds one of them exactly. */
function byIndex(tx: Sql, dataset: string, field: string, values: ReadonlyArray<string | number>): Promise<Holder[]> {
  const path = `$.${JSON.stringify(field)}`;
  const match = values.map((value) => `"${foldForSearch(String(value)).replace(/"/g, '""')}"`).join(' OR ');
  return tx.all<Holder>(
    // The matches as a list the records are looked up from by rid: as a join, the planner walks the
    // dataset's live records and asks the index about each (100,000 records: 290 ms against 9 ms).
    `SELECT "id", "data" ->> ? AS "value" FROM "records"
     WHERE "rid" IN (SELECT rowid FROM "records_fts" WHERE "records_fts" MATCH ?)
       AND "dataset" = ? AND "deleted" = 0 AND ("data" ->> ?) IN (SELECT "value" FROM json_each(?))`,
    [path, match, dataset, path, JSON.stringify(values)],
  );
}

/** Every live record of the dataset read for the field's value. */
function byScan(tx: Sql, dataset: string, field: string, values: ReadonlyArray<string | number>): Promise<Holder[]> {
  const path = `$.${JSON.stringify(field)}`;
  return tx.all<Holder>(
    `SELECT "id", "data" ->> ? AS "value" FROM "records"
     WHERE "dataset" = ? AND "deleted" = 0 AND ("data" ->> ?) IN (SELECT "value" FROM json_each(?))`,
    [path, dataset, path, JSON.stringify(values)],
  );
}

import type { DatasetDescriptor } from '../protocol/catalog.js';
import type { DueSpec } from '../protocol/datasets/schema-vocabulary.js';
import type { Sql } from '../store/sql.js';

/**
 * The Records list's filters beyond search and state, read from the dataset's
 * schema (protocol/datasets/schema-vocabulary.ts): equality on the fields
 * marked `x-filter` (a status, a commune code) and, on the field marked
 * `x-due`, "overdue" (before now) or "due today" (in the computer's time
 * zone), both only while the status is not one of its done values.
 *
 * Each is answered by an expression index of the dataset (filterIndexes,
 * built from the catalog by filter-index-build.ts), partial on the dataset and
 * on live records, so a filter walks only the records it matches.
 */
export interface RecordFilter {
  /** Field name → value, each on a field the schema marks `x-filter`. */
  fields?: Readonly<Record<string, string>> | undefined;
  due?: DueFilter | undefined;
}

export const DUE_FILTERS = ['overdue', 'today'] as const;
export type DueFilter = (typeof DUE_FILTERS)[number];

export interface FilterField {
  field: string;
  kind: 'enum' | 'commune' | 'province';
  /** The enum's values (kind 'enum'). */
  values?: readonly string[];
}

export interface DueField extends DueSpec {
  field: string;
}

/** A filter that names a field the schema does not offer, or a value it does not hold. */
export class FilterNotOffered extends Error {
  constructor(
    readonly dataset: string,
    readonly field: string,
    readonly value: string | null,
    readonly offered: readonly string[],
  ) {
    super(value === null ? `${dataset} cannot be filtered by ${field}` : `${JSON.stringify(value)} is not a value of ${dataset}.${field}`);
    this.name = 'FilterNotOffered';
  }
}

type Property = Record<string, unknown>;
const propertiesOf = (d: DatasetDescriptor): Record<string, Property> => ((d.schema['properties'] ?? {}) as Record<string, Property>);
/** Field names go into SQL as JSON paths: only plain names (every sample field is one). */
const PLAIN_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The fields the schema marks `x-filter`, in schema order. */
export function filterFields(d: DatasetDescriptor): FilterField[] {
  return Object.entries(propertiesOf(d)).flatMap(([field, p]): FilterField[] => {
    if (p['x-filter'] !== true || !PLAIN_NAME.test(field)) return [];
    if (Array.isArray(p['enum'])) return [{ field, kind: 'enum', values: (p['enum'] as unknown[]).map(String) }];
    if (p['x-lookup'] === 'commune' || p['x-lookup'] === 'province') return [{ field, kind: p['x-lookup'] }];
    return [];
  });
}

/** The schema's deadline (`x-due`), if any: the first such date-time field whose status field is a plain name. */
export function dueField(d: DatasetDescriptor): DueField | null {
  for (const [field, p] of Object.entries(propertiesOf(d))) {
    const due = p['x-due'] as Partial<DueSpec> | undefined;
    if (!due || !PLAIN_NAME.test(field) || typeof due.statusField !== 'string' || !PLAIN_NAME.test(due.statusField) || !Array.isArray(due.doneValues)) continue;
    return { field, statusField: due.statusField, doneValues: due.doneValues.map(String) };
  }
  return null;
}

/** `"x"` → `'x'` as an SQL string literal. */
export const sqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** The expression the indexes hold and the queries spell, character for character (SQLite matches them as written). */
export const fieldExpr = (field: string, alias = ''): string => `json_extract(${alias}"data", '$.${field}')`;
export const dueExpr = (field: string, alias = ''): string => `julianday(${fieldExpr(field, alias)})`;

/** The condition of every filter index: queries repeat it (as literals) so SQLite may use the partial index. */
export const indexScope = (dataset: string, alias = ''): string[] => [`${alias}"dataset" = ${sqlText(dataset)}`, `${alias}"deleted" = 0`];

export interface FilterTerms {
  where: string[];
  params: unknown[];
  /** Set for a due filter: the page is ordered by the deadline, earliest first. */
  orderBy: string | null;
}

/**
 * The WHERE terms of a filter on a table aliased `alias` (checked against the
 * schema: FilterNotOffered), or null for no filter. `now`: the computer's clock
 * (ms); "today" is its local calendar day.
 */
export function filterTerms(d: DatasetDescriptor, filter: RecordFilter | undefined, now: number, alias = ''): FilterTerms | null {
  const fields = Object.entries(filter?.fields ?? {});
  if (fields.length === 0 && !filter?.due) return null;
  const offered = filterFields(d);
  const where = indexScope(d.name, alias);
  const params: unknown[] = [];
  for (const [field, value] of fields) {
    const spec = offered.find((f) => f.field === field);
    if (!spec) throw new FilterNotOffered(d.name, field, null, offered.map((f) => f.field));
    if (spec.values && !spec.values.includes(value)) throw new FilterNotOffered(d.name, field, value, spec.values);
    where.push(`${fieldExpr(field, alias)} = ?`);
    params.push(value);
  }
  let orderBy: string | null = null;
  if (filter?.due) {
    const due = dueField(d);
    if (!due) throw new FilterNotOffered(d.name, filter.due, null, []);
    const status = propertiesOf(d)[due.statusField]?.['enum'];
    // Spelled as the open values (an IN the index (status, deadline) seeks), not as NOT IN the done ones.
    const open = (Array.isArray(status) ? status.map(String) : []).filter((v) => !due.doneValues.includes(v));
    // With a commune (a hundredth of a province) the commune's index drives and the deadline is checked in
    // its rows: a unary + keeps SQLite from walking every overdue record of the province instead.
    const byUnit = fields.some(([field]) => offered.find((f) => f.field === field)?.kind !== 'enum');
    const plus = byUnit ? '+' : '';
    where.push(`${plus}${fieldExpr(due.statusField, alias)} IN (${open.map(sqlText).join(', ') || 'NULL'})`);
    const deadline = `${plus}${dueExpr(due.field, alias)}`;
    if (filter.due === 'overdue') {
      where.push(`${deadline} < julianday(?)`);
      params.push(new Date(now).toISOString());
    } else {
      const { start, end } = localDay(now);
      where.push(`${deadline} >= julianday(?)`, `${deadline} < julianday(?)`);
      params.push(start, end);
    }
    orderBy = dueExpr(due.field, alias);
  }
  return { where, params, orderBy };
}

/** The computer's local calendar day around `now`, as UTC instants [start, end). */
export function localDay(now: number): { start: string; end: string } {
  const t = new Date(now);
  const start = new Date(t.getFullYear(), t.getMonth(), t.getDate());
  const end = new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1);
  return { start: start.toISOString(), end: end.toISOString() };
}

export interface FilterIndex {
  name: string;
  sql: string;
}

/**
 * The expression indexes a dataset's filters need, each partial on the
 * dataset's live records (a record of another dataset costs it nothing on
 * write): (…, field, updated_at) per `x-filter` field, which gives a filtered
 * list its newest-first order and its count from the index alone; (…, status,
 * deadline) for `x-due`, which seeks each open status's overdue or due-today
 * range. Named by a hash of their SQL, so a changed schema gets a new index.
 */
export function filterIndexes(d: DatasetDescriptor): FilterIndex[] {
  const scope = indexScope(d.name).join(' AND ');
  // "dataset" and "deleted" lead although the partial index holds one value of each: without them the
  // planner, which does not count a partial index's WHERE as seeked columns, preferred ix_records_live.
  const columns = filterFields(d).map((f) => `"dataset", "deleted", ${fieldExpr(f.field)}, "updated_at"`);
  const due = dueField(d);
  if (due) columns.push(`"dataset", "deleted", ${fieldExpr(due.statusField)}, ${dueExpr(due.field)}`);
  return columns.map((cols) => {
    const body = `ON "records" (${cols}) WHERE ${scope}`;
    const name = `ix_rf_${hash(body)}`;
    return { name, sql: `CREATE INDEX IF NOT EXISTS "${name}" ${body}` };
  });
}

/** FNV-1a, 32 bits, as 8 hex digits: a stable short name for an index's definition. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * Drops the store's filter indexes that no dataset of the catalog needs any
 * more (a changed schema's, a dataset gone). In the catalog's own transaction
 * (sync/catalog-refresh.ts); the missing ones are built afterwards, one at a
 * time and giving way to any other write (filter-index-build.ts). An index
 * already there stays through a resync.
 */
export async function dropStaleFilterIndexes(tx: Sql, datasets: readonly DatasetDescriptor[]): Promise<void> {
  const wanted = new Set(datasets.flatMap((d) => filterIndexes(d).map((i) => i.name)));
  for (const name of await presentFilterIndexes(tx)) if (!wanted.has(name)) await tx.run(`DROP INDEX "${name}"`);
}

/** The names of the filter indexes the store holds. */
export async function presentFilterIndexes(db: Sql): Promise<string[]> {
  const rows = await db.all<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "type" = 'index' AND "name" LIKE 'ix\\_rf\\_%' ESCAPE '\\'`);
  return rows.map((r) => r.name);
}

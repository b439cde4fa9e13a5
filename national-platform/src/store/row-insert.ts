import type { EntityManager, EntitySchema } from 'typeorm';

/** What a multi-row insert does when a row's key is already there. */
export type OnConflict = { ignore: true } | { update: { target: string[]; columns: string[] } };

/** Bound on parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;
/** Bound on rows per statement, so one statement's text stays moderate. */
const MAX_ROWS = 1000;

/** A table's name, and the row properties written to its columns (same order). */
export interface InsertShape {
  table: string;
  properties: string[];
  columns: string[];
}

const shapes = new WeakMap<object, InsertShape>();

/**
 * Multi-row INSERT written as SQL with positional parameters and run through
 * the transaction's own query runner. The hot paths' inserts (a push of 500
 * births writes ~2,500 rows over six tables) went through TypeORM's
 * InsertQueryBuilder, whose named-parameter bookkeeping (a generated name per
 * value, copied and rescanned per statement) was the platform's largest CPU
 * cost of a push. Column names come from the entity's metadata; the SQL
 * (`ON CONFLICT ... DO NOTHING | DO UPDATE SET c = excluded.c`) is the same on
 * SQLite and PostgreSQL; only the placeholders differ.
 */
export async function insertRows<T extends object>(
  em: EntityManager,
  entity: EntitySchema<T>,
  rows: readonly T[],
  onConflict?: OnConflict,
): Promise<void> {
  await insertIntoTable(em, shapeOf(em, entity), rows, onConflict);
}

/** insertRows for a table without an entity (e.g. one with a driver-specific column type). */
export async function insertIntoTable<T extends object>(em: EntityManager, shape: InsertShape, rows: readonly T[], onConflict?: OnConflict): Promise<void> {
  if (rows.length === 0) return;
  const sqlite = em.connection.options.type === 'sqlite';
  const perStatement = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / shape.columns.length)));
  const head = `INSERT INTO ${quote(shape.table)} (${shape.columns.map(quote).join(', ')}) VALUES `;
  const tail = conflictClause(onConflict);
  for (let start = 0; start < rows.length; start += perStatement) {
    const slice = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of slice) {
      const marks: string[] = [];
      for (const property of shape.properties) {
        let value = (row as Record<string, unknown>)[property];
        if (value === undefined) value = null;
        // node-sqlite3 binds numbers and strings as they are; booleans are stored as 0/1.
        else if (sqlite && typeof value === 'boolean') value = value ? 1 : 0;
        params.push(value);
        marks.push(sqlite ? '?' : `$${params.length}`);
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await em.query(head + tuples.join(', ') + tail, params);
  }
}

function shapeOf<T extends object>(em: EntityManager, entity: EntitySchema<T>): InsertShape {
  let shape = shapes.get(entity);
  if (!shape) {
    const metadata = em.connection.getMetadata(entity);
    shape = {
      table: metadata.tableName,
      properties: metadata.columns.map((c) => c.propertyName),
      columns: metadata.columns.map((c) => c.databaseName),
    };
    shapes.set(entity, shape);
  }
  return shape;
}

function conflictClause(onConflict: OnConflict | undefined): string {
  if (!onConflict) return '';
  if ('ignore' in onConflict) return ' ON CONFLICT DO NOTHING';
  const { target, columns } = onConflict.update;
  return ` ON CONFLICT (${target.map(quote).join(', ')}) DO UPDATE SET ${columns.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(', ')}`;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

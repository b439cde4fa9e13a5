import type { PreparedStatements } from './prepared-statements.js';

/**
 * The few SQL calls the engine makes, on the store's one connection, through
 * its prepared statements (PreparedStatements: compiled once, reused by SQL
 * text; TypeORM stays for migrations and entities).
 *
 * Raw SQL on purpose for the hot paths (multi-row INSERT ... ON CONFLICT, keyset
 * scans): ARCHITECTURE.md "Hot paths". Parameters are always bound, never spliced.
 */
export class Sql {
  constructor(private readonly statements: PreparedStatements) {}

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.statements.all<T>(sql, params);
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  /** Runs a statement that changes rows; returns how many it changed. */
  run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.statements.run(sql, params);
  }
}

/**
 * SQLite binds at most 32,766 parameters per statement (SQLITE_MAX_VARIABLE_NUMBER
 * of the bundled build); chunks keep well under it and under the statement size.
 */
export const MAX_PARAMS_PER_STATEMENT = 30_000;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `(?, ?, ?)` for one row of `n` columns. */
export function placeholders(n: number): string {
  return `(${new Array<string>(n).fill('?').join(', ')})`;
}

/**
 * `WHERE "a" = ? AND "b" = ?` over the columns whose value is given (undefined
 * leaves a column out; no column at all gives no WHERE), with its parameters:
 * the optional equality filters of list queries.
 */
export function whereEqual(columns: Record<string, string | number | undefined>): { where: string; params: unknown[] } {
  const given = Object.entries(columns).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
  return { where: given.length > 0 ? `WHERE ${given.map(([column]) => `"${column}" = ?`).join(' AND ')}` : '', params: given.map(([, value]) => value) };
}

/** JSON text for a TEXT column; null stays SQL NULL. */
export function toJson(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function fromJson<T>(text: string | null | undefined): T | null {
  return text === null || text === undefined ? null : (JSON.parse(text) as T);
}

export function toBool(value: number | boolean | null | undefined): boolean {
  return value === 1 || value === true;
}

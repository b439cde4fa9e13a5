import type { EntityManager } from 'typeorm';
import type { PlatformStore } from './platform-store.js';
import { insertIntoTable } from './row-insert.js';

/**
 * Every table of the platform store, in the order they are copied, with the
 * columns of its primary key (the copy reads each in that order, a page at a
 * time). The migrations table is not copied: the target has its own, made by
 * the same build. A table missing here makes copyPlatformStore refuse, so a
 * migration that adds one cannot be left out of a copy unseen.
 */
export const COPIED_TABLES: ReadonlyArray<{ table: string; key: string[] }> = [
  { table: 'platform_state', key: ['id'] },
  { table: 'sites', key: ['code'] },
  { table: 'site_scope_versions', key: ['site_code', 'version'] },
  { table: 'site_access', key: ['site_code', 'dataset'] },
  { table: 'enrollment_tokens', key: ['token_hash'] },
  { table: 'agents', key: ['id'] },
  { table: 'nonces', key: ['agent_id', 'nonce'] },
  { table: 'records', key: ['dataset', 'id'] },
  { table: 'record_scope_history', key: ['dataset', 'record_id', 'province_code', 'commune_code'] },
  { table: 'unique_keys', key: ['dataset', 'field', 'value'] },
  { table: 'digest_buckets', key: ['dataset', 'province_code', 'commune_code'] },
  { table: 'signed_requests', key: ['id'] },
  { table: 'message_log', key: ['mutation_id'] },
  { table: 'dataset_versions', key: ['dataset', 'version'] },
];

const MIGRATIONS_TABLE = 'platform_migrations';
const PAGE = 1000;

/** The tables that hold what an operator or an agent made: a target with a row in one already holds a platform. */
const PLATFORM_CONTENT = ['sites', 'enrollment_tokens', 'agents', 'records', 'message_log', 'dataset_versions'];

/** How many rows each table held, as copied (same order as COPIED_TABLES). */
export type CopiedCounts = Record<string, number>;

/** A table in the source that this build does not know how to copy. */
export class UnknownTableError extends Error {
  constructor(readonly tables: string[]) {
    super(`the platform database holds tables this build cannot copy: ${tables.join(', ')}; nothing was copied`);
    this.name = 'UnknownTableError';
  }
}

/** The target already holds sites, tokens, agents, records or messages: the copy would mix two platforms. */
export class TargetNotEmptyError extends Error {
  constructor() {
    super('the target database already holds a platform (sites, tokens, agents, records or messages); nothing was copied');
    this.name = 'TargetNotEmptyError';
  }
}

/**
 * Copies every row of `source` into `target` (SQLite to PostgreSQL, or back):
 * read in one snapshot of the source, written in one transaction of the
 * target, all or nothing, and checked table by table (the target's count must
 * equal the source's, or nothing is kept). The platform_state row goes over
 * as it is: the same epoch, head seq, cursor key and purge horizon, so every
 * agent's pull position and every rev stay valid and agents carry on with no
 * resync. The target must be a platform store this build opened (its tables
 * made) that holds no platform content yet.
 */
export async function copyPlatformStore(source: PlatformStore, target: PlatformStore): Promise<CopiedCounts> {
  return source.read(async (from) => {
    const unknown = (await tablesOf(from)).filter((t) => t !== MIGRATIONS_TABLE && !COPIED_TABLES.some((c) => c.table === t));
    if (unknown.length > 0) throw new UnknownTableError(unknown.sort());
    return target.write(async (to) => {
      for (const table of PLATFORM_CONTENT) if ((await countRows(to, table)) > 0) throw new TargetNotEmptyError();
      // The target's own state row (a fresh epoch) gives way to the source's.
      await to.query('DELETE FROM platform_state');
      const counts: CopiedCounts = {};
      for (const { table, key } of COPIED_TABLES) {
        let copied = 0;
        let after: unknown[] | null = null;
        for (;;) {
          const rows = await page(from, table, key, after);
          if (rows.length === 0) break;
          const columns = Object.keys(rows[0] ?? {});
          await insertIntoTable(to, { table, properties: columns, columns }, rows);
          copied += rows.length;
          const last = rows[rows.length - 1] ?? {};
          after = key.map((k) => last[k]);
          if (rows.length < PAGE) break;
        }
        const expected = await countRows(from, table);
        const landed = await countRows(to, table);
        if (copied !== expected || landed !== expected) {
          throw new Error(`the copy of ${table} holds ${landed} rows, not the source's ${expected}; nothing was copied`);
        }
        counts[table] = copied;
      }
      return counts;
    });
  });
}

/** The next page of a table in key order, after the key `after` (null: from the start). */
async function page(em: EntityManager, table: string, key: string[], after: unknown[] | null): Promise<Record<string, unknown>[]> {
  const sqlite = em.connection.options.type === 'sqlite';
  const mark = (i: number) => (sqlite ? '?' : `$${i + 1}`);
  const order = key.join(', ');
  const where = after === null ? '' : ` WHERE (${order}) > (${key.map((_, i) => mark(i)).join(', ')})`;
  return (await em.query(`SELECT * FROM ${table}${where} ORDER BY ${order} LIMIT ${PAGE}`, after ?? [])) as Record<string, unknown>[];
}

async function countRows(em: EntityManager, table: string): Promise<number> {
  const rows = (await em.query(`SELECT count(*) AS n FROM ${table}`)) as { n: number | string }[];
  return Number(rows[0]?.n ?? 0);
}

async function tablesOf(em: EntityManager): Promise<string[]> {
  const sql =
    em.connection.options.type === 'sqlite'
      ? `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      : `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  return ((await em.query(sql)) as { name: string }[]).map((r) => r.name);
}

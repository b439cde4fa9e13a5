import type { StoreDriver } from '../store/data-source.js';
import { JsonBytes } from './json-bytes.js';
import type { RecordPlace } from './scope.js';

/**
 * One row of the change feed as read for a pull: the columns a feed entry and
 * the scope check need, with `data` left as the UTF-8 bytes of the JSON text it
 * is stored as, and `updatedBy` as its JSON text.
 */
export interface FeedRow {
  seq: number;
  id: string;
  rev: number;
  deleted: boolean;
  /** UTF-8 JSON of the record's data; null for a tombstone. */
  data: Buffer | null;
  updatedAt: string;
  /** JSON text of updatedBy. */
  updatedBy: string;
  place: RecordPlace;
}

/**
 * Select list (expression → alias) of a feed query over `records r`; read back
 * with feedRowOf. SQLite hands a BLOB back as a Buffer, so `data` comes as its
 * stored UTF-8 bytes and never becomes a JS string: building a page from
 * (two-byte, Vietnamese) strings and encoding it again cost ~20 ms per
 * 1,000 records, from bytes ~1 ms. PostgreSQL sends text (a `text` column,
 * not jsonb: see the migrations), turned into bytes per row.
 */
export function feedSelect(driver: StoreDriver): [string, string][] {
  return [
    ['r.seq', 'seq'],
    ['r.id', 'id'],
    ['r.rev', 'rev'],
    ['r.deleted', 'deleted'],
    [driver === 'sqlite' ? 'CAST(r.data AS BLOB)' : 'r.data', 'data'],
    ['r.updated_at', 'updatedAt'],
    ['r.updated_by', 'updatedBy'],
    ['r.province_code', 'provinceCode'],
    ['r.commune_code', 'communeCode'],
  ];
}

/**
 * A raw result row as either driver returns it: PostgreSQL hands bigint back as
 * a string and booleans as booleans; SQLite stores booleans as 0/1.
 */
export function feedRowOf(raw: Record<string, unknown>): FeedRow {
  const data = raw['data'];
  return {
    seq: Number(raw['seq']),
    id: String(raw['id']),
    rev: Number(raw['rev']),
    deleted: raw['deleted'] === true || raw['deleted'] === 1 || raw['deleted'] === '1',
    data: Buffer.isBuffer(data) ? data : typeof data === 'string' ? Buffer.from(data, 'utf8') : null,
    updatedAt: String(raw['updatedAt']),
    updatedBy: String(raw['updatedBy']),
    place: { provinceCode: (raw['provinceCode'] as string | null) ?? null, communeCode: (raw['communeCode'] as string | null) ?? null },
  };
}

/** The pieces of one feed entry's JSON; a page joins them with commas. */
export type EntryBytes = Buffer[];

const NULL = Buffer.from('null');
const COMMA = Buffer.from(',');

/**
 * The feed entry of a record in the agent's scope (a tombstone when deleted):
 * `{ seq, ...toWire(record) }` (pullChangeSchema's first option), as JSON bytes.
 * `data` and `updatedBy` are copied in as stored: the platform wrote them itself
 * with JSON.stringify, after validating the data (stored-record.ts toRow), so
 * they are JSON already and are neither parsed nor re-serialised here.
 */
export function entryJson(row: FeedRow): EntryBytes {
  // seq, rev, a uuid and an ISO time: ASCII only, so latin1 is a faithful and fast encoding.
  const head = Buffer.from(`{"seq":${row.seq},"id":${JSON.stringify(row.id)},"rev":${row.rev},"deleted":${row.deleted},"data":`, 'latin1');
  const tail = Buffer.from(`,"updatedAt":${JSON.stringify(row.updatedAt)},"updatedBy":${row.updatedBy}}`, 'utf8');
  return [head, row.deleted || row.data === null ? NULL : row.data, tail];
}

/** The feed entry telling an agent to drop a record that left its scope: `{ seq, id, removed: true }`. */
export function removedJson(row: Pick<FeedRow, 'seq' | 'id'>): EntryBytes {
  return [Buffer.from(`{"seq":${row.seq},"id":${JSON.stringify(row.id)},"removed":true}`, 'utf8')];
}

/** A whole pull page (pullPageSchema) from its entries. */
export function pageJson(changes: readonly EntryBytes[], cursor: string, hasMore: boolean): JsonBytes {
  const parts: Buffer[] = [Buffer.from('{"changes":[')];
  changes.forEach((entry, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(...entry);
  });
  parts.push(Buffer.from(`],"cursor":${JSON.stringify(cursor)},"hasMore":${hasMore}}`, 'utf8'));
  return new JsonBytes(Buffer.concat(parts));
}

import { createHash } from 'node:crypto';
import type { Sql } from '../store/sql.js';
import { placeholders } from '../store/sql.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The tamper-evident audit log (PRODUCT.md: "a tamper-evident (hash-chained)
 * audit log"). Each event's hash = sha256(prev_hash + canonical JSON of the
 * event, its seq included), so editing, deleting or reordering a row breaks the
 * chain at that row. Truncating the tail is caught through sqlite_sequence,
 * which remembers the highest seq ever written.
 *
 * Appends run inside the caller's transaction: an event exists exactly when the
 * change it describes was committed.
 */
export const AUDIT_ACTIONS = [
  'local.put',
  'local.delete',
  'sync.applied',
  'sync.rejected',
  'sync.resent',
  'merge.auto',
  'conflict.opened',
  'conflict.resolved',
  'outbox.retry',
  'outbox.discard',
  'resync',
  'backup.made',
  'backup.restored',
  'diagnostics.exported',
  'records.exported',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  action: AuditAction;
  /** Who: a person's name for local actions, 'sync' for the engine. */
  actor: string;
  dataset?: string | null;
  recordId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditEvent {
  seq: number;
  at: string;
  actor: string;
  action: AuditAction;
  dataset: string | null;
  recordId: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export type AuditVerification =
  | { ok: true; count: number; lastSeq: number }
  | { ok: false; brokenAt: number; reason: 'hash' | 'link' | 'gap' | 'truncated'; checked: number };

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  dataset: string | null;
  record_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** The hashed form of an event: everything but the hashes themselves. */
/**
 * SHA-256 of the previous hash and the event's canonical JSON. The JSON is
 * written out in canonicalJson's key order (action, actor, at, dataset, details,
 * recordId, seq) with the details' canonical JSON passed in, so appending
 * computes it once for both the hash and the stored column.
 */
function eventHash(prevHash: string, event: Omit<AuditEvent, 'prevHash' | 'hash'>, detailsJson = canonicalJson(event.details)): string {
  const json = JSON.stringify;
  const body = `{"action":${json(event.action)},"actor":${json(event.actor)},"at":${json(event.at)},"dataset":${json(event.dataset)},"details":${detailsJson},"recordId":${json(event.recordId)},"seq":${json(event.seq)}}`;
  return createHash('sha256').update(prevHash + body).digest('hex');
}

/**
 * Where the chain ends, as read in the appending transaction: the last event's
 * seq and hash, and the highest seq AUTOINCREMENT ever gave (sqlite_sequence).
 */
export interface AuditTail {
  audit_last_seq: number | null;
  audit_last_hash: string | null;
  audit_used_seq: number | null;
}

/**
 * The tail as three result columns of one SELECT (scalar subqueries), so a
 * caller may fetch it together with its own reads: one round trip, not two.
 */
export const AUDIT_TAIL_COLUMNS = `(SELECT "seq" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1) AS "audit_last_seq",
  (SELECT "hash" FROM "audit_log" ORDER BY "seq" DESC LIMIT 1) AS "audit_last_hash",
  (SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'audit_log') AS "audit_used_seq"`;

export class AuditLog {
  constructor(private readonly now: () => number = Date.now) {}

  /** Appends one event in the caller's transaction. */
  async append(tx: Sql, event: AuditEventInput, tail?: AuditTail): Promise<AuditEvent> {
    const [written] = await this.appendMany(tx, [event], tail);
    return written as AuditEvent;
  }

  /**
   * Appends events in order with multi-row INSERTs (a pull page may carry many).
   * `tail`: the chain's end if the caller read it (AUDIT_TAIL_COLUMNS) in this
   * same transaction, after its last append; else it is read here.
   */
  async appendMany(tx: Sql, events: readonly AuditEventInput[], tail?: AuditTail): Promise<AuditEvent[]> {
    if (events.length === 0) return [];
    const end = tail ?? (await tx.get<AuditTail>(`SELECT ${AUDIT_TAIL_COLUMNS}`));
    // Next seq as AUTOINCREMENT would give it: never reuses the seq of a deleted tail row.
    let seq = Math.max(end?.audit_last_seq ?? 0, end?.audit_used_seq ?? 0);
    let prevHash = end?.audit_last_hash ?? GENESIS_HASH;
    const at = new Date(this.now()).toISOString();
    const written: AuditEvent[] = [];
    const stored: string[] = [];
    for (const input of events) {
      seq += 1;
      const base = {
        seq,
        at,
        actor: input.actor,
        action: input.action,
        dataset: input.dataset ?? null,
        recordId: input.recordId ?? null,
        details: input.details ?? {},
      };
      const detailsJson = canonicalJson(base.details);
      const hash = eventHash(prevHash, base, detailsJson);
      written.push({ ...base, prevHash, hash });
      stored.push(detailsJson);
      prevHash = hash;
    }
    for (let i = 0; i < written.length; i += 500) {
      const part = written.slice(i, i + 500);
      await tx.run(
        `INSERT INTO "audit_log" ("seq", "at", "actor", "action", "dataset", "record_id", "details", "prev_hash", "hash")
         VALUES ${part.map(() => placeholders(9)).join(', ')}`,
        part.flatMap((e, j) => [e.seq, e.at, e.actor, e.action, e.dataset, e.recordId, stored[i + j], e.prevHash, e.hash]),
      );
    }
    return written;
  }

  /** Newest first; filter by record to show a record's history. */
  async list(db: Sql, filter: { dataset?: string; recordId?: string; limit?: number; beforeSeq?: number } = {}): Promise<AuditEvent[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (filter.dataset !== undefined) add('"dataset" = ?', filter.dataset);
    if (filter.recordId !== undefined) add('"record_id" = ?', filter.recordId);
    if (filter.beforeSeq !== undefined) add('"seq" < ?', filter.beforeSeq);
    const rows = await db.all<AuditRow>(
      `SELECT * FROM "audit_log" ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY "seq" DESC LIMIT ?`,
      [...params, filter.limit ?? 100],
    );
    return rows.map(toEvent);
  }

  async count(db: Sql): Promise<number> {
    return (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM "audit_log"'))?.n ?? 0;
  }

  /**
   * Walks the whole chain in seq order (keyset pages, flat memory) and reports
   * the first row that does not follow from the one before it.
   */
  async verify(db: Sql): Promise<AuditVerification> {
    let prevHash = GENESIS_HASH;
    let prevSeq = 0;
    let checked = 0;
    for (;;) {
      const rows = await db.all<AuditRow>('SELECT * FROM "audit_log" WHERE "seq" > ? ORDER BY "seq" LIMIT 1000', [prevSeq]);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (row.seq !== prevSeq + 1) return { ok: false, brokenAt: row.seq, reason: 'gap', checked };
        if (row.prev_hash !== prevHash) return { ok: false, brokenAt: row.seq, reason: 'link', checked };
        let event: AuditEvent;
        try {
          event = toEvent(row);
        } catch {
          return { ok: false, brokenAt: row.seq, reason: 'hash', checked };
        }
        if (eventHash(prevHash, event) !== row.hash) return { ok: false, brokenAt: row.seq, reason: 'hash', checked };
        prevHash = row.hash;
        prevSeq = row.seq;
        checked += 1;
      }
    }
    const sequence = await db.get<{ seq: number }>(`SELECT "seq" FROM "sqlite_sequence" WHERE "name" = 'audit_log'`);
    if ((sequence?.seq ?? 0) > prevSeq) return { ok: false, brokenAt: prevSeq + 1, reason: 'truncated', checked };
    return { ok: true, count: checked, lastSeq: prevSeq };
  }
}

function toEvent(row: AuditRow): AuditEvent {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action as AuditAction,
    dataset: row.dataset,
    recordId: row.record_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

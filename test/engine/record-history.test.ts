import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import type { AuditEventInput } from '../../sync-engine/src/audit/audit-log.js';
import { currentVersion, recordHistory } from '../../sync-engine/src/service/record-history.js';
import type { Sql } from '../../sync-engine/src/store/sql.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

/**
 * "Who changed this birth registration's personal ID number, and when?": one record's audit
 * events read back in plain terms, newest first, a page at a time, on the audit log's index.
 */
const DATASET = 'civil-status-births';
let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
});
afterEach(async () => {
  await f.close();
});

const history = (id: string, limit = 50, before?: number) => recordHistory(f.store.sql, f.audit, { dataset: DATASET, id, limit, ...(before ? { before } : {}) });

async function appendAll(events: AuditEventInput[]): Promise<void> {
  await f.store.transaction((tx) => f.audit.appendMany(tx, events));
}

test('a record created, edited and deleted here: who, when, and the personal ID number before and after', async () => {
  const { record } = await f.writes.put(DATASET, validBirth(), { user: 'Nguyễn Thị Hoa' });
  f.clock.advance(60_000);
  await f.writes.put(DATASET, validBirth({ personalId: '001301099999' }), { id: record.id, user: 'Trần Văn Bình' });
  f.clock.advance(60_000);
  await f.writes.delete(DATASET, record.id, { user: 'Lê Văn Cường' });
  // Another record's events are not this one's.
  await f.writes.put(DATASET, validBirth({ registrationNumber: '126/2001', personalId: '001301011111' }), { user: 'Nguyễn Thị Hoa' });

  const { items, next } = await history(record.id);
  assert.equal(next, null);
  assert.deepEqual(
    items.map((e) => [e.kind, e.actor, e.action]),
    [
      ['deleted', 'Lê Văn Cường', 'local.delete'],
      ['edited', 'Trần Văn Bình', 'local.put'],
      ['created', 'Nguyễn Thị Hoa', 'local.put'],
    ],
  );
  assert.ok(items[0]!.at > items[1]!.at && items[1]!.at > items[2]!.at, 'each at its own time');
  assert.deepEqual(items[1]!.changes, [{ field: 'personalId', before: '001301012345', after: '001301099999' }]);
  assert.equal(items[2]!.changes?.find((c) => c.field === 'personalId')?.after, '001301012345');
  assert.equal(items[2]!.changes?.some((c) => 'before' in c), false, 'a new record had no values before');
  assert.equal(items[0]!.changes, undefined);
});

test('what the engine and a person did about the record, in plain terms', async () => {
  const id = '0190a0a0-0000-7000-8000-000000000001';
  const at = { dataset: DATASET, recordId: id };
  const unique = { path: '/personalId', code: 'unique', message: 'exists', messages: { vi: 'Số định danh đã có', en: 'ID exists' } };
  await appendAll([
    { ...at, action: 'sync.applied', actor: 'sync', details: { mutationId: 'm1', op: 'upsert', status: 'applied', rev: 3, seq: 9 } },
    { ...at, action: 'sync.rejected', actor: 'sync', details: { mutationId: 'm2', errors: [unique], quarantined: true } },
    { ...at, action: 'sync.rejected', actor: 'sync', details: { mutationId: 'm3', errors: [], superseded: true } },
    { ...at, action: 'sync.rejected', actor: 'sync', details: { mutationId: 'm4', errors: [unique], possibleDuplicate: true, existingId: 'x' } },
    { ...at, action: 'outbox.retry', actor: 'Nguyễn Thị Hoa', details: { seq: 4 } },
    { ...at, action: 'outbox.discard', actor: 'Nguyễn Thị Hoa', details: { seqs: [4], discarded: { personalId: '1' }, errors: [], leftScope: true } },
    { ...at, action: 'sync.resent', actor: 'sync', details: { reason: 'platform_went_back', op: 'create', platformHeadAt: 't', lostRev: 3, outbox: 'queued' } },
    { ...at, action: 'sync.resent', actor: 'sync', details: { reason: 'platform_went_back', op: 'delete', platformRev: 2, lostRev: 3, outbox: 'queued' } },
    { ...at, action: 'merge.auto', actor: 'sync', details: { origin: 'pull', remoteRev: 4, decision: 'merged', resolutions: [{ field: 'fatherName', took: 'remote' }] } },
    { ...at, action: 'merge.auto', actor: 'sync', details: { origin: 'pull', remoteRev: 5, decision: 'take-remote' } },
    { ...at, action: 'conflict.opened', actor: 'sync', details: { origin: 'push', remoteRev: 6, conflictId: 'c1', reason: 'fields', refreshed: false, fields: ['personalId'], restored: { headAt: null } } },
    { ...at, action: 'conflict.resolved', actor: 'Trần Văn Bình', details: { conflictId: 'c1', kind: 'fields', resolution: { kind: 'take-remote' }, outcome: 'adopted-remote' } },
    { ...at, action: 'conflict.resolved', actor: 'Trần Văn Bình', details: { conflictId: 'c2', kind: 'possible-duplicate', resolution: { kind: 'discard-local' }, outcome: 'discarded' } },
  ]);
  const { items } = await history(id);
  const { seq: _seq, at: _at, action: _action, ...plain } = items[0]!;
  assert.deepEqual(plain, { actor: 'Trần Văn Bình', kind: 'conflict-settled', settled: 'dropped' });
  assert.deepEqual(
    items.reverse().map(({ seq: _s, at: _a, action: _x, actor: _w, ...rest }) => rest),
    [
      { kind: 'accepted', op: 'upsert' },
      { kind: 'rejected', outcome: 'held', errors: [{ path: '/personalId', code: 'unique', messages: unique.messages }] },
      { kind: 'rejected', outcome: 'superseded', errors: [] },
      { kind: 'rejected', outcome: 'possible-duplicate', errors: [{ path: '/personalId', code: 'unique', messages: unique.messages }] },
      { kind: 'retried' },
      { kind: 'discarded', leftScope: true },
      { kind: 'resent', op: 'upsert' },
      { kind: 'resent', op: 'delete' },
      { kind: 'merged', fields: ['fatherName'] },
      { kind: 'national-taken' },
      { kind: 'conflict-opened', reason: 'fields', fields: ['personalId'], restored: true },
      { kind: 'conflict-settled', settled: 'national' },
      { kind: 'conflict-settled', settled: 'dropped' },
    ],
  );
});

test('pages: newest first, `next` the seq to read before, until none is left', async () => {
  const { record } = await f.writes.put(DATASET, validBirth({ fullName: 'Lần 0' }), { user: 'A' });
  for (let i = 1; i <= 4; i++) await f.writes.put(DATASET, validBirth({ fullName: `Lần ${i}` }), { id: record.id, user: 'A' });
  const names: unknown[] = [];
  let before: number | undefined;
  let pages = 0;
  do {
    const page = await history(record.id, 2, before);
    pages += 1;
    names.push(...page.items.map((e) => e.changes?.find((c) => c.field === 'fullName')?.after));
    before = page.next ?? undefined;
  } while (before !== undefined);
  assert.equal(pages, 3);
  assert.deepEqual(names, ['Lần 4', 'Lần 3', 'Lần 2', 'Lần 1', 'Lần 0']);
});

test('a record\'s events are read newest first on ix_audit_log_record, never the whole log sorted', async () => {
  const { record } = await f.writes.put(DATASET, validBirth(), { user: 'A' });
  const seen: Array<{ sql: string; params: unknown[] }> = [];
  const db = f.store.sql;
  const watching = new Proxy(db, {
    get(target, name, receiver) {
      if (name !== 'all') return Reflect.get(target, name, receiver) as unknown;
      return async (sql: string, params: unknown[] = []) => {
        seen.push({ sql, params });
        return target.all(sql, params);
      };
    },
  }) as Sql;
  for (const before of [undefined, 1_000_000]) {
    seen.length = 0;
    await recordHistory(watching, f.audit, { dataset: DATASET, id: record.id, limit: 50, ...(before ? { before } : {}) });
    // One read of the log (the first page also reads the record itself, by its key, for whose version it holds).
    const reads = seen.filter((q) => q.sql.includes('audit_log'));
    assert.equal(reads.length, 1);
    const plan = (await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${reads[0]!.sql}`, reads[0]!.params)).map((p) => p.detail);
    assert.deepEqual(
      plan,
      [`SEARCH audit_log USING INDEX ix_audit_log_record (dataset=? AND record_id=?${before ? ' AND rowid<?' : ''})`],
      `before ${before}`,
    );
  }
});

test('the version held is the national platform’s, this office’s (written before enrollment too) or another office’s, with the person’s name where recorded', () => {
  const at = '2026-11-28T08:00:00.000Z';
  assert.deepEqual(currentVersion(at, { national: true }, 'HN-A'), { at, by: { kind: 'national' } });
  assert.deepEqual(currentVersion(at, { siteCode: 'HN-A', user: 'chị Lan' }, 'HN-A'), { at, by: { kind: 'this-office', user: 'chị Lan' } });
  assert.deepEqual(currentVersion(at, { user: 'chị Lan' }, null), { at, by: { kind: 'this-office', user: 'chị Lan' } });
  assert.deepEqual(currentVersion(at, { siteCode: 'HN-B' }, 'HN-A'), { at, by: { kind: 'other-office', siteCode: 'HN-B' } });
});

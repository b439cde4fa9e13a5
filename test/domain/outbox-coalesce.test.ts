import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesce } from '../../sync-engine/src/domain/index.js';
import type { CoalesceResult, PendingChange } from '../../sync-engine/src/domain/index.js';

const v1 = { fullName: 'Nguyễn Văn A', notes: 'lần 1' };
const v2 = { fullName: 'Nguyễn Văn An', notes: 'lần 2' };
const create = (data = v1): PendingChange => ({ op: 'upsert', baseRev: null, data });
const edit = (baseRev: number, data = v1): PendingChange => ({ op: 'upsert', baseRev, data });
const remove = (baseRev: number | null): PendingChange => ({ op: 'delete', baseRev, data: null });

const rows: { name: string; pending: PendingChange; next: PendingChange; expect: CoalesceResult }[] = [
  {
    name: 'an edit of a record created here and not yet sent stays a create with the new data',
    pending: create(v1),
    next: create(v2),
    expect: { kind: 'replace', entry: { op: 'upsert', baseRev: null, data: v2 } },
  },
  {
    name: 'two edits become one, on the first edit\'s rev, with the latest data',
    pending: edit(3, v1),
    next: edit(3, v2),
    expect: { kind: 'replace', entry: { op: 'upsert', baseRev: 3, data: v2 } },
  },
  {
    name: 'a later edit that does not know the rev still goes on the first edit\'s rev',
    pending: edit(3, v1),
    next: create(v2),
    expect: { kind: 'replace', entry: { op: 'upsert', baseRev: 3, data: v2 } },
  },
  {
    name: 'an edit then a delete is a delete of the rev the edit was made on',
    pending: edit(3, v1),
    next: remove(3),
    expect: { kind: 'replace', entry: { op: 'delete', baseRev: 3, data: null } },
  },
  {
    name: 'a create then a delete sends nothing: the record never existed on the platform',
    pending: create(v1),
    next: remove(null),
    expect: { kind: 'drop' },
  },
  {
    name: 'a delete then an edit is an undelete: an edit of the deleted rev',
    pending: remove(5),
    next: edit(5, v2),
    expect: { kind: 'replace', entry: { op: 'upsert', baseRev: 5, data: v2 } },
  },
  {
    name: 'a second delete is the same delete',
    pending: remove(5),
    next: remove(5),
    expect: { kind: 'replace', entry: { op: 'delete', baseRev: 5, data: null } },
  },
  {
    name: 'an edit made on a newer rev than the pending one cannot merge: queue after',
    pending: edit(3, v1),
    next: edit(4, v2),
    expect: { kind: 'append' },
  },
  {
    name: 'a change made on a platform rev after a pending create cannot merge: queue after',
    pending: create(v1),
    next: remove(1),
    expect: { kind: 'append' },
  },
];

for (const row of rows) {
  test(`coalesce: ${row.name}`, () => {
    assert.deepStrictEqual(coalesce(row.pending, row.next), row.expect);
  });
}

test('coalescing leaves both changes as they were and returns a new entry', () => {
  const pending = edit(3, { ...v1 });
  const next = edit(3, { ...v2 });
  const result = coalesce(pending, next);
  assert.deepEqual(pending, edit(3, v1));
  assert.deepEqual(next, edit(3, v2));
  assert.notEqual(result.kind === 'replace' ? result.entry : null, pending);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRecord, valuesEqual } from '../../sync-engine/src/domain/index.js';
import type { MergeDecision, MergeSide } from '../../sync-engine/src/domain/index.js';
import type { RecordData } from '../../sync-engine/src/protocol/index.js';
import { gone, live, normalized, type Policies } from './support/merge-sides.js';

interface Row {
  name: string;
  base: MergeSide | null;
  local: MergeSide;
  remote: MergeSide;
  policies?: Policies;
  expect: MergeDecision;
}

const person = { fullName: 'Nguyễn Thị Hương', gender: 'F', communeCode: '00004', notes: 'gốc' };

const rows: Row[] = [
  // --- one side changed
  {
    name: 'only this office changed a field: keep local',
    base: live(person),
    local: live({ ...person, notes: 'sửa tại xã' }),
    remote: live(person),
    expect: { kind: 'keep-local' },
  },
  {
    name: 'only the platform changed a field: take remote, drop the local pending change',
    base: live(person),
    local: live({ ...person }),
    remote: live({ ...person, notes: 'sửa ở trung ương' }),
    expect: { kind: 'take-remote' },
  },
  {
    name: 'each side changed a different field: merged, each field from the side that changed it',
    base: live({ a: 1, b: 1, c: 1 }),
    local: live({ a: 2, b: 1, c: 1 }),
    remote: live({ a: 1, b: 3, c: 1 }),
    expect: {
      kind: 'merged',
      data: { a: 2, b: 3, c: 1 },
      resolutions: [
        { field: 'a', took: 'local' },
        { field: 'b', took: 'remote' },
      ],
    },
  },
  // --- both changed to the same value
  {
    name: 'both changed a field to the same value and nothing else: identical',
    base: live({ a: 1, b: 1 }),
    local: live({ a: 2, b: 1 }),
    remote: live({ a: 2, b: 1 }),
    expect: { kind: 'identical' },
  },
  {
    name: 'both changed a field to the same value, plus one change each: merged with a same resolution',
    base: live({ a: 1, b: 1, c: 1 }),
    local: live({ a: 2, b: 2, c: 1 }),
    remote: live({ a: 2, b: 1, c: 3 }),
    expect: {
      kind: 'merged',
      data: { a: 2, b: 2, c: 3 },
      resolutions: [
        { field: 'a', took: 'same' },
        { field: 'b', took: 'local' },
        { field: 'c', took: 'remote' },
      ],
    },
  },
  // --- both changed to different values, per policy
  {
    name: 'both changed a manual field differently: conflict on that field only',
    base: live({ a: 1, b: 1, c: 1 }),
    local: live({ a: 2, b: 2, c: 1 }),
    remote: live({ a: 3, b: 1, c: 3 }),
    policies: { a: 'manual' },
    expect: {
      kind: 'conflict',
      reason: 'fields',
      fields: [{ field: 'a', base: 1, local: 2, remote: 3 }],
      autoResolved: [
        { field: 'b', took: 'local' },
        { field: 'c', took: 'remote' },
      ],
    },
  },
  {
    name: 'a field without a policy is manual',
    base: live({ a: 1 }),
    local: live({ a: 2 }),
    remote: live({ a: 3 }),
    policies: { other: 'national-wins' },
    expect: { kind: 'conflict', reason: 'fields', fields: [{ field: 'a', base: 1, local: 2, remote: 3 }], autoResolved: [] },
  },
  {
    name: 'national-wins takes the platform value; with another local change the result is merged',
    base: live({ status: 'received', handler: 'An' }),
    local: live({ status: 'processing', handler: 'Bình' }),
    remote: live({ status: 'cancelled', handler: 'An' }),
    policies: { status: 'national-wins' },
    expect: {
      kind: 'merged',
      data: { status: 'cancelled', handler: 'Bình' },
      resolutions: [
        { field: 'handler', took: 'local' },
        { field: 'status', took: 'policy-remote' },
      ],
    },
  },
  {
    name: 'national-wins alone lands on the platform version: take remote, with the resolution for the audit',
    base: live({ status: 'received' }),
    local: live({ status: 'processing' }),
    remote: live({ status: 'cancelled' }),
    policies: { status: 'national-wins' },
    expect: { kind: 'take-remote', resolutions: [{ field: 'status', took: 'policy-remote' }] },
  },
  {
    name: 'local-wins keeps the office value; with another platform change the result is merged',
    base: live({ notes: 'a', handler: 'An' }),
    local: live({ notes: 'b', handler: 'An' }),
    remote: live({ notes: 'c', handler: 'Chi' }),
    policies: { notes: 'local-wins' },
    expect: {
      kind: 'merged',
      data: { notes: 'b', handler: 'Chi' },
      resolutions: [
        { field: 'handler', took: 'remote' },
        { field: 'notes', took: 'policy-local' },
      ],
    },
  },
  {
    name: 'local-wins alone lands on the office version: keep local',
    base: live({ notes: 'a' }),
    local: live({ notes: 'b' }),
    remote: live({ notes: 'c' }),
    policies: { notes: 'local-wins' },
    expect: { kind: 'keep-local', resolutions: [{ field: 'notes', took: 'policy-local' }] },
  },
  // --- fields added and removed
  {
    name: 'a field added by this office survives a platform edit of another field',
    base: live({ a: 1 }),
    local: live({ a: 1, notes: 'mới' }),
    remote: live({ a: 2 }),
    expect: {
      kind: 'merged',
      data: { a: 2, notes: 'mới' },
      resolutions: [
        { field: 'a', took: 'remote' },
        { field: 'notes', took: 'local' },
      ],
    },
  },
  {
    name: 'a field removed by this office stays removed when the platform edits another field',
    base: live({ a: 1, notes: 'cũ' }),
    local: live({ a: 1 }),
    remote: live({ a: 2, notes: 'cũ' }),
    expect: {
      kind: 'merged',
      data: { a: 2 },
      resolutions: [
        { field: 'a', took: 'remote' },
        { field: 'notes', took: 'local' },
      ],
    },
  },
  {
    name: 'a field removed here but edited on the platform is a conflict with local absent',
    base: live({ a: 1, notes: 'cũ' }),
    local: live({ a: 1 }),
    remote: live({ a: 1, notes: 'mới' }),
    expect: {
      kind: 'conflict',
      reason: 'fields',
      fields: [{ field: 'notes', base: 'cũ', local: undefined, remote: 'mới' }],
      autoResolved: [],
    },
  },
  {
    name: 'a field added on both sides with different values follows its policy',
    base: live({ a: 1 }),
    local: live({ a: 1, phone: '0901' }),
    remote: live({ a: 1, phone: '0902' }),
    policies: { phone: 'national-wins' },
    expect: { kind: 'take-remote', resolutions: [{ field: 'phone', took: 'policy-remote' }] },
  },
  {
    name: 'null is a value, not an absent field: clearing a field locally is a change',
    base: live({ a: 1, notes: 'x' }),
    local: live({ a: 1, notes: null }),
    remote: live({ a: 2, notes: 'x' }),
    expect: {
      kind: 'merged',
      data: { a: 2, notes: null },
      resolutions: [
        { field: 'a', took: 'remote' },
        { field: 'notes', took: 'local' },
      ],
    },
  },
  // --- deletes
  {
    name: 'local delete against a platform edit is a conflict even when every policy would resolve it',
    base: live({ a: 1, b: 1 }),
    local: gone(),
    remote: live({ a: 2, b: 1 }),
    policies: { a: 'local-wins', b: 'national-wins' },
    expect: {
      kind: 'conflict',
      reason: 'delete-vs-edit',
      fields: [
        { field: 'a', base: 1, local: undefined, remote: 2 },
        { field: 'b', base: 1, local: undefined, remote: 1 },
      ],
      autoResolved: [],
      deletedSide: 'local',
    },
  },
  {
    name: 'a platform delete against a local edit is a conflict showing what would be lost',
    base: live({ a: 1 }),
    local: live({ a: 5, notes: 'n' }),
    remote: gone(),
    policies: { a: 'national-wins', notes: 'national-wins' },
    expect: {
      kind: 'conflict',
      reason: 'delete-vs-edit',
      fields: [
        { field: 'a', base: 1, local: 5, remote: undefined },
        { field: 'notes', base: undefined, local: 'n', remote: undefined },
      ],
      autoResolved: [],
      deletedSide: 'remote',
    },
  },
  {
    name: 'deleted on both sides',
    base: live({ a: 1 }),
    local: gone(),
    remote: gone(),
    expect: { kind: 'both-deleted' },
  },
  {
    name: 'a local delete of an unchanged platform record is kept',
    base: live({ a: 1 }),
    local: gone(),
    remote: live({ a: 1 }),
    expect: { kind: 'keep-local' },
  },
  {
    name: 'a platform delete of a record this office did not really change is taken',
    base: live({ a: 1 }),
    local: live({ a: 1 }),
    remote: gone(),
    expect: { kind: 'take-remote' },
  },
  {
    name: 'an undelete here against a tombstone the platform kept is kept',
    base: gone(),
    local: live({ a: 1 }),
    remote: gone(),
    expect: { kind: 'keep-local' },
  },
  {
    name: 'undeleted on both sides differently: fields merge against an empty base',
    base: gone(),
    local: live({ a: 1, b: 'x' }),
    remote: live({ a: 2, b: 'x' }),
    expect: {
      kind: 'conflict',
      reason: 'fields',
      fields: [{ field: 'a', base: undefined, local: 1, remote: 2 }],
      autoResolved: [{ field: 'b', took: 'same' }],
    },
  },
  // --- create collisions (no base)
  {
    name: 'the same id created on both sides with equal data: identical',
    base: null,
    local: live({ a: 1, b: [1, 2] }),
    remote: live({ b: [1, 2], a: 1 }),
    expect: { kind: 'identical' },
  },
  {
    name: 'the same id created on both sides differently: create-collision for the manual fields',
    base: null,
    local: live({ a: 1, b: 2, notes: 'x' }),
    remote: live({ a: 1, b: 3 }),
    expect: {
      kind: 'conflict',
      reason: 'create-collision',
      fields: [{ field: 'b', base: undefined, local: 2, remote: 3 }],
      autoResolved: [
        { field: 'a', took: 'same' },
        { field: 'notes', took: 'local' },
      ],
    },
  },
  {
    name: 'a create collision every policy resolves is merged',
    base: null,
    local: live({ a: 1, b: 2, c: 'l' }),
    remote: live({ a: 9, b: 3, c: 'l' }),
    policies: { a: 'local-wins', b: 'national-wins' },
    expect: {
      kind: 'merged',
      data: { a: 1, b: 3, c: 'l' },
      resolutions: [
        { field: 'a', took: 'policy-local' },
        { field: 'b', took: 'policy-remote' },
        { field: 'c', took: 'same' },
      ],
    },
  },
  {
    name: 'a local create hitting a platform tombstone is delete-vs-edit',
    base: null,
    local: live({ a: 1 }),
    remote: gone(),
    policies: { a: 'local-wins' },
    expect: {
      kind: 'conflict',
      reason: 'delete-vs-edit',
      fields: [{ field: 'a', base: undefined, local: 1, remote: undefined }],
      autoResolved: [],
      deletedSide: 'remote',
    },
  },
  // --- deep comparison
  {
    name: 'arrays are compared by value: an equal copy is no change',
    base: live({ lines: ['bán lẻ', 'ăn uống'], a: 1 }),
    local: live({ lines: ['bán lẻ', 'ăn uống'], a: 1 }),
    remote: live({ lines: ['bán lẻ', 'ăn uống', 'vận tải'], a: 1 }),
    expect: { kind: 'take-remote' },
  },
  {
    name: 'array order is significant: reordering is a change',
    base: live({ lines: ['x', 'y'], a: 1 }),
    local: live({ lines: ['y', 'x'], a: 1 }),
    remote: live({ lines: ['x', 'y'], a: 2 }),
    expect: {
      kind: 'merged',
      data: { lines: ['y', 'x'], a: 2 },
      resolutions: [
        { field: 'a', took: 'remote' },
        { field: 'lines', took: 'local' },
      ],
    },
  },
  {
    name: 'nested objects are compared deeply and key order does not matter',
    base: live({ address: { street: 'Lê Lợi', ward: { code: '00004', name: 'Ba Đình' } }, a: 1 }),
    local: live({ a: 1, address: { ward: { name: 'Ba Đình', code: '00004' }, street: 'Lê Lợi' } }),
    remote: live({ a: 1, address: { street: 'Lê Lợi', ward: { code: '00004', name: 'Ba Đình' } }, b: 2 }),
    expect: { kind: 'take-remote' },
  },
  {
    name: 'a change deep inside a nested object is a change of the whole top-level field',
    base: live({ address: { street: 'Lê Lợi', no: 1 } }),
    local: live({ address: { street: 'Lê Lợi', no: 2 } }),
    remote: live({ address: { street: 'Trần Phú', no: 1 } }),
    expect: {
      kind: 'conflict',
      reason: 'fields',
      fields: [
        {
          field: 'address',
          base: { street: 'Lê Lợi', no: 1 },
          local: { street: 'Lê Lợi', no: 2 },
          remote: { street: 'Trần Phú', no: 1 },
        },
      ],
      autoResolved: [],
    },
  },
  {
    name: 'top-level key order does not make versions differ',
    base: live({ a: 1, b: 2 }),
    local: live({ b: 3, a: 1 }),
    remote: live({ a: 1, b: 3 }),
    expect: { kind: 'identical' },
  },
];

for (const row of rows) {
  test(`merge: ${row.name}`, () => {
    const decision = mergeRecord({ base: row.base, local: row.local, remote: row.remote, policies: row.policies ?? {} });
    assert.deepStrictEqual(normalized(decision), normalized(row.expect));
  });
}

test('merge does not modify its inputs', () => {
  const base = live({ a: 1, n: { x: [1] } });
  const local = live({ a: 2, n: { x: [1] } });
  const remote = live({ a: 1, n: { x: [1, 2] } });
  const snapshot = structuredClone({ base, local, remote });
  mergeRecord({ base, local, remote, policies: {} });
  assert.deepStrictEqual({ base, local, remote }, snapshot);
});

test('a field named __proto__ is merged as an ordinary field', () => {
  const base = live(JSON.parse('{"__proto__": 1, "a": 1}') as RecordData);
  const local = live(JSON.parse('{"__proto__": 2, "a": 1}') as RecordData);
  const remote = live(JSON.parse('{"__proto__": 1, "a": 3}') as RecordData);
  const decision = mergeRecord({ base, local, remote, policies: {} });
  assert.equal(decision.kind, 'merged');
  if (decision.kind !== 'merged') return;
  assert.equal(Object.getPrototypeOf(decision.data), Object.prototype);
  assert.deepEqual(JSON.parse(JSON.stringify(decision.data)), JSON.parse('{"__proto__": 2, "a": 3}'));
});

test('valuesEqual is deep JSON equality', () => {
  assert.ok(valuesEqual({ a: 1, b: { c: [1, { d: 2 }] } }, { b: { c: [1, { d: 2 }] }, a: 1 }), 'key order');
  assert.ok(valuesEqual({ a: 1, b: undefined }, { a: 1 }), 'an undefined property is an absent one');
  assert.ok(valuesEqual(undefined, undefined));
  assert.ok(!valuesEqual(null, undefined), 'null is a value');
  assert.ok(!valuesEqual({ a: null }, {}), 'a null property is present');
  assert.ok(!valuesEqual([1, 2], [2, 1]), 'array order');
  assert.ok(!valuesEqual([1], { 0: 1 }), 'an array is not an object');
  assert.ok(!valuesEqual('1', 1));
  assert.ok(!valuesEqual({ a: 1 }, { a: 1, b: 2 }));
  assert.ok(!valuesEqual({ a: 1, b: undefined }, { a: 1, c: 2 }));
});

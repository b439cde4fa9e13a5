import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MissingResolutionError, applyResolution, mergeRecord } from '../../sync-engine/src/domain/index.js';
import type { MergeInput } from '../../sync-engine/src/domain/index.js';

const dossier: MergeInput = {
  base: { deleted: false, data: { status: 'received', handler: 'An', notes: 'gốc', appointmentAt: '2025-08-01', fee: 0 } },
  local: { deleted: false, data: { status: 'processing', handler: 'Bình', notes: 'gốc', appointmentAt: '2025-08-02', fee: 0 } },
  remote: { deleted: false, data: { status: 'returned', handler: 'An', notes: 'trung ương', appointmentAt: '2025-08-03', fee: 0 } },
  policies: {},
};

test('a conflict decision lists the manual fields and pre-resolves the others', () => {
  const decision = mergeRecord(dossier);
  assert.equal(decision.kind, 'conflict');
  if (decision.kind !== 'conflict') return;
  assert.deepEqual(decision.fields.map((f) => f.field).sort(), ['appointmentAt', 'status']);
  assert.deepEqual(
    decision.autoResolved.map((r) => [r.field, r.took]).sort(),
    [
      ['handler', 'local'],
      ['notes', 'remote'],
    ],
  );
});

test('per-field choices build the record: a side per field, auto-resolved fields pre-filled, untouched fields kept', () => {
  const decision = mergeRecord(dossier);
  const data = applyResolution(dossier, { status: { take: 'remote' }, appointmentAt: { take: 'local' } }, decision);
  assert.deepEqual(data, { status: 'returned', handler: 'Bình', notes: 'trung ương', appointmentAt: '2025-08-02', fee: 0 });
});

test('a typed value replaces both sides, keeping its JSON type', () => {
  const decision = mergeRecord(dossier);
  const data = applyResolution(
    dossier,
    {
      status: { value: 'completed' },
      appointmentAt: { value: null },
      fee: { value: 150000 },
      extra: { value: { checkedBy: ['An', 'Bình'] } },
    },
    decision,
  );
  assert.deepEqual(data, {
    status: 'completed',
    handler: 'Bình',
    notes: 'trung ương',
    appointmentAt: null,
    fee: 150000,
    extra: { checkedBy: ['An', 'Bình'] },
  });
});

test('a person may override an automatic resolution, and an undefined value removes the field', () => {
  const decision = mergeRecord(dossier);
  const data = applyResolution(
    dossier,
    { status: { take: 'local' }, appointmentAt: { take: 'local' }, handler: { take: 'remote' }, notes: { value: undefined } },
    decision,
  );
  assert.deepEqual(data, { status: 'processing', handler: 'An', appointmentAt: '2025-08-02', fee: 0 });
});

test('a missing choice for a conflicting field throws, naming every missing field in both languages', () => {
  const decision = mergeRecord(dossier);
  assert.throws(
    () => applyResolution(dossier, { handler: { take: 'remote' } }, decision),
    (error: unknown) => {
      assert.ok(error instanceof MissingResolutionError);
      assert.deepEqual([...error.fields].sort(), ['appointmentAt', 'status']);
      assert.match(error.message, /status/);
      assert.match(error.message, /appointmentAt/);
      assert.match(error.vi, /còn thiếu: .*status/);
      return true;
    },
  );
});

test('keeping a record against a delete takes the chosen values; every differing field needs a choice', () => {
  const input: MergeInput = {
    base: { deleted: false, data: { a: 1, b: 'x' } },
    local: { deleted: true, data: null },
    remote: { deleted: false, data: { a: 2, b: 'x' } },
    policies: { a: 'local-wins' },
  };
  const decision = mergeRecord(input);
  assert.equal(decision.kind, 'conflict');
  assert.throws(() => applyResolution(input, { a: { take: 'remote' } }, decision), MissingResolutionError);
  assert.deepEqual(applyResolution(input, { a: { take: 'remote' }, b: { take: 'remote' } }, decision), { a: 2, b: 'x' });
  assert.deepEqual(
    applyResolution(input, { a: { take: 'local' }, b: { value: 'y' } }, decision),
    { b: 'y' },
    'taking the deleted side leaves the field out',
  );
});

test('a create collision resolves like a field conflict', () => {
  const input: MergeInput = {
    base: null,
    local: { deleted: false, data: { personalId: '001190000001', fullName: 'Đặng Văn A' } },
    remote: { deleted: false, data: { personalId: '001190000001', fullName: 'Đặng Văn An', notes: 'n' } },
    policies: {},
  };
  const decision = mergeRecord(input);
  assert.equal(decision.kind, 'conflict');
  if (decision.kind === 'conflict') assert.equal(decision.reason, 'create-collision');
  assert.deepEqual(applyResolution(input, { fullName: { take: 'remote' } }, decision), {
    personalId: '001190000001',
    fullName: 'Đặng Văn An',
    notes: 'n',
  });
});

test('automatic decisions build their own outcome, with choices applied on top', () => {
  const input: MergeInput = {
    base: { deleted: false, data: { a: 1, b: 1 } },
    local: { deleted: false, data: { a: 2, b: 1 } },
    remote: { deleted: false, data: { a: 1, b: 3 } },
    policies: {},
  };
  const merged = mergeRecord(input);
  assert.equal(merged.kind, 'merged');
  assert.deepEqual(applyResolution(input, {}, merged), { a: 2, b: 3 });
  assert.deepEqual(applyResolution(input, { a: { take: 'remote' } }, merged), { a: 1, b: 3 });
  assert.deepEqual(applyResolution(input, {}, { kind: 'take-remote' }), { a: 1, b: 3 });
  assert.deepEqual(applyResolution(input, {}, { kind: 'keep-local' }), { a: 2, b: 1 });
  assert.throws(() => applyResolution(input, {}, { kind: 'both-deleted' }), /deleted on both sides/);
});

test('a malformed choice is refused rather than guessed', () => {
  const decision = mergeRecord(dossier);
  const bad = { status: { take: 'both' }, appointmentAt: { take: 'local' } } as unknown as Parameters<typeof applyResolution>[1];
  assert.throws(() => applyResolution(dossier, bad, decision), /invalid choice for field status/);
});

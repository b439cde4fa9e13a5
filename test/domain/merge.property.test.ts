import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyResolution, mergeRecord, valuesEqual } from '../../sync-engine/src/domain/index.js';
import type { FieldResolution, MergeDecision, MergeInput, MergeSide } from '../../sync-engine/src/domain/index.js';
import type { FieldPolicy, RecordData } from '../../sync-engine/src/protocol/index.js';
import { normalized } from './support/merge-sides.js';

// Few fields and few values, so that equal values (no change, same change) are frequent.
const FIELDS = ['a', 'b', 'c', 'd'] as const;
const value = fc.constantFrom<unknown>(undefined, 1, 2, 'x', 'Đặng', null, [1, 2], [2, 1], { k: 1, j: [1] }, { j: [1], k: 1 }, { k: 2 });
const data = fc
  .tuple(...FIELDS.map(() => value))
  .map((values) => {
    const out: RecordData = {};
    values.forEach((v, i) => {
      if (v !== undefined) out[FIELDS[i] as string] = v;
    });
    return out;
  });
const side: fc.Arbitrary<MergeSide> = fc.oneof(
  { weight: 5, arbitrary: data.map((d) => ({ data: d, deleted: false })) },
  { weight: 1, arbitrary: fc.constant({ data: null, deleted: true }) },
);
const policy = fc.constantFrom<FieldPolicy | undefined>(undefined, 'manual', 'national-wins', 'local-wins');
const policies = fc.tuple(...FIELDS.map(() => policy)).map((ps) => {
  const out: Record<string, FieldPolicy> = {};
  ps.forEach((p, i) => {
    if (p !== undefined) out[FIELDS[i] as string] = p;
  });
  return out;
});
/** Per field: keep the base's value, or replace it (undefined removes the field). */
const edits = fc.tuple(...FIELDS.map(() => fc.record({ keep: fc.boolean(), v: value })));
function edited(base: MergeSide | null, changes: { keep: boolean; v: unknown }[]): MergeSide {
  const out: RecordData = {};
  FIELDS.forEach((field, i) => {
    const change = changes[i];
    const v = change?.keep ? (base && !base.deleted ? base.data?.[field] : undefined) : change?.v;
    if (v !== undefined) out[field] = structuredClone(v);
  });
  return { data: out, deleted: false };
}
/** A side is often an edit of the base, so that one-sided and same-valued changes are common. */
const derivedSide = (base: MergeSide | null): fc.Arbitrary<MergeSide> =>
  fc.oneof({ weight: 3, arbitrary: edits.map((e) => edited(base, e)) }, { weight: 2, arbitrary: side });
const mergeInput: fc.Arbitrary<MergeInput> = fc
  .option(side, { freq: 5 })
  .chain((base) => fc.record({ base: fc.constant(base), local: derivedSide(base), remote: derivedSide(base), policies }));

const RUNS = { numRuns: 2000 };

function mirrorTook(took: FieldResolution['took']): FieldResolution['took'] {
  const swap: Record<FieldResolution['took'], FieldResolution['took']> = {
    local: 'remote',
    remote: 'local',
    same: 'same',
    'policy-local': 'policy-remote',
    'policy-remote': 'policy-local',
  };
  return swap[took];
}

function mirrorPolicies(ps: Readonly<Record<string, FieldPolicy>>): Record<string, FieldPolicy> {
  const out: Record<string, FieldPolicy> = {};
  for (const [field, p] of Object.entries(ps)) {
    out[field] = p === 'national-wins' ? 'local-wins' : p === 'local-wins' ? 'national-wins' : p;
  }
  return out;
}

/** The decision seen from the other side, field lists sorted so visiting order does not matter. */
function mirror(decision: MergeDecision): MergeDecision {
  const resolutions = (rs: FieldResolution[]) => rs.map((r) => ({ field: r.field, took: mirrorTook(r.took) }));
  switch (decision.kind) {
    case 'take-remote':
      return decision.resolutions ? { kind: 'keep-local', resolutions: resolutions(decision.resolutions) } : { kind: 'keep-local' };
    case 'keep-local':
      return decision.resolutions ? { kind: 'take-remote', resolutions: resolutions(decision.resolutions) } : { kind: 'take-remote' };
    case 'merged':
      return { kind: 'merged', data: decision.data, resolutions: resolutions(decision.resolutions) };
    case 'conflict': {
      const mirrored: MergeDecision = {
        kind: 'conflict',
        reason: decision.reason,
        fields: decision.fields.map((f) => ({ field: f.field, base: f.base, local: f.remote, remote: f.local })),
        autoResolved: resolutions(decision.autoResolved),
      };
      if (decision.deletedSide) mirrored.deletedSide = decision.deletedSide === 'local' ? 'remote' : 'local';
      return mirrored;
    }
    default:
      return decision;
  }
}

test('merge is symmetric: swapping the sides and the two winning policies mirrors the decision', () => {
  fc.assert(
    fc.property(mergeInput, (input) => {
      const forward = mergeRecord(input);
      const backward = mergeRecord({
        base: input.base,
        local: input.remote,
        remote: input.local,
        policies: mirrorPolicies(input.policies),
      });
      assert.deepStrictEqual(normalized(backward), normalized(mirror(forward)));
    }),
    RUNS,
  );
});

test('a merged result holds, per field, a value from local, remote or base, and differs from both sides', () => {
  fc.assert(
    fc.property(mergeInput, (input) => {
      const decision = mergeRecord(input);
      if (decision.kind !== 'merged') return;
      const fieldOf = (s: MergeSide | null, f: string): unknown => (s && !s.deleted ? s.data?.[f] : undefined);
      for (const field of FIELDS) {
        const v = decision.data[field];
        assert.ok(
          [input.local, input.remote, input.base].some((s) => valuesEqual(v, fieldOf(s, field))),
          `field ${field} came from nowhere: ${JSON.stringify(v)}`,
        );
      }
      assert.ok(!valuesEqual(decision.data, input.local.data), 'a merge equal to local is keep-local');
      assert.ok(!valuesEqual(decision.data, input.remote.data), 'a merge equal to remote is take-remote');
    }),
    RUNS,
  );
});

test('delete against edit always goes to a person, whatever the policies', () => {
  fc.assert(
    fc.property(mergeInput, (input) => {
      const decision = mergeRecord(input);
      const oneDeleted = input.local.deleted !== input.remote.deleted;
      const sameAsBase = (s: MergeSide) =>
        input.base !== null && s.deleted === input.base.deleted && (s.deleted || valuesEqual(s.data, input.base.data));
      if (oneDeleted && !sameAsBase(input.local) && !sameAsBase(input.remote)) {
        assert.equal(decision.kind, 'conflict');
        if (decision.kind === 'conflict') assert.equal(decision.reason, 'delete-vs-edit');
      }
      if (decision.kind === 'merged') assert.ok(!input.local.deleted && !input.remote.deleted);
    }),
    RUNS,
  );
});

test('a conflict settled by taking one side for every field yields exactly that side, given its auto-resolutions', () => {
  fc.assert(
    fc.property(mergeInput, fc.constantFrom<'local' | 'remote'>('local', 'remote'), (input, take) => {
      const decision = mergeRecord(input);
      if (decision.kind !== 'conflict') return;
      const choices = Object.fromEntries(decision.fields.map((f) => [f.field, { take }]));
      const data = applyResolution(input, choices, decision);
      for (const f of decision.fields) assert.ok(valuesEqual(data[f.field], f[take]));
      for (const r of decision.autoResolved) {
        const expected = r.took === 'remote' || r.took === 'policy-remote' ? input.remote.data : input.local.data;
        assert.ok(valuesEqual(data[r.field], expected?.[r.field]));
      }
    }),
    RUNS,
  );
});

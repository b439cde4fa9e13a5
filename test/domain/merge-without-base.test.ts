import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRecord, mergeWithoutBase } from '../../sync-engine/src/domain/index.js';
import type { MergeDecision } from '../../sync-engine/src/domain/index.js';
import { gone, live, normalized, type Policies } from './support/merge-sides.js';

/**
 * The merge of a version a platform restore lost against one the restored platform wrote since
 * (sync/lost-changes.ts): the version both started from is unknown, so no field is settled by
 * itself. merge.test.ts has the three-way merge.
 */
test('merge without a base (a version the restore lost against one the platform wrote since): every differing field is to decide, a field absent on one side and one with a policy included; a deleted side is a delete against an edit', () => {
  const local = live({ fullName: 'Nguyễn Thị Hương', registrar: 'Lê Văn Bình', gender: 'F' });
  const remote = live({ fullName: 'Nguyễn Thị Hương', notes: 'sửa', gender: 'M' });
  const policies: Policies = { gender: 'national-wins', registrar: 'local-wins' };
  // With the empty base of a create collision the absent fields and the policies would settle all three.
  assert.equal(mergeRecord({ base: null, local, remote, policies }).kind, 'merged');
  const expected: MergeDecision = {
    kind: 'conflict',
    reason: 'fields',
    fields: [
      { field: 'gender', base: undefined, local: 'F', remote: 'M' },
      { field: 'notes', base: undefined, local: undefined, remote: 'sửa' },
      { field: 'registrar', base: undefined, local: 'Lê Văn Bình', remote: undefined },
    ],
    autoResolved: [],
  };
  assert.deepStrictEqual(normalized(mergeWithoutBase({ local, remote })), normalized(expected));
  assert.deepStrictEqual(mergeWithoutBase({ local, remote: live({ ...local.data }) }), { kind: 'identical' });
  const deleted = mergeWithoutBase({ local, remote: gone() });
  assert.deepStrictEqual([deleted.kind, deleted.kind === 'conflict' ? [deleted.reason, deleted.deletedSide, deleted.fields.length] : null], ['conflict', ['delete-vs-edit', 'remote', 3]]);
  assert.deepStrictEqual(mergeWithoutBase({ local: gone(), remote: gone() }), { kind: 'both-deleted' });
});

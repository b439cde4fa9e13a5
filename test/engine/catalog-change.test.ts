import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { refreshCatalog } from '../../sync-engine/src/sync/catalog-refresh.js';
import { pullDataset } from '../../sync-engine/src/sync/pull-phase.js';
import { validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';
import { ScriptedPlatform } from './support/scripted-platform.js';

// The platform's catalog changes (a new version of a dataset) while this office's changes wait:
// what a person already sees keeps its meaning.

const DS = 'civil-status-births';
const BIRTHS = datasetByName(DS)!;
let f: EngineFixture;
let platform: ScriptedPlatform;
beforeEach(async () => {
  f = await openEngineFixture();
  platform = new ScriptedPlatform();
});
afterEach(async () => f.close());

const pull = () => pullDataset(f.ctx, platform, BIRTHS, { limit: 1000, maxPages: 100 }, { pulled: 0, conflicts: 0, autoMerged: 0, resent: 0, swept: 0, resynced: false });

/** The next version of the births dataset: notes are no longer the registering office's own (manual). */
function notesBecomeManual(): void {
  platform.datasets = platform.datasets.map((d) => (d.name === DS ? { ...d, version: d.version + 1, fieldPolicies: {} } : d));
}

/** A conflict on the registrar; the notes, changed on both sides too, went to this office by their policy (local-wins). */
async function conflictWithNotesByPolicy(): Promise<{ id: string; conflictId: string }> {
  const id = uuidv7();
  platform.put(DS, id, 1, validBirth());
  await pull();
  await f.writes.put(DS, validBirth({ registrar: 'Lê Văn Bình', notes: 'ghi chú của xã' }), { id });
  platform.put(DS, id, 2, validBirth({ registrar: 'Hoàng Minh Đức', notes: 'ghi chú quốc gia' }));
  await pull();
  const [conflict] = await f.conflicts.list({ status: 'open' });
  assert.deepEqual(conflict?.fields.map((x) => x.field), ['registrar']);
  assert.deepEqual(conflict?.details.autoResolved, [{ field: 'notes', took: 'policy-local' }]);
  return { id, conflictId: conflict!.id };
}

for (const [take, registrar] of [
  ['take-remote', 'Hoàng Minh Đức'],
  ['keep-local', 'Lê Văn Bình'],
] as const) {
  test(`a conflict opened before a field's policy changed settles by ${take} as the person saw it: the field the policy resolved keeps that value`, async () => {
    const { id, conflictId } = await conflictWithNotesByPolicy();
    notesBecomeManual();
    await refreshCatalog(f.ctx, platform);
    assert.equal(await f.conflicts.resolve(conflictId, { kind: take }), 'queued');
    const record = await f.reads.get(DS, id);
    assert.equal(record?.data?.['registrar'], registrar);
    assert.equal(record?.data?.['notes'], 'ghi chú của xã', 'the notes as the conflict screen showed them, pre-filled by the policy');
    const [entry] = await f.outbox.list();
    assert.equal(entry?.baseRev, 2);
  });
}

test('choosing per field on a conflict opened before a policy changed needs a choice only for the fields the person was shown', async () => {
  const { id, conflictId } = await conflictWithNotesByPolicy();
  notesBecomeManual();
  await refreshCatalog(f.ctx, platform);
  assert.equal(await f.conflicts.resolve(conflictId, { kind: 'fields', choices: { registrar: { take: 'remote' } } }), 'queued');
  assert.equal((await f.reads.get(DS, id))?.data?.['notes'], 'ghi chú của xã');
});

/** The next version of the births dataset requires a field neither side's records have yet. */
function ethnicityRequired(): void {
  platform.datasets = platform.datasets.map((d) => {
    if (d.name !== DS) return d;
    const schema = d.schema as { properties: Record<string, unknown>; required: string[] };
    return {
      ...d,
      version: d.version + 1,
      schema: { ...schema, properties: { ...schema.properties, ethnicity: { type: 'string', minLength: 1 } }, required: [...schema.required, 'ethnicity'] },
    };
  });
}

test('after a schema version the national version of a conflict can still be taken as it is (nothing is sent); keeping this office\'s side is checked against the new schema', async () => {
  const { id, conflictId } = await conflictWithNotesByPolicy();
  ethnicityRequired();
  await refreshCatalog(f.ctx, platform);
  await assert.rejects(f.conflicts.resolve(conflictId, { kind: 'keep-local' }), (error: Error) => error.name === 'ValidationFailed');
  // The national version whole (the notes too), which the platform already holds: adopted, nothing to check or send.
  assert.equal(await f.conflicts.resolve(conflictId, { kind: 'fields', choices: { registrar: { take: 'remote' }, notes: { take: 'remote' } } }), 'adopted-remote');
  const record = await f.reads.get(DS, id);
  assert.equal(record?.state, 'synced');
  assert.equal(record?.rev, 2);
  assert.equal(record?.data?.['registrar'], 'Hoàng Minh Đức');
  assert.equal(await f.count('outbox'), 0);
});

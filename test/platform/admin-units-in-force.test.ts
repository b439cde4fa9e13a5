import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPlatformAdmin } from '../../national-platform/src/index.js';
import type { MutationResult, PushResponse } from '../../sync-engine/src/protocol/push.js';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';
import { hanoiWard, validBirth } from '../datasets/fixtures.js';
import { describeOnEachStore, upsert } from '../support/platform-harness.js';

const BIRTHS = 'civil-status-births';
const unit = hanoiWard;

function only(res: { status: number; body: PushResponse }): MutationResult {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.results.length, 1);
  return res.body.results[0] as MutationResult;
}

const codesOf = (result: MutationResult) => (result.status === 'rejected' ? result.errors.map((e) => e.code) : result.status);

/**
 * The platform validates by the `admin-units` records it holds and publishes
 * (the bundled table while it holds none): a commune the operator adds is
 * accepted in a push after it, refused before; one the operator removes is
 * refused after. Written through an admin service of its own (the CLI's, as
 * another process), so serve learns of it from the store, not from memory.
 */
describeOnEachStore('admin units in force', (env) => {
  test('a commune published as an admin-units record is accepted in pushes and site scopes after, and refused before', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const operator = createPlatformAdmin({ store: p.store });
    const before = only(await agent.push<PushResponse>([upsert(BIRTHS, validBirth({ personalId: '001301000001', placeOfBirthCommuneCode: '99001' }))]));
    assert.deepEqual(codesOf(before), ['unknown_commune']);
    await assert.rejects(p.admin.setSiteScope('HN-01', { provinceCode: '01', communeCodes: ['99001'] }), /99001/);

    await operator.putRecords('admin-units', [{ data: unit('00004', 'Phường Ba Đình') }, { data: unit('99001', 'Phường Thử Nghiệm') }]);
    const after = only(await agent.push<PushResponse>([upsert(BIRTHS, validBirth({ personalId: '001301000002', placeOfBirthCommuneCode: '99001' }))]));
    assert.equal(codesOf(after), 'applied');
    // The held table is the whole table: a commune of the bundled one it lacks is unknown now.
    const dropped = only(await agent.push<PushResponse>([upsert(BIRTHS, validBirth({ personalId: '001301000003', placeOfBirthCommuneCode: '00008' }))]));
    assert.deepEqual(codesOf(dropped), ['unknown_commune']);
    const site = await p.admin.setSiteScope('HN-01', { provinceCode: '01', communeCodes: ['99001'] });
    assert.deepEqual(site.scope, { provinceCode: '01', communeCodes: ['99001'] });

    const [removed] = (await operator.listRecords('admin-units')).filter((r) => r.data?.['communeCode'] === '99001');
    assert.ok(removed);
    await operator.deleteRecord('admin-units', removed.id);
    const gone = only(await agent.push<PushResponse>([upsert(BIRTHS, validBirth({ personalId: '001301000004', placeOfBirthCommuneCode: '99001' }))]));
    assert.deepEqual(codesOf(gone), ['unknown_commune']);
  });

  test('an explicit validation.adminUnits is used as given, whatever records the platform holds', async () => {
    const p = await env.start({ validation: { adminUnits: bundledAdminUnits() } });
    const agent = await p.agent('HN-01');
    await p.admin.putRecords('admin-units', [{ data: unit('99001', 'Phường Thử Nghiệm') }]);
    const pushed = only(await agent.push<PushResponse>([upsert(BIRTHS, validBirth({ personalId: '001301000005', placeOfBirthCommuneCode: '99001' }))]));
    assert.deepEqual(codesOf(pushed), ['unknown_commune']);
  });
});

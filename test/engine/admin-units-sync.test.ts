import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createPlatformAdmin, startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { importRecords } from '../../sync-engine/src/import/record-import.js';
import { civilStatusBirthsDataset } from '../../sync-engine/src/protocol/datasets/index.js';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';
import { LocalCreates } from '../../sync-engine/src/records/local-creates.js';
import { registerCsv } from '../agent/support/register-csv.js';
import { hanoiWard, validBirth } from '../datasets/fixtures.js';
import { TestClock } from './support/engine-fixture.js';
import { enrolledAgent, type EnrolledAgent } from './support/enrolled-agent.js';

/**
 * The agent validates by the `admin-units` records it caches, read again after
 * a sync that changed them: a reform the platform publishes needs no new
 * release. The platform publishes a small table of Hà Nội (three communes,
 * one of them new: 99001); the tests run in order and share the agent.
 */
const DS = 'civil-status-births';
const clock = new TestClock();
let dir: string;
let platform: RunningPlatform;
let agent: EnrolledAgent;
let serial = 0;
const birth = (communeCode: string) => validBirth({ personalId: `0013010${String(++serial).padStart(5, '0')}`, placeOfBirthCommuneCode: communeCode });
const unit = hanoiWard;
const refusal = async (communeCode: string): Promise<string | null> => {
  try {
    await agent.writes.put(DS, birth(communeCode));
    return null;
  } catch (error) {
    const errors = (error as { errors?: { code: string }[] }).errors;
    return errors ? errors.map((e) => e.code).join(',') : String(error);
  }
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'admin-units-sync-'));
  platform = await startPlatform({ db: join(dir, 'platform.sqlite'), rateLimit: false, now: () => new Date(clock.now()), log: () => undefined });
  await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
  agent = await enrolledAgent(platform, 'HN-A', clock);
});

after(async () => {
  await agent?.close();
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a platform that publishes no units leaves the bundled table in force: a real commune is taken, an unknown one refused', async () => {
  const first = await agent.sync();
  assert.equal(first.status, 'ok', JSON.stringify(first.errors));
  assert.equal(agent.ctx.adminUnits, bundledAdminUnits());
  assert.equal(await refusal('00004'), null);
  assert.equal(await refusal('99001'), 'unknown_commune');
});

test('after a sync brings a commune the platform added, records.put and the import take it, and the platform accepts it', async () => {
  // The operator publishes (the CLI's own admin service, as another process would).
  const operator = createPlatformAdmin({ store: platform.store });
  await operator.putRecords('admin-units', [{ data: unit('00004', 'Phường Ba Đình') }, { data: unit('00008', 'Phường Ngọc Hà') }, { data: unit('99001', 'Phường Thử Nghiệm') }]);
  assert.equal(await refusal('99001'), 'unknown_commune', 'not before the sync brings it');

  const run = await agent.sync();
  assert.equal(run.status, 'ok', JSON.stringify(run.errors));
  assert.equal(agent.ctx.adminUnits.communeName('99001'), 'Phường Thử Nghiệm');
  assert.equal(await refusal('99001'), null);
  assert.equal(await refusal('00127'), 'unknown_commune', 'a commune the published table does not hold');

  const csv = registerCsv(DS, [birth('Phường Thử Nghiệm')]);
  const outcome = await importRecords(civilStatusBirthsDataset, new LocalCreates(agent.ctx), { dataset: DS, csv, source: 'so.csv', dryRun: false, adminUnits: agent.ctx.adminUnits });
  assert.ok(outcome.ok);
  assert.equal(outcome.result.imported, 1, JSON.stringify(outcome.result.refusals));

  const pushed = await agent.sync();
  assert.equal(pushed.status, 'ok', JSON.stringify(pushed.errors));
  assert.equal(pushed.rejected, 0);
  assert.equal(pushed.pushed, 2);
  const stored = await platform.admin.listRecords(DS);
  assert.equal(stored.filter((r) => r.data?.['placeOfBirthCommuneCode'] === '99001').length, 2);
});

test('a commune the platform removed is refused after the sync; one it still holds is taken', async () => {
  const [ngocHa] = (await platform.admin.listRecords('admin-units')).filter((r) => r.data?.['communeCode'] === '00008');
  assert.ok(ngocHa);
  assert.equal(await refusal('00008'), null, 'taken while the cache holds it');
  await platform.admin.deleteRecord('admin-units', ngocHa.id);
  const run = await agent.sync();
  assert.equal(run.status, 'ok', JSON.stringify(run.errors));
  assert.equal(await refusal('00008'), 'unknown_commune');
  assert.equal(await refusal('00004'), null);
});

test('a run that pulled no change of the units does not read them again', async () => {
  const before = agent.ctx.adminUnits;
  assert.equal((await agent.sync()).status, 'ok');
  assert.equal(agent.ctx.adminUnits, before);
});

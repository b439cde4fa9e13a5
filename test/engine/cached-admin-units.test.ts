import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { CachedAdminUnits, type AdminUnitsFallbackNotice } from '../../sync-engine/src/store/cached-admin-units.js';
import { saveCursor } from '../../sync-engine/src/sync/cursor-store.js';
import { hanoiWard, validBirth } from '../datasets/fixtures.js';
import { openEngineFixture, seedSynced, type EngineFixture } from './support/engine-fixture.js';

/**
 * The units an agent validates by (store/cached-admin-units.ts): its cached
 * `admin-units` records once the dataset was pulled to the end of its feed,
 * else the bundled table; an empty table is never used.
 */
const unit = hanoiWard;

async function caughtUp(f: EngineFixture): Promise<void> {
  await f.store.transaction((tx) => saveCursor(tx, 'admin-units', 'c1.test', true, new Date(f.clock.now()).toISOString()));
}

test('records of a half-pulled first sync are not used; once the dataset was pulled to its end, they are the table', async () => {
  const f = await openEngineFixture();
  try {
    await seedSynced(f, 'admin-units', uuidv7(), unit('99001', 'Phường Thử Nghiệm'), 1);
    const units = new CachedAdminUnits(undefined);
    await units.reload(f.store.sql);
    assert.equal(units.current, bundledAdminUnits(), 'no cursor caught up yet');
    await caughtUp(f);
    await units.reload(f.store.sql);
    assert.equal(units.current.communeName('99001'), 'Phường Thử Nghiệm');
    assert.equal(units.current.hasCommune('00004'), false);
  } finally {
    await f.close();
  }
});

test('a caught-up cache with no province or no commune falls back to the bundled table and says so once', async () => {
  const f = await openEngineFixture();
  try {
    await caughtUp(f);
    const told: AdminUnitsFallbackNotice[] = [];
    const units = new CachedAdminUnits(undefined, (n) => told.push(n));
    await units.reload(f.store.sql);
    await units.reload(f.store.sql);
    assert.equal(units.current, bundledAdminUnits());
    assert.equal(told.length, 1);
    assert.match(told[0]?.texts.vi ?? '', /không có tỉnh hoặc xã/);
    assert.match(told[0]?.texts.en ?? '', /holds no province or no commune/);
    // A record with no commune code makes no unit either.
    await seedSynced(f, 'admin-units', uuidv7(), { provinceCode: '01', provinceName: 'Hà Nội' }, 1);
    await units.reload(f.store.sql);
    assert.equal(units.current, bundledAdminUnits());
    assert.equal(told.length, 1);
  } finally {
    await f.close();
  }
});

test('the service validates by the cached units from the moment it opens', async () => {
  const f = await openEngineFixture();
  const dir = f.dir;
  await seedSynced(f, 'admin-units', uuidv7(), unit('00004', 'Phường Ba Đình'), 1);
  await seedSynced(f, 'admin-units', uuidv7(), unit('99001', 'Phường Thử Nghiệm'), 1);
  await caughtUp(f);
  await f.store.close();
  const service = await createAgentService({ dataDir: dir, onError: () => undefined });
  try {
    const check = async (communeCode: string) => {
      const answer = await service.call('records.validate', { dataset: 'civil-status-births', data: validBirth({ placeOfBirthCommuneCode: communeCode }) });
      assert.ok(answer.ok, JSON.stringify(answer));
      return answer.value.errors.map((e) => e.code);
    };
    assert.deepEqual(await check('99001'), []);
    assert.deepEqual(await check('00127'), ['unknown_commune']);
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

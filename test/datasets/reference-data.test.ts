import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { adminUnitRecordsOf, adminUnitsIndexFromRecords } from '../../sync-engine/src/protocol/datasets/index.js';
import {
  bundledAdminUnits,
  PRE_2025_PROVINCE_CODES,
  PRE_2025_PROVINCES,
} from '../../sync-engine/src/protocol/reference-data/index.js';

const root = resolve(import.meta.dirname, '../..');

test('the bundled table has 34 provinces and 3,321 communes, and 63 pre-2025 provinces', () => {
  const units = bundledAdminUnits();
  assert.equal(units.provinces().length, 34);
  assert.equal(units.communes().length, 3321);
  assert.equal(PRE_2025_PROVINCE_CODES.size, 63);
  assert.equal(PRE_2025_PROVINCES.get('77'), 'Tỉnh Bà Rịa - Vũng Tàu');
});

test('every commune belongs to exactly one existing province', () => {
  const units = bundledAdminUnits();
  const counted = units.provinces().reduce((n, p) => n + units.communesOf(p.code).length, 0);
  assert.equal(counted, 3321);
  for (const c of units.communes()) {
    assert.ok(units.hasProvince(c.provinceCode), c.code);
    assert.equal(units.provinceOfCommune(c.code), c.provinceCode);
  }
  const types = new Map<string, number>();
  for (const c of units.communes()) types.set(c.type, (types.get(c.type) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(types), { phường: 687, xã: 2621, 'đặc khu': 13 });
});

test('the index answers names and membership', () => {
  const units = bundledAdminUnits();
  assert.equal(units.provinceName('79'), 'Thành phố Hồ Chí Minh');
  assert.equal(units.communeName('00004'), 'Phường Ba Đình');
  assert.equal(units.provinceOfCommune('00004'), '01');
  assert.equal(units.commune('06994')?.type, 'đặc khu');
  assert.equal(units.province('01')?.type, 'thành phố trung ương');
  assert.equal(units.hasProvince('02'), false, 'Hà Giang merged on 2025-07-01');
  assert.ok(PRE_2025_PROVINCE_CODES.has('02'));
  assert.equal(units.provinceOfCommune('99999'), undefined);
  assert.deepEqual(units.communesOf('99'), []);
});

test('every province in force keeps a pre-2025 code, so IDs can carry it', () => {
  for (const p of bundledAdminUnits().provinces()) assert.ok(PRE_2025_PROVINCE_CODES.has(p.code), p.code);
});

test('an index built from admin-units records equals the bundled one', () => {
  const bundled = bundledAdminUnits();
  const rebuilt = adminUnitsIndexFromRecords([...adminUnitRecordsOf(bundled), { provinceCode: 1 }]);
  assert.deepEqual(rebuilt.provinces(), bundled.provinces());
  assert.deepEqual(rebuilt.communes(), bundled.communes());
});

test('the generated modules are up to date with the CSVs the platform ships', () => {
  assert.doesNotThrow(() =>
    execFileSync(process.execPath, ['scripts/gen-reference-data.mjs', '--check', '--from', 'national-platform/data'], { cwd: root, stdio: 'pipe' }),
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORMER_PROVINCES, formerProvinceOf, matchProvince, provinceOf } from '../../renderer/src/model/province-name.js';
import { bundledAdminUnits, PRE_2025_PROVINCES } from '../../sync-engine/src/protocol/reference-data/index.js';

// A province typed by its name into a province code field (renderer/src/model/province-name.ts).
const index = bundledAdminUnits();
const provinces = index.provinces().map((p) => ({ provinceCode: p.code, provinceName: p.name }));
// As the form holds them: one row per commune.
const units = index.provinces().flatMap((p) => index.communesOf(p.code).map(() => ({ provinceCode: p.code, provinceName: p.name })));

test('a province typed by its name, with or without accents or its kind, reads as its code', () => {
  assert.equal(provinces.length, 34);
  for (const [text, code] of [
    ['Hà Nội', '01'],
    ['ha noi', '01'],
    ['Thành phố Hà Nội', '01'],
    ['TP Hồ Chí Minh', '79'],
    ['TP. Hồ Chí Minh', '79'],
    ['Hồ Chí Minh', '79'],
    ['ho chi minh', '79'],
    ['TP.HCM', '79'],
    ['tphcm', '79'],
    ['Tỉnh Thanh Hóa', '38'],
    ['thanh hoa', '38'],
    ['Hoà Bình', null],
    ['  tinh   dak lak ', '66'],
    ['Lào Cai', '15'],
    ['Bắc Ninh', '24'],
    ['Thừa Thiên Huế', '46'],
    ['hue', '46'],
    ['nghe', '40'],
  ] as const) {
    const match = matchProvince(units, text);
    if (code === null) assert.ok(match === null || !('code' in match), text);
    else assert.deepEqual(match, { code }, text);
  }
});

test('a province merged into another on 2025-07-01 is told with the province it is now part of, not read as it', () => {
  assert.deepEqual(matchProvince(units, 'Hà Giang'), { former: { code: '02', name: 'Tỉnh Hà Giang', into: '08' } });
  assert.deepEqual(matchProvince(units, 'tinh binh duong'), { former: { code: '74', name: 'Tỉnh Bình Dương', into: '79' } });
  assert.deepEqual(matchProvince(units, 'Ba Ria Vung Tau'), { former: { code: '77', name: 'Tỉnh Bà Rịa - Vũng Tàu', into: '79' } });
  assert.deepEqual(matchProvince(units, 'hoa binh'), { former: { code: '17', name: 'Tỉnh Hoà Bình', into: '25' } });
  // A pre-2025 code no province has now: which province it was and where it is now. A code in force is the province in force.
  assert.deepEqual(formerProvinceOf(units, ' 02 '), { code: '02', name: 'Tỉnh Hà Giang', into: '08' });
  assert.deepEqual(formerProvinceOf(units, '10'), { code: '10', name: 'Tỉnh Lào Cai', into: '15' });
  assert.equal(formerProvinceOf(units, '24'), undefined, '24 was Bắc Giang, and is Bắc Ninh now');
  assert.equal(provinceOf(units, '24')?.provinceName, 'Tỉnh Bắc Ninh');
  assert.equal(provinceOf(units, 'bac ninh'), undefined);
});

test('a part of a name several provinces share lists them; a code, empty text or no province is left to the engine', () => {
  const several = matchProvince(units, 'ninh');
  assert.ok(several && 'several' in several);
  assert.deepEqual(
    several.several.map((p) => p.provinceCode),
    ['22', '24', '37', '80'],
    'Quảng Ninh, Bắc Ninh, Ninh Bình, Tây Ninh: in force only, each once',
  );
  assert.equal(several.total, 4);
  for (const text of ['01', '', '  ', 'khong co tinh nay', 'Tỉnh']) assert.equal(matchProvince(units, text), null, text);
});

test('the pre-2025 provinces are the engine\'s 63, each now part of a province in force, and each province in force keeps one of its parts\' codes', () => {
  assert.deepEqual(
    FORMER_PROVINCES.map((p) => [p.code, p.name]),
    [...PRE_2025_PROVINCES],
  );
  const inForce = new Set(provinces.map((p) => p.provinceCode));
  for (const p of FORMER_PROVINCES) assert.ok(inForce.has(p.into), `${p.name} → ${p.into}`);
  for (const code of inForce) assert.equal(FORMER_PROVINCES.find((p) => p.code === code)?.into, code, `${code} is one of its parts' codes`);
  // The 29 provinces that merged into another are those whose names are no longer in force.
  const names = new Set(provinces.map((p) => p.provinceName));
  assert.equal(FORMER_PROVINCES.filter((p) => !names.has(p.name)).length, 29);
});

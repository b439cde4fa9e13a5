import assert from 'node:assert/strict';
import { test } from 'node:test';
import { matchCommune } from '../../renderer/src/model/commune-name.js';
import { FORMER_PROVINCES as FORM_FORMER_PROVINCES, formerProvinceOf, matchProvince } from '../../renderer/src/model/province-name.js';
import { FORMER_PROVINCES, formerProvinceOfCode, matchCommuneName, matchProvinceName } from '../../sync-engine/src/import/unit-names.js';
import { bundledAdminUnits, PRE_2025_PROVINCES, PRE_2025_PROVINCES_INTO } from '../../sync-engine/src/protocol/reference-data/index.js';

// The import reads a commune's or province's name in a code cell as the window's record form reads it
// typed into a code field (renderer/src/model/commune-name.ts, province-name.ts), which the engine may
// not import (scripts/layers.mjs): both give the same answers, over the same units in force.
const index = bundledAdminUnits();
const formCommunes = index.communes().map((c) => ({ provinceName: index.provinceName(c.provinceCode)!, communeCode: c.code, communeName: c.name }));
const formProvinces = index.provinces().map((p) => ({ provinceCode: p.code, provinceName: p.name }));

type Answer = null | { code: string } | { several: string[]; total: number } | { former: { code: string; name: string; into: string } };

function answer(match: null | { code: string } | { several: ReadonlyArray<{ code: string } | { communeCode: string } | { provinceCode: string }>; total: number } | { former: { code: string; name: string; into: string } }): Answer {
  if (match === null || 'code' in match || 'former' in match) return match;
  return { several: match.several.map((u) => ('communeCode' in u ? u.communeCode : 'code' in u ? u.code : u.provinceCode)), total: match.total };
}

const COMMUNE_TEXTS = [
  'Phường Hoàn Kiếm',
  'phuong hoan kiem',
  'Hoàn Kiếm',
  '  HOÀN   KIẾM ',
  'ngoc ha',
  'ba dinh',
  'Ba Đình',
  'ba dinh ha noi',
  'ba dinh thanh hoa',
  'Xã Ba Đình Thanh Hóa',
  'tan hoa',
  'Xã Tân Hòa',
  'đặc khu Phú Quý',
  'phu quy',
  'Văn Miếu - Quốc Tử Giám',
  'van mieu quoc tu giam',
  'ha noi',
  'phuong',
  'xa',
  '00004',
  '4',
  '',
  '  ',
  'khong co xa nay',
];

const PROVINCE_TEXTS = [
  'Hà Nội',
  'ha noi',
  'Thành phố Hà Nội',
  'TP Hồ Chí Minh',
  'TP. Hồ Chí Minh',
  'TP.HCM',
  'tphcm',
  'hcm',
  'Hồ Chí Minh',
  'tinh thanh hoa',
  'Tỉnh Thanh Hóa',
  '  tinh   dak lak ',
  'Thừa Thiên Huế',
  'hue',
  'nghe',
  'ninh',
  'giang',
  'Hà Giang',
  'Hoà Bình',
  'hoa binh',
  'Ba Ria Vung Tau',
  'Bà Rịa - Vũng Tàu',
  'tinh binh duong',
  'Tỉnh',
  'TP',
  '01',
  '',
  'khong co tinh nay',
];

test("a commune's name in an import cell reads as the window's form reads it typed", () => {
  // Every 29th commune's own name, with and without accents and kind, besides the table.
  const own = index.communes().filter((_, i) => i % 29 === 0).flatMap((c) => [c.name, c.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/^(Phường|Xã|Đặc khu) /, '')]);
  for (const text of [...COMMUNE_TEXTS, ...own]) {
    assert.deepEqual(answer(matchCommuneName(index, text)), answer(matchCommune(formCommunes, text)), JSON.stringify(text));
  }
  assert.deepEqual(matchCommuneName(index, 'Phường Hoàn Kiếm'), { code: '00070' }, 'and the answers are the units themselves');
});

test("a province's name in an import cell reads as the window's form reads it typed, a merged province told the same", () => {
  for (const text of [...PROVINCE_TEXTS, ...FORMER_PROVINCES.map((p) => p.name), ...formProvinces.map((p) => p.provinceName)]) {
    assert.deepEqual(answer(matchProvinceName(index, text)), answer(matchProvince(formProvinces, text)), JSON.stringify(text));
  }
  for (const code of [...PRE_2025_PROVINCES.keys(), ...formProvinces.map((p) => p.provinceCode), '99', ' 02 ', '']) {
    assert.deepEqual(formerProvinceOfCode(index, code), formerProvinceOf(formProvinces, code), JSON.stringify(code));
  }
  assert.deepEqual(matchProvinceName(index, 'Hà Giang'), { former: { code: '02', name: 'Tỉnh Hà Giang', into: '08' } });
});

test("the engine's merge table is the window's, row for row, and every province goes to a province in force", () => {
  assert.deepEqual(FORMER_PROVINCES, FORM_FORMER_PROVINCES);
  assert.equal(PRE_2025_PROVINCES_INTO.size, 63);
  assert.deepEqual([...PRE_2025_PROVINCES_INTO.keys()], [...PRE_2025_PROVINCES.keys()], 'one row per pre-2025 province, in the same order');
  for (const [code, into] of PRE_2025_PROVINCES_INTO) assert.ok(index.hasProvince(into), `${code} → ${into}`);
});

test('a commune name several communes share is narrowed by the row\'s province, where that leaves any', () => {
  assert.deepEqual(matchCommuneName(index, 'ba dinh', '01'), { code: '00004' });
  assert.deepEqual(matchCommuneName(index, 'Ba Đình', '38'), { code: '16171' });
  assert.deepEqual(answer(matchCommuneName(index, 'ba dinh', '04')), { several: ['00004', '16171', '21499'], total: 3 }, 'none in Cao Bằng: all three');
  assert.deepEqual(matchCommuneName(index, 'ba dinh ha noi', '38'), { code: '00004' }, 'the province written in the cell names one: that one (the row check then says it is not in the row\'s province)');
});

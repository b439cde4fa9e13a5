import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellFieldsOf } from '../../sync-engine/src/import/cell-values.js';
import { mapColumns, unitNameTitle } from '../../sync-engine/src/import/import-columns.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';

const births = DATASETS.find((d) => d.name === 'civil-status-births')!;
const fields = cellFieldsOf(births);
const noBlank = () => false;

/** The header records.export writes: each field's title, a commune or province code followed by its unit's name. */
function exportedHeader(lang: 'vi' | 'en'): string[] {
  return fields.flatMap((f) => [f.title[lang], ...(unitNameTitle(f) ? [unitNameTitle(f)![lang]] : [])]);
}

test("the units' name columns an export writes beside each code are left out, in either language, accents and case aside; the codes are what is read", () => {
  for (const header of [exportedHeader('vi'), exportedHeader('en'), exportedHeader('vi').map((t) => t.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, ''))]) {
    const read = mapColumns(header, fields, noBlank);
    assert.ok(read.ok, JSON.stringify(read));
    assert.equal(header.length, fields.length + 3, 'three code fields, three name columns');
    const mapped = read.columns.fields.map((f) => f?.name ?? null);
    assert.deepEqual(mapped.slice(3, 7), ['birthDate', 'placeOfBirthCommuneCode', null, 'personalId'], header.join(' | '));
    assert.deepEqual(mapped.slice(-5), ['provinceCode', null, 'communeCode', null, 'notes']);
  }
  assert.deepEqual(unitNameTitle(fields.find((f) => f.name === 'placeOfBirthCommuneCode')!), { vi: 'Nơi sinh (mã xã) — tên xã', en: 'Place of birth (commune code) — commune name' });
  assert.deepEqual(unitNameTitle(fields.find((f) => f.name === 'provinceCode')!), { vi: 'Mã tỉnh — tên tỉnh', en: 'Province code — province name' });
  assert.equal(unitNameTitle(fields.find((f) => f.name === 'fullName')!), null, 'no name column beside any other field');
});

test('a file without the name columns (an older export, a register) is read as before; a name column of no code field of the dataset is still an unknown column', () => {
  const older = mapColumns(
    fields.map((f) => f.title.vi),
    fields,
    noBlank,
  );
  assert.ok(older.ok);
  assert.deepEqual(older.columns.fields.map((f) => f?.name), fields.map((f) => f.name));
  // Births have no field titled "Mã xã" (theirs is "Mã xã nơi đăng ký"): a households export's column is no births column.
  const other = mapColumns([...fields.map((f) => f.title.vi), 'Mã xã — tên xã', 'Họ và tên — tên xã'], fields, noBlank);
  assert.ok(!other.ok);
  assert.match(other.messages.vi, /Cột không thuộc bộ dữ liệu: "Mã xã — tên xã", "Họ và tên — tên xã"\./);
});

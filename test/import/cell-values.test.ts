import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldsOf, valueOf } from '../../renderer/src/model/schema-form.js';
import { cellFieldsOf, cellValue } from '../../sync-engine/src/import/cell-values.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';

/** What staff type in each kind of field, as a form input or a spreadsheet cell holds it. */
const TYPED: Record<string, string[]> = {
  date: ['24/03/2012', '24032012', '31022020', '20120324', '24.3.2012', '24-03-2012', '2012-03-24', ' 1/7/2025 ', '31/02/2020', '2012-3-24', 'hôm qua', ''],
  dateTime: ['24/03/2025 14:30', '24032025 14:30', '24/03/2025 8:30', '24/03/2025 08 30', '2025-03-24T07:30:00Z', '2025-03-24T14:30:00+07:00', '24/03/2025 25:00', '24/03/2025', ''],
  integer: ['1500000', '1.500.000', '1 500 000', '50.000.000', '-3', '1,5', '1.5', 'một triệu', ''],
  text: [' Nguyễn Thị Hương ', '001 325 000 123', '001.325.000.123', '0013250001 23', 'abc', '   ', ''],
  longText: ['  ghi chú  ', ''],
  list: ['Bán lẻ\nĂn uống\n\n', ''],
  enum: ['male', 'female', 'active', 'received'],
};

// The window's form (renderer/src/model/schema-form.ts) may not be imported by the engine
// (scripts/layers.mjs); the import reads a cell as the form reads the same text typed in Vietnamese.
test("an imported cell is read as the window's record form reads the same text typed", () => {
  for (const descriptor of DATASETS.filter((d) => d.access === 'read-write')) {
    const form = new Map(fieldsOf(descriptor.schema).map((spec) => [spec.name, spec]));
    for (const field of cellFieldsOf(descriptor)) {
      const spec = form.get(field.name)!;
      assert.equal(field.kind, spec.kind, `${descriptor.name}.${field.name}: the same kind`);
      assert.equal(field.required, spec.required, `${descriptor.name}.${field.name}: required alike`);
      assert.deepEqual(field.options, spec.options, `${descriptor.name}.${field.name}: the same options`);
      assert.equal(field.digits, spec.digits, `${descriptor.name}.${field.name}: the same digits`);
      assert.equal(field.lookup, spec.lookup, `${descriptor.name}.${field.name}: the same administrative unit lookup`);
      for (const text of TYPED[field.kind] ?? []) {
        assert.deepEqual(cellValue(field, text), valueOf(spec, text, 'vi'), `${descriptor.name}.${field.name} ← ${JSON.stringify(text)}`);
      }
    }
  }
});

test('a cell also takes what a spreadsheet in English writes, and an enum by its label in either language, accents and case aside', () => {
  const households = DATASETS.find((d) => d.name === 'business-households')!;
  const fields = new Map(cellFieldsOf(households).map((f) => [f.name, f]));
  const capital = fields.get('capitalVnd')!;
  assert.equal(cellValue(capital, '1,500,000'), 1_500_000);
  assert.equal(cellValue(capital, '1.500,000'), '1.500,000', 'separators mixed: kept as written, for the check to name');
  const status = fields.get('status')!;
  for (const [text, value] of [
    ['Đang hoạt động', 'active'],
    ['dang hoat dong', 'active'],
    ['TẠM NGỪNG KINH DOANH', 'suspended'],
    ['Closed', 'closed'],
    ['đóng cửa', 'đóng cửa'],
  ]) {
    assert.equal(cellValue(status, text!), value, text);
  }
  const births = DATASETS.find((d) => d.name === 'civil-status-births')!;
  const gender = cellFieldsOf(births).find((f) => f.name === 'gender')!;
  assert.deepEqual(['Nữ', 'nu', 'Male', 'nam'].map((t) => cellValue(gender, t)), ['female', 'female', 'male', 'male']);
  const personalId = cellFieldsOf(births).find((f) => f.name === 'fatherPersonalId')!;
  assert.equal(personalId.personalId, true, "a parent's personal ID number is one too");
});

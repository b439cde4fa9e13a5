import assert from 'node:assert/strict';
import { test } from 'node:test';
import { typeaheadPick } from '../../renderer/src/model/option-typeahead.js';

// A list box of the record form chosen by typing the start of an option, without accents too
// (renderer/src/model/option-typeahead.ts).
const STATUS = [
  { value: 'received', label: 'Đã tiếp nhận' },
  { value: 'processing', label: 'Đang xử lý' },
  { value: 'completed', label: 'Đã có kết quả' },
  { value: 'returned', label: 'Trả lại hồ sơ' },
  { value: 'cancelled', label: 'Đã hủy' },
];
const GENDER = [
  { value: 'male', label: 'Nam' },
  { value: 'female', label: 'Nữ' },
];

test('typing the start of an option without accents picks it; the same letter again moves to the next that starts with it', () => {
  assert.equal(typeaheadPick(STATUS, 'd', ''), 'received');
  assert.equal(typeaheadPick(STATUS, 'dd', 'received'), 'processing');
  assert.equal(typeaheadPick(STATUS, 'ddd', 'processing'), 'completed');
  assert.equal(typeaheadPick(STATUS, 'd', 'cancelled'), 'received', 'round again');
  assert.equal(typeaheadPick(STATUS, 'dang', ''), 'processing');
  assert.equal(typeaheadPick(STATUS, 'da c', ''), 'completed');
  assert.equal(typeaheadPick(STATUS, 'Đã h', ''), 'cancelled', 'typed with accents too');
  assert.equal(typeaheadPick(STATUS, 'da', 'completed'), 'completed', 'the chosen one still matches: kept');
  assert.equal(typeaheadPick(STATUS, 'x', 'received'), null, 'none: left to the browser');
  assert.equal(typeaheadPick(GENDER, 'nu', 'male'), 'female');
  assert.equal(typeaheadPick(GENDER, 'n', ''), 'male');
  assert.equal(typeaheadPick(GENDER, 'nn', 'male'), 'female');
});

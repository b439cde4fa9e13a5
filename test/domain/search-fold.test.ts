import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSearchText, foldForSearch, matchesSearch, searchTokens } from '../../sync-engine/src/domain/index.js';

test('"nguyen thi huong" finds "Nguyễn Thị Hương"', () => {
  const text = buildSearchText({ fullName: 'Nguyễn Thị Hương' }, ['fullName']);
  assert.equal(text, 'nguyen thi huong');
  assert.ok(matchesSearch(text, searchTokens('nguyen thi huong')));
  assert.ok(matchesSearch(text, searchTokens('Huong  NGUYEN')), 'word order and case do not matter');
  assert.ok(!matchesSearch(text, searchTokens('nguyen van huong')));
});

test('"dang" finds "Đặng": đ and Đ fold to d, which Unicode decomposition does not do', () => {
  assert.equal('Đ'.normalize('NFD'), 'Đ', 'the premise: Đ has no decomposition');
  assert.equal(foldForSearch('Đặng'), 'dang');
  assert.equal(foldForSearch('đường Điện Biên Phủ'), 'duong dien bien phu');
  assert.ok(matchesSearch(buildSearchText({ name: 'Đặng Văn Lâm' }, ['name']), searchTokens('dang')));
});

test('Ð (U+00D0), typed by legacy keyboards for Đ, folds to d too', () => {
  assert.equal(foldForSearch('\u00d0ặng'), 'dang');
});

test('upper-case Vietnamese folds to plain lower-case letters', () => {
  assert.equal(foldForSearch('DƯƠNG'), 'duong');
  assert.equal(foldForSearch('Hồ Chí Minh'), 'ho chi minh');
  assert.equal(foldForSearch('THỪA THIÊN HUẾ'), 'thua thien hue');
  assert.equal(foldForSearch('Quảng Ngãi, Bà Rịa – Vũng Tàu'), 'quang ngai, ba ria – vung tau');
});

test('pre-decomposed (combining) input folds the same as precomposed input', () => {
  for (const word of ['Nguyễn Thị Hương', 'Đặng', 'Hồ Chí Minh', 'Ỷ Lan', 'ưởng']) {
    const decomposed = word.normalize('NFD');
    assert.notEqual(decomposed, word.normalize('NFC'));
    assert.equal(foldForSearch(decomposed), foldForSearch(word.normalize('NFC')));
  }
});

test('whitespace of any kind collapses to one space and is trimmed', () => {
  assert.equal(foldForSearch('  Lê\u00a0\u00a0Văn\t\nTám  '), 'le van tam');
  assert.equal(foldForSearch(''), '');
});

test('search tokens are the folded words of the query, without empties', () => {
  assert.deepEqual(searchTokens('  Nguyễn   Thị\tHƯƠNG '), ['nguyen', 'thi', 'huong']);
  assert.deepEqual(searchTokens('   '), []);
  assert.ok(matchesSearch('anything', []), 'an empty query matches every record');
});

test('search text joins string and number values of the given fields, flattening arrays', () => {
  const data = {
    fullName: 'Phạm Thị Ánh',
    personalId: '001190000001',
    registrationNo: 42,
    lines: ['Bán lẻ', ['Ăn uống']],
    married: true,
    address: { street: 'Lê Lợi' },
    notes: null,
    ignored: 'Không tìm',
  };
  assert.equal(
    buildSearchText(data, ['registrationNo', 'fullName', 'personalId', 'lines', 'married', 'address', 'notes', 'missing']),
    '42 pham thi anh 001190000001 ban le an uong',
  );
  assert.equal(buildSearchText({}, ['fullName']), '');
});

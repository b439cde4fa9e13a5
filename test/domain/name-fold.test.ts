import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldName } from '../../renderer/src/model/name-fold.js';
import { foldForSearch } from '../../sync-engine/src/domain/search-fold.js';

// The window's fold (renderer/src/model/name-fold.ts) repeats the engine's search fold, which the
// renderer may not import: both give the same answers.
test('the window folds a name as the engine\'s search does', () => {
  for (const text of ['Nguyễn Thị Hương', 'ĐẶNG  văn Đức', 'Ðặng ðức (legacy eth)', 'Xã Quảng Trực', '  Phường Hoàn Kiếm ', 'Ỷ La', 'đặc khu Phú Quý', 'Đã có kết quả']) {
    assert.equal(foldName(text), foldForSearch(text), text);
  }
});

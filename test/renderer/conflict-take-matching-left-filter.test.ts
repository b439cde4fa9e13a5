import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, startConflictsHarness } from './support/conflicts.js';
import { BIRTHS } from './support/fake-data.js';

// A take of all the conflicts a filter holds, after which a counted one is refreshed by a newer national version that
// moves it out of the filter (a national delete of a record this office edited): it is left open and the window names
// it, with what happened and a way to open it, though the filtered list no longer shows it.
describe('a take of every conflict the filter holds names a counted conflict a refresh moved out of the filter (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
    const births = h.agent.records.get(BIRTHS)!;
    for (let i = 0; i < 250; i++) {
      addConflictLike(h.agent, 'c-fields-1', {
        id: `c-commune-${String(i).padStart(4, '0')}`,
        title: `Người đổi mã xã ${i}`,
        recordId: births[100 + i]!.id,
        fields: [{ field: 'placeOfBirthCommuneCode', title: { vi: 'Xã nơi sinh', en: 'Commune of birth' }, base: '00004', local: '00004', national: '00008', auto: null }],
      });
    }
  });
  after(async () => {
    await h?.close();
  });

  test('the result counts it among those left open and names it, out of the filtered list, with a button that opens it, in both languages', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await page.getByLabel('Loại xung đột').selectOption('fields');
    const n = h.agent.conflicts.filter((c) => c.status === 'open' && c.dataset === BIRTHS && c.kind === 'fields').length;
    const bar = page.locator('.bulk-bar');
    await bar.locator('button', { hasText: `Chọn cả ${n} xung đột khớp bộ lọc` }).click();
    await bar.locator('button', { hasText: 'Giữ bên quốc gia ở các trường xung đột, cho các mục đã chọn' }).click();
    const dialog = page.locator('dialog[aria-labelledby="bulk-take-title"]');
    await dialog.locator('h2', { hasText: `Giữ bên quốc gia cho ${n} xung đột đã chọn?` }).waitFor();
    // After the count: the national side deletes the record of one counted edit/edit conflict, which is now a delete conflict.
    const moved = h.agent.conflicts.find((c) => c.id === 'c-commune-0123')!;
    Object.assign(moved, { kind: 'delete-vs-edit', version: 'delete-vs-edit@3', nationalDeleted: true, fields: [] });
    await dialog.getByRole('button', { name: 'Giữ bên quốc gia', exact: true }).click();

    const notice = page.locator('[role="status"]', { hasText: `Đã giải quyết ${n - 1} xung đột; 1 không giải quyết được.` });
    await notice.waitFor();
    await notice.getByText('1 xung đột chưa được giải quyết vì bản quốc gia mới hơn vừa về').waitFor();
    const named = page.locator('[role="status"] .newer-national li', { hasText: 'Người đổi mã xã 123' });
    await named.getByText('nay không còn khớp bộ lọc', { exact: false }).waitFor();
    assert.equal(moved.status, 'open', 'left open');
    assert.equal(await page.locator('.conflicts-table tbody tr', { hasText: 'Người đổi mã xã 123' }).count(), 0, 'the filtered list does not show it');

    await switchLanguage(page, 'en');
    await page.locator('[role="status"]', { hasText: `Conflicts settled: ${n - 1}; not settled: 1.` }).waitFor();
    await named.getByText('no longer matches the filter', { exact: false }).waitFor();
    await named.getByRole('button', { name: 'Người đổi mã xã 123' }).click();
    await page.locator('.conflict-detail h2', { hasText: 'Người đổi mã xã 123' }).waitFor();
    await switchLanguage(page, 'vi');
  });
});

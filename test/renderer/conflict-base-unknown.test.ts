import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, seriousViolations, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, openConflict, startConflictsHarness } from './support/conflicts.js';

// A conflict whose common base is not known (ConflictView `baseKnown` false): the version both sides started from was
// lost when the national platform was restored, or both sides created the record. Its base column says "unknown" in
// words, not a blank a clerk would read as "the field was empty", no side is called changed, and one sentence says why.
// A base that is known and was blank still reads as blank ("—", heard as "(trống)").
describe('a conflict whose original value is unknown (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  const baseCells = (page: Page) => page.locator('.conflict-table tbody tr td:nth-of-type(1)');

  test('lost in a platform restore: the base column reads "không rõ" / "unknown", no side is tagged changed, and one sentence says why, besides the restored notice', async () => {
    const lost = addConflictLike(h.agent, 'c-fields-1', {
      id: 'c-lost-1',
      title: 'Vũ Thị Hạnh',
      restored: { headAt: '2026-11-03T12:00:00.000Z' },
      baseKnown: false,
      baseUnknown: 'restore',
    });
    lost.fields = lost.fields.map((f) => ({ ...f, base: null, auto: null }));
    const page = await h.open();
    await openConflict(page, 'Vũ Thị Hạnh');

    assert.deepEqual(await baseCells(page).allTextContents(), ['không rõ', 'không rõ', 'không rõ', 'không rõ']);
    assert.equal(await page.locator('.conflict-table .change-tag').count(), 0, 'nothing says which side changed a field');
    const note = page.locator('.conflict-detail .base-unknown-note');
    assert.equal(
      await note.textContent(),
      'Không rõ giá trị ban đầu: phiên bản mà hai bên cùng bắt đầu sửa đã bị mất khi nền tảng quốc gia được khôi phục, nên không biết bên nào đã thay đổi gì. Vì vậy mọi chỗ khác nhau đều phải do một người chọn.',
    );
    assert.equal(await page.locator('.conflict-detail .restored-notice').count(), 1, 'the restored notice stays');
    assert.deepEqual(await seriousViolations(page), []);

    await switchLanguage(page, 'en');
    assert.deepEqual(await baseCells(page).allTextContents(), ['unknown', 'unknown', 'unknown', 'unknown']);
    assert.equal(
      await note.textContent(),
      'The original value is unknown: the version both sides started from was lost when the national platform was restored, so nothing tells which side changed what. Every difference must therefore be chosen by a person.',
    );
    await switchLanguage(page, 'vi');
  });

  test('created on both sides: the base column reads "không rõ" and the sentence says there never was an earlier version', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('create-collision');
    // Opened by its id: the list of the new filter comes after the old one, whose first row is another kind.
    await page.locator('#conflict-title-c-collision-1').click();
    await page.locator('.conflict-detail h2').waitFor();
    assert.deepEqual(await baseCells(page).allTextContents(), ['không rõ']);
    assert.equal(await page.locator('.conflict-table .change-tag').count(), 0);
    assert.equal(
      await page.locator('.conflict-detail .base-unknown-note').textContent(),
      'Không rõ giá trị ban đầu vì chưa từng có phiên bản nào trước đó: đơn vị này và cấp quốc gia đã tạo bản ghi này riêng rẽ.',
    );
    await switchLanguage(page, 'en');
    assert.deepEqual(await baseCells(page).allTextContents(), ['unknown']);
    assert.equal(
      await page.locator('.conflict-detail .base-unknown-note').textContent(),
      'The original value is unknown because there never was an earlier version: this office and the national platform created this record separately.',
    );
    await switchLanguage(page, 'vi');
  });

  test('a known base that was blank reads as blank, not as unknown, and the conflict says nothing of an unknown base', async () => {
    const page = await h.open();
    await openConflict(page, 'Nguyễn Thị Hương');
    const notes = page.locator('.conflict-table tbody tr', { hasText: 'Ghi chú' }).locator('td').first();
    assert.equal(await notes.textContent(), '—(trống)');
    assert.equal(await notes.locator('.visually-hidden').textContent(), '(trống)');
    assert.equal(await baseCells(page).filter({ hasText: 'không rõ' }).count(), 0);
    assert.equal(await page.locator('.conflict-detail .base-unknown-note').count(), 0);
    assert.ok((await page.locator('.conflict-table .change-tag').count()) > 0, 'a known base still says which side changed');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo } from './support/browser.js';
import type { Harness } from './support/browser.js';
import type { Page } from 'playwright-core';
import { addConflictLike, openConflict, startConflictsHarness } from './support/conflicts.js';

const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id') as Promise<string | null>;

// The Conflicts screen by keyboard: Escape leaves a conflict as it leaves the record form, and the list's
// "Tải thêm" keeps the focus on its last page.
describe('the conflicts screen by keyboard (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  test("Escape in a conflict goes back to the list, onto its row; with a choice made it asks first, and 'Ở lại nhập tiếp' keeps the choice", async () => {
    const page = await h.open();
    await openConflict(page, 'Nguyễn Thị Hương');
    await page.keyboard.press('Escape');
    await page.locator('.conflicts-table').waitFor();
    assert.equal(await focusedId(page), 'conflict-title-c-fields-1', 'back on the row of the conflict left');

    await openConflict(page, 'Nguyễn Thị Hương');
    const national = page.locator('input[type="radio"][name="choice-c-fields-1-fullName"]').nth(1);
    await national.check();
    await national.press('Escape');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await dialog.locator('button', { hasText: 'Ở lại nhập tiếp' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await national.isChecked(), true, 'the choice is kept');
    assert.equal(await page.locator('.conflict-detail').count(), 1, 'still in the conflict');
    await national.press('Escape');
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.conflicts-table').waitFor();
  });

  test("the list's 'Tải thêm' stays where the focus is once all are shown, unavailable, and the count is said", async () => {
    const open = h.agent.conflicts.filter((c) => c.status === 'open').length;
    const added = 250 - open;
    for (let i = 0; i < added; i++) addConflictLike(h.agent, 'c-fields-1', { id: `c-keys-more-${i}`, title: `Trần Văn Thêm ${i}` });
    try {
      const page = await h.open();
      await goTo(page, 'conflicts');
      const more = page.getByRole('button', { name: 'Tải thêm' });
      await page.locator('p[aria-live="polite"]', { hasText: 'Đang hiện 200 trong 250 xung đột đang chờ.' }).waitFor();
      await more.focus();
      await page.keyboard.press('Enter');
      await page.locator('p[aria-live="polite"]', { hasText: 'Đang hiện 250 trong 250 xung đột đang chờ.' }).waitFor();
      assert.equal(await more.getAttribute('aria-disabled'), 'true');
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.textContent'), 'Tải thêm', 'the focus stayed on it');
    } finally {
      h.agent.conflicts.splice(h.agent.conflicts.length - added, added);
    }
  });
});

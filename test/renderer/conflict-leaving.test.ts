import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, openConflict, openDuplicate, startConflictsHarness } from './support/conflicts.js';

// Leaving a conflict's detail: what is chosen or typed and not yet recorded is asked about first (the
// field choices, a possible duplicate's correction), and Back returns the keyboard focus to the list.
describe('leaving a conflict\'s detail (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('leaving a conflict with a choice or a typed value not yet recorded (another screen, Back) asks first; staying keeps them; a conflict left as shown does not ask', async () => {
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-leave-1', title: 'Lý Thị Mai' });
    const page = await h.open();
    const dialog = page.locator('dialog[open]', { hasText: 'Bỏ những gì đang nhập?' });
    const back = page.locator('.conflict-detail button', { hasText: 'Quay lại' });

    // Opened and left as shown: Back and another screen go at once.
    await openConflict(page, 'Lý Thị Mai');
    await back.click();
    await page.locator('.conflicts-table').waitFor();
    await openConflict(page, 'Lý Thị Mai');
    await page.locator('nav button[data-screen="history"]').click();
    await page.locator('main[data-screen="history"] h1').waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0);

    await openConflict(page, 'Lý Thị Mai');
    const row = page.locator('.conflict-table tbody tr', { hasText: 'Họ và tên' });
    await row.getByLabel('Quốc gia').check();
    await row.getByLabel('Giá trị khác').check();
    const typed = row.getByLabel('Giá trị mới cho trường Họ và tên');
    await typed.fill('Lý Thị Mai Anh');
    // Another screen: asked; Escape stays, with the choice and the typed value kept.
    await page.locator('nav button[data-screen="overview"]').click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator('main').getAttribute('data-screen'), 'conflicts');
    assert.equal(await typed.inputValue(), 'Lý Thị Mai Anh', 'the typed value stays');
    // Back to the list: asked too; staying keeps it.
    await back.click();
    await dialog.locator('button', { hasText: 'Ở lại nhập tiếp' }).click();
    assert.equal(await typed.inputValue(), 'Lý Thị Mai Anh');

    // In English; dropping it goes back to the list, and nothing was sent.
    const sentBefore = h.agent.sent('conflicts.resolve').length;
    await switchLanguage(page, 'en');
    await page.locator('.conflict-detail button', { hasText: 'Back' }).click();
    await page.locator('dialog[open]', { hasText: 'Drop what you typed?' }).locator('button', { hasText: 'Drop it and leave' }).click();
    await page.locator('.conflicts-table').waitFor();
    await switchLanguage(page, 'vi');
    assert.equal(h.agent.sent('conflicts.resolve').length, sentBefore);

    // Only a side chosen, nothing typed: still asked.
    await openConflict(page, 'Lý Thị Mai');
    await page.locator('.conflict-table tbody tr', { hasText: 'Công chức hộ tịch' }).getByLabel('Đơn vị này').check();
    await page.locator('nav button[data-screen="records"]').click();
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('main[data-screen="records"] h1').waitFor();
  });

  test('a possible duplicate\'s correction typed and not sent asks before another screen or Cancel drops it', async () => {
    addConflictLike(h.agent, 'c-duplicate-1', { id: 'c-leave-dup-1', title: 'Đỗ Thị Hạnh' });
    const page = await h.open();
    await openDuplicate(page, h.agent, 'c-leave-dup-1');
    await page.locator('button', { hasText: 'Hai người khác nhau: sửa Số định danh cá nhân' }).click();
    const input = page.locator('.duplicate-correction').getByLabel('Số định danh cá nhân');
    await input.fill('001325000999');
    const dialog = page.locator('dialog[open]', { hasText: 'Bỏ những gì đang nhập?' });
    await page.locator('nav button[data-screen="overview"]').click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await input.inputValue(), '001325000999');
    await page.locator('.duplicate-correction button', { hasText: 'Hủy' }).click();
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.duplicate-correction').waitFor({ state: 'detached' });
  });

  test('a conflict\'s detail takes the keyboard focus, and Back returns it to the conflict\'s row', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    // Whichever conflict is still open: the tests before this one settle some of the fake agent's conflicts.
    const row = page.locator('.conflicts-table tbody button[id^="conflict-title-"]').first();
    const id = await row.getAttribute('id');
    assert.ok(id, 'an open conflict to open');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.locator('#conflict-title:focus').waitFor();
    await page.locator('.conflict-detail button', { hasText: 'Quay lại' }).click();
    await page.locator(`[id="${id}"]:focus`).waitFor();
  });

  test('settling a conflict from its detail puts the keyboard focus on the next conflict\'s row (the one before, after the last), keeping the person\'s place in a long list', async () => {
    for (let i = 0; i < 3; i++) addConflictLike(h.agent, 'c-fields-1', { id: `c-next-${i}`, title: `Người kế tiếp ${i}` });
    const page = await h.open();
    await goTo(page, 'conflicts');
    async function settle(id: string) {
      await page.locator(`[id="conflict-title-${id}"]`).focus();
      await page.keyboard.press('Enter');
      await page.locator('#conflict-title:focus').waitFor();
      await page.locator('button', { hasText: 'Chọn bên quốc gia ở mọi trường xung đột' }).click();
      await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
      await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    }
    await settle('c-next-1');
    await page.locator('[id="conflict-title-c-next-2"]:focus').waitFor();
    await page.locator('[id="conflict-title-c-next-1"]').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate('document.activeElement.id'), 'conflict-title-c-next-2', 'still there once the list is read again');
    await settle('c-next-2');
    await page.locator('[id="conflict-title-c-next-0"]:focus').waitFor();
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { startConflictsHarness } from './support/conflicts.js';

// Between a changed filter and its list, the list of the filter before stays on the screen (it does not
// flicker away); it must not pass for the new filter's.
describe('the conflicts list while a changed filter is asked (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  /** Waits until the window's request for KIND reached the agent (it is held there): the screen has the new filter by then. */
  const asked = (kind: string) => h.agent.lastSent('conflicts.list', (input) => input.kind === kind);
  const inert = (page: Page) => page.locator('.conflicts-table').evaluate((table) => table.closest('[inert]') !== null);

  test('the list of the filter before can be neither opened, selected nor taken in bulk, and no count is said for it, until the new list comes', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.locator('#conflict-title-c-fields-1').waitFor();
    assert.equal(await inert(page), false);
    await page.locator('tr:has(#conflict-title-c-fields-1) input[type="checkbox"]').check();
    await page.locator('.bulk-bar').getByText('Đã chọn 1', { exact: true }).waitFor();
    const takes = page.locator('.bulk-bar button', { hasText: 'cho các mục đã chọn' });
    assert.deepEqual(await takes.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-disabled'))), [null, null]);

    const release = h.agent.hold('conflicts.list');
    try {
      await page.getByLabel('Loại xung đột').selectOption('delete-vs-edit');
      await asked('delete-vs-edit');
      // The fields conflict is still drawn, from the list before; it is not the filter's.
      assert.equal(await page.locator('#conflict-title-c-fields-1').count(), 1);
      assert.equal(await inert(page), true, 'the old rows cannot be opened or reached with Tab');
      assert.equal(await page.locator('main p[role="status"]').innerText(), 'Đang lọc danh sách xung đột…');
      assert.equal(await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).isDisabled(), true);
      assert.equal(await page.locator('button', { hasText: /^Chọn cả \d/ }).count(), 0, 'no "all matching" with the old total');
      assert.deepEqual(await takes.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-disabled'))), ['true', 'true'], 'no bulk take on the old rows');
    } finally {
      release();
    }

    const deletes = h.agent.conflicts.filter((c) => c.status === 'open' && c.kind === 'delete-vs-edit');
    await page.locator('main p[role="status"]', { hasText: `${deletes.length} xung đột đang chờ khớp bộ lọc.` }).waitFor();
    assert.equal(await inert(page), false);
    assert.equal(await page.locator('#conflict-title-c-fields-1').count(), 0);
    assert.deepEqual((await page.locator('.conflicts-table tbody tr button.link-button').evaluateAll((b) => b.map((e) => e.id))).sort(), deletes.map((c) => `conflict-title-${c.id}`).sort());
    assert.equal(await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).isDisabled(), false);
  });

  test('in English, the filter being asked is said so', async () => {
    const page = await h.open();
    await switchLanguage(page, 'en');
    await goTo(page, 'conflicts');
    await page.locator('#conflict-title-c-fields-1').waitFor();
    const release = h.agent.hold('conflicts.list');
    try {
      await page.getByLabel('Kind of conflict').selectOption('create-collision');
      await asked('create-collision');
      assert.equal(await page.locator('main p[role="status"]').innerText(), 'Filtering the list of conflicts…');
    } finally {
      release();
    }
    await page.locator('main p[role="status"]', { hasText: 'Open conflicts matching the filter: 1.' }).waitFor();
    await switchLanguage(page, 'vi');
  });
});

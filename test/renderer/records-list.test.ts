import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { ADMIN_UNITS, BIRTHS } from './support/fake-data.js';

describe('the records list: scrolling and keyboard (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('scrolls through 100,000 records keeping fewer than 100 rows in the page', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    const scroller = page.getByTestId('record-scroll');
    const rows = page.locator('.vlist-body [role="row"]');
    let most = 0;
    for (const fraction of [0.1, 0.25, 0.5, 0.75, 1]) {
      await scroller.evaluate((el, f) => el.scrollTo(0, el.scrollHeight * f), fraction);
      await page.locator('.vlist-body .row-open').nth(5).waitFor();
      most = Math.max(most, await rows.count());
    }
    // The very last record is on screen, loaded through records.list with a high offset.
    await page.locator('.vlist-body [role="row"][aria-rowindex="100001"] .row-open').waitFor();
    assert.ok(most < 100, `at most ${most} row elements`);
    const offsets = h.agent.sent('records.list').map((i) => i.offset);
    assert.ok(offsets.includes(99_900), `pages fetched by offset: ${offsets.join(', ')}`);
    // The administrative units (for the communes' names) are read apart, in pages of their own.
    const listed = h.agent.sent('records.list').filter((i) => i.dataset !== ADMIN_UNITS);
    assert.ok(listed.every((i) => i.limit <= 100), 'never asks for more than a page');
  });

  test('the row holding the keyboard focus stays in the page when the scroll bar takes the list to its bottom', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    const row = page.locator('.vlist-body [role="row"][aria-rowindex="5"] .row-open');
    const name = await row.innerText();
    await row.focus();
    const before = h.agent.sent('records.list').length;
    await page.getByTestId('record-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator('.vlist-body [role="row"][aria-rowindex="100001"] .row-open').waitFor();
    const focused = () => page.evaluate('[document.activeElement.className, document.activeElement.textContent.slice(0, 60)]') as Promise<[string, string]>;
    assert.deepEqual(await focused(), ['link-button row-open', name], 'the focus did not fall to the page');
    const pagesAsked = h.agent.sent('records.list').slice(before).map((i) => i.offset);
    // The kept row must not make the list ask for every page between it and the bottom.
    assert.ok(pagesAsked.length < 50, `${pagesAsked.length} pages fetched: ${pagesAsked.slice(0, 20).join(', ')}`);
    // Tab goes on from the list, not from the top of the window.
    await page.keyboard.press('Tab');
    assert.equal((await focused())[0], 'link-button row-open');
  });

  test('Up / Down move the keyboard focus row by row, scrolling past the drawn rows; Home / End go to the first / last record', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    const records = h.agent.records.get(BIRTHS)!;
    const scroller = page.getByTestId('record-scroll');
    /** The focused element's row (its list index) and text, or what holds the focus instead. */
    const focused = () =>
      page.evaluate(`(() => {
        const el = document.activeElement;
        const row = el && el.closest('.vlist-body [data-index]');
        return row && el.classList.contains('row-open') ? [Number(row.dataset.index), el.textContent] : [el ? el.tagName : null, null];
      })()`) as Promise<[number | string | null, string | null]>;
    const titleOf = (index: number) => String(records[index]!.data!.fullName);
    /** Whether the focused row lies wholly inside the list's scrolled window. */
    const focusedInView = () =>
      page.evaluate(`(() => {
        const row = document.activeElement.closest('[data-index]').getBoundingClientRect();
        const box = document.querySelector('[data-testid="record-scroll"]').getBoundingClientRect();
        return row.top >= box.top - 1 && row.bottom <= box.bottom + 1;
      })()`) as Promise<boolean>;

    await page.locator('.vlist-body [data-index="0"] .row-open').focus();
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await focused(), [1, titleOf(1)]);
    assert.equal(await scroller.evaluate((el) => el.scrollTop), 0, 'a row already in view: the list does not scroll');
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await focused(), [0, titleOf(0)]);
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await focused(), [0, titleOf(0)], 'Up on the first row stays there');

    // Well past the rows drawn at first: the list follows the focus.
    const drawn = await page.locator('.vlist-body [role="row"]').count();
    for (let n = 0; n < drawn + 10; n++) await page.keyboard.press('ArrowDown');
    // A locator wait: past its first check, waitForFunction evaluates its string in the page, which the console's CSP refuses.
    await page.locator(`[data-index="${drawn + 10}"]:focus-within`).waitFor();
    assert.deepEqual(await focused(), [drawn + 10, titleOf(drawn + 10)]);
    assert.equal(await focusedInView(), true, 'the focused row is scrolled into view');
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await focused(), [drawn + 9, titleOf(drawn + 9)]);

    const before = h.agent.sent('records.list').length;
    await page.keyboard.press('End');
    await page.locator('.vlist-body [data-index="99999"] .row-open:focus').waitFor();
    assert.deepEqual(await focused(), [99_999, titleOf(99_999)]);
    assert.equal(await focusedInView(), true, 'the last record is scrolled into view');
    const pagesAsked = h.agent.sent('records.list').slice(before).map((i) => i.offset);
    assert.ok(pagesAsked.length < 5, `End asks for the last pages, not every page between: ${pagesAsked.join(', ')}`);
    await page.keyboard.press('ArrowDown');
    assert.deepEqual(await focused(), [99_999, titleOf(99_999)], 'Down on the last row stays there');
    await page.keyboard.press('ArrowUp');
    assert.deepEqual(await focused(), [99_998, titleOf(99_998)]);

    await page.keyboard.press('Home');
    await page.locator('.vlist-body [data-index="0"] .row-open:focus').waitFor();
    assert.equal(await focusedInView(), true, 'the first record is scrolled into view');

    // Enter still opens the focused row's record.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('#record-form-title:focus').waitFor();
    assert.equal(h.agent.sent('records.get').at(-1)?.id, records[1]!.id);
  });

  test('a province-sized list (1,000,000 records) holds the newest 750,000, which the page can scroll to, says so in both languages, and End reaches its last row', async () => {
    h.agent.listTotal = { dataset: BIRTHS, total: 1_000_100 };
    try {
      const page = await h.open();
      await goTo(page, 'records');
      await page
        .locator('[aria-live="polite"]', { hasText: '1.000.100 bản ghi. Danh sách chỉ hiện 750.000 bản ghi mới nhất; hãy tìm kiếm hoặc lọc theo trạng thái để tìm bản ghi cũ hơn.' })
        .waitFor();
      assert.equal(await page.locator('.vlist').getAttribute('aria-rowcount'), String(750_000 + 1));
      await page.locator('.vlist-body [data-index="0"] .row-open').focus();
      await page.keyboard.press('End');
      await page.locator('.vlist-body [data-index="749999"] .row-open:focus').waitFor();
      const inView = await page.evaluate(`(() => {
        const row = document.activeElement.closest('[data-index]').getBoundingClientRect();
        const box = document.querySelector('[data-testid="record-scroll"]').getBoundingClientRect();
        return row.top >= box.top - 1 && row.bottom <= box.bottom + 1;
      })()`);
      assert.equal(inView, true, 'the last row is scrolled into view');
      await switchLanguage(page, 'en');
      await page.locator('[aria-live="polite"]', { hasText: '1,000,100 records. The list holds the newest 750,000; search or filter by state to find older records.' }).waitFor();
    } finally {
      h.agent.listTotal = null;
    }
  });

  test('a record\'s form takes the keyboard focus, and Back returns it to the record\'s row where the list was left', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    const scroller = page.getByTestId('record-scroll');
    await scroller.evaluate((el) => el.scrollTo(0, 44 * 500));
    const row = page.locator('.vlist-body [role="row"][aria-rowindex="505"] .row-open');
    const name = await row.innerText();
    await row.focus();
    await page.keyboard.press('Enter');
    await page.locator('#record-form-title:focus').waitFor();
    await page.locator('.record-form button', { hasText: 'Quay lại' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.vlist-body [role="row"][aria-rowindex="505"] .row-open:focus', { hasText: name }).waitFor();
    assert.ok((await scroller.evaluate((el) => el.scrollTop)) > 44 * 400, 'the list opens where it was left');

    await page.locator('button', { hasText: 'Thêm bản ghi' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#record-form-title:focus').waitFor();
    await page.locator('.record-form button', { hasText: 'Quay lại' }).click();
    await page.locator('button:focus', { hasText: 'Thêm bản ghi' }).waitFor();
  });
});

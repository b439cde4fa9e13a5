import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, hasHorizontalScroll, pageErrors, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';

describe("the Records screen's CSV export (built renderer against the fake admin API)", { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('"Xuất CSV" exports what the list shows (dataset, search, state) from the keyboard, says where and how many, in either language; at 911×512 too', async () => {
    const page = await h.open();
    await page.setViewportSize({ width: 911, height: 512 });
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    await page.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('nguyen thi');
    await page.getByLabel('Trạng thái').selectOption('synced');
    const count = page.locator('main p.muted', { hasText: 'bản ghi khớp với “nguyen thi”' });
    await count.waitFor();
    const shown = Number((await count.innerText()).split(' ')[0]!.replace(/\./g, ''));
    assert.ok(shown > 0, await count.innerText());

    const button = page.getByRole('button', { name: 'Xuất CSV' });
    assert.equal(await button.getAttribute('aria-describedby'), 'export-csv-about export-csv-outcome');
    assert.match(await page.locator('#export-csv-about').innerText(), /Xuất các bản ghi danh sách đang hiện/);
    const outcome = page.locator('#export-csv-outcome');
    assert.equal(await outcome.getAttribute('role'), 'status', 'read out by a screen reader when it changes');

    const release = h.agent.hold('records.export');
    try {
      await button.focus();
      await page.keyboard.press('Enter');
      await outcome.locator('text=Đang xuất tệp CSV…').waitFor();
      assert.equal(await button.getAttribute('aria-disabled'), 'true', 'one press, one file');
    } finally {
      release();
    }
    const done = outcome.locator('.notice-ok');
    await done.waitFor();
    assert.match(await done.innerText(), new RegExp(`^Đã xuất ${shown.toLocaleString('vi-VN')} bản ghi vào tệp C:.*\\\\exports\\\\${BIRTHS}-\\d{8}T\\d{6}Z\\.csv$`));
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Xuất CSV', 'the focus stays on the button');
    assert.equal(await button.getAttribute('aria-disabled'), null);
    assert.deepEqual(h.agent.sent('records.export').at(-1), { dataset: BIRTHS, lang: 'vi', search: 'nguyen thi', state: 'synced', stateColumn: true }, 'the list\'s filter; no path');
    assert.equal(await hasHorizontalScroll(page), false);
    const box = (await button.boundingBox())!;
    assert.ok(box.x + box.width <= 911, `the button ends at ${box.x + box.width} px`);
    assert.deepEqual(await seriousViolations(page), []);

    await switchLanguage(page, 'en');
    await goTo(page, 'records');
    await page.locator('text=100,000 records.').waitFor();
    const english = page.getByRole('button', { name: 'Export CSV' });
    await english.focus();
    await page.keyboard.press('Space');
    await page.locator('#export-csv-outcome .notice-ok', { hasText: /^Exported 100,000 records to the file C:.*\.csv$/ }).waitFor();
    assert.deepEqual(h.agent.sent('records.export').at(-1), { dataset: BIRTHS, lang: 'en', stateColumn: true });
    assert.equal(await hasHorizontalScroll(page), false);
    assert.ok((await english.boundingBox())!.x + (await english.boundingBox())!.width <= 911);
    assert.deepEqual(pageErrors(page), []);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';

describe("a held-back change opens its record's form from the Outbox (built renderer against the fake admin API)", { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test("'Mở bản ghi để sửa' opens the Records screen on that record's form, with the platform's reasons; closing it shows its dataset's list", async () => {
    const page = await h.open('vi');
    const held = h.agent.outbox.find((e) => e.status === 'quarantined')!;
    const title = held.title!;
    await goTo(page, 'outbox');
    const item = page.locator('.quarantine-item', { hasText: title });
    await item.getByRole('button', { name: 'Mở bản ghi để sửa' }).click();

    const form = page.locator('.record-form');
    await form.waitFor();
    assert.equal(await page.locator('nav [aria-current="page"]').getAttribute('data-screen'), 'records');
    assert.equal(await form.locator(`#rf-${held.dataset}-fullName`).inputValue(), title);
    // The reasons it was held back, where they are corrected.
    await form.locator('text=Số định danh cá nhân đã có trong hồ sơ của đơn vị khác.').first().waitFor();
    assert.ok(h.agent.sent('records.get').some((input) => input.dataset === held.dataset && input.id === held.recordId), 'read as it is now');
    assert.deepEqual(await seriousViolations(page), []);

    await form.locator('button', { hasText: 'Quay lại danh sách' }).click();
    await page.locator('.vlist-body .row-open').first().waitFor();
    assert.equal(await page.locator('main select').first().inputValue(), held.dataset);
  });

  test('a record gone from this computer meanwhile says so on the Records screen, in English too', async () => {
    const page = await h.open('en');
    const held = h.agent.outbox.filter((e) => e.status === 'quarantined')[1]!;
    h.agent.byId.delete(`${held.dataset}/${held.recordId}`);
    await goTo(page, 'outbox');
    await page.locator('.quarantine-item', { hasText: held.title! }).getByRole('button', { name: 'Open the record to correct it' }).click();
    await page.locator('.notice', { hasText: 'That record is no longer on this computer' }).waitFor();
    assert.equal(await page.locator('.record-form').count(), 0);
  });
});

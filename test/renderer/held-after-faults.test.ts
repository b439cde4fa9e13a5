import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';

// A change the agent held back because the national platform kept answering it HTTP 500
// (platform_fault, sync/platform-fault.ts) was never judged by the platform: the record is
// not labelled "rejected" but held back for the platform's failure, in the list and the form;
// a record the platform did refuse is still "rejected".
describe('a record held back after the platform failed on it (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('its badge says held back because the platform failed, not rejected, in the list and the form, in both languages', async () => {
    const records = h.agent.records.get(BIRTHS)!;
    const refusedAt = records.findIndex((r, i) => i < 10 && !r.deleted && r.state === 'rejected');
    const heldAt = records.findIndex((r, i) => i < 10 && !r.deleted && r.state === 'synced');
    assert.ok(refusedAt >= 0 && heldAt >= 0, 'a rejected and a synced record among the first rows');
    const held = records[heldAt]!;
    const before = { ...held };
    Object.assign(held, {
      state: 'rejected',
      platformFault: true,
      errors: [
        {
          path: '',
          code: 'platform_fault',
          messages: {
            vi: 'Nền tảng quốc gia bị lỗi khi xử lý thay đổi này 3 lần liên tiếp (HTTP 500, lỗi ở phía nền tảng).',
            en: 'The national platform failed on this change 3 times in a row (HTTP 500, an error on the platform’s side).',
          },
        },
      ],
    });
    try {
      const page = await h.open();
      await goTo(page, 'records');
      const badge = (at: number) => page.locator(`.vlist-body [role="row"][aria-rowindex="${at + 2}"] .badge`).last();
      assert.equal(await badge(heldAt).innerText(), 'Bị giữ lại: nền tảng bị lỗi');
      assert.equal(await badge(refusedAt).innerText(), 'Bị từ chối', 'a record the platform refused is still rejected');
      await switchLanguage(page, 'en');
      await page.locator(`.vlist-body [role="row"][aria-rowindex="${heldAt + 2}"] .badge`, { hasText: 'Held back: the platform failed' }).waitFor();
      assert.equal(await badge(refusedAt).innerText(), 'Rejected');

      await page.locator(`.vlist-body [role="row"][aria-rowindex="${heldAt + 2}"] .row-open`).click();
      await page.locator('#record-form-title:focus').waitFor();
      assert.equal(await page.locator('.record-form .form-head .badge').innerText(), 'Held back: the platform failed');
      await switchLanguage(page, 'vi');
      await page.locator('.record-form .form-head .badge', { hasText: 'Bị giữ lại: nền tảng bị lỗi' }).waitFor();
    } finally {
      for (const key of Object.keys(held)) if (!(key in before)) delete (held as Record<string, unknown>)[key];
      Object.assign(held, before);
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';

// A change the agent held back because the national platform kept answering it HTTP 500
// (platform_fault, sync/platform-fault.ts) was never judged by the platform: the record is
// not labelled "rejected" but held back for the platform's failure, in the list and the form;
// a record the platform did refuse is still "rejected". The Overview counts it apart, the
// form asks nothing to be fixed, and both say how it goes again.
describe('a record held back after the platform failed on it (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  /** Makes a synced record among the first rows one held back after the platform's failures, as the engine shows it; `restore` undoes it. */
  function holdOne(): { heldAt: number; refusedAt: number; restore: () => void } {
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
    const restore = () => {
      for (const key of Object.keys(held)) if (!(key in before)) delete (held as Record<string, unknown>)[key];
      Object.assign(held, before);
    };
    return { heldAt, refusedAt, restore };
  }

  test('its badge says held back because the platform failed, not rejected, in the list and the form, in both languages', async () => {
    const { heldAt, refusedAt, restore } = holdOne();
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
      restore();
    }
  });

  test('its form asks nothing to be fixed and says how the change goes again, with the reason, in both languages', async () => {
    const { heldAt, restore } = holdOne();
    try {
      const page = await h.open();
      await goTo(page, 'records');
      await page.locator(`.vlist-body [role="row"][aria-rowindex="${heldAt + 2}"] .row-open`).click();
      await page.locator('#record-form-title:focus').waitFor();
      const summary = page.locator('.record-form .form-summary');
      await summary.locator('p', { hasText: 'không có trường nào cần sửa' }).waitFor();
      const said = await summary.innerText();
      assert.doesNotMatch(said, /cần sửa trước khi lưu/, 'not "fields to fix": the platform never judged the change');
      assert.equal(await summary.locator('[role="alert"]').count(), 0);
      assert.match(said, /bị giữ lại vì nền tảng quốc gia bị lỗi khi nhận, không phải vì dữ liệu sai: không có trường nào cần sửa.*hãy bấm Gửi lại trong Hàng đợi gửi/s);
      assert.match(said, /lỗi khi xử lý thay đổi này 3 lần liên tiếp/, 'the reason is still shown');
      await switchLanguage(page, 'en');
      await summary.locator('p', { hasText: 'no field needs fixing' }).waitFor();
      assert.doesNotMatch(await summary.innerText(), /to fix before saving/);
      assert.match(await summary.innerText(), /not sent again by itself; once the platform works again, retry it from the Outbox/);
    } finally {
      restore();
    }
  });

  test('the Overview counts it apart from the rejected changes, with the true next step; the records filter names both', async () => {
    const rejected = h.agent.status().rejected;
    const { restore } = holdOne();
    try {
      assert.ok(rejected > 0, 'the fake agent holds records the platform refused');
      assert.deepEqual([h.agent.status().rejected, h.agent.status().platformFaults], [rejected, 1]);
      const page = await h.open();
      const items = page.locator('.attention-list li');
      await items.first().waitFor();
      const texts = (await items.allInnerTexts()).join('\n');
      assert.match(texts, new RegExp(`Có ${rejected} thay đổi bị nền tảng quốc gia từ chối, cần sửa\\.`), 'the rejected count leaves the held one out');
      assert.match(
        texts,
        /Có 1 thay đổi bị giữ lại vì nền tảng quốc gia bị lỗi khi nhận \(nền tảng không từ chối, dữ liệu không cần sửa\)\. Thay đổi bị giữ lại không tự gửi lại: khi nền tảng hoạt động lại, hãy bấm Gửi lại trong Hàng đợi gửi\./,
      );
      // Several items lead to the Outbox with buttons of one name; a screen reader's list of buttons tells them
      // apart by the description each carries: its own item's sentence.
      const described = await page
        .locator('.attention-list button', { hasText: 'Mở hàng đợi gửi' })
        .evaluateAll((buttons) => buttons.map((b) => b.ownerDocument.getElementById(b.getAttribute('aria-describedby') ?? '')?.textContent ?? ''));
      assert.ok(described.length >= 2, described.join('\n'));
      assert.equal(new Set(described).size, described.length, described.join('\n'));
      assert.ok(described.some((d) => /bị nền tảng quốc gia từ chối, cần sửa/.test(d)), described.join('\n'));
      assert.ok(described.some((d) => /bị giữ lại vì nền tảng quốc gia bị lỗi khi nhận/.test(d)), described.join('\n'));
      const fact = (term: string) => page.locator('.facts dt', { hasText: term }).locator('xpath=following-sibling::dd[1]');
      assert.equal(await fact('Thay đổi bị từ chối').innerText(), String(rejected));
      assert.equal(await fact('Bị giữ lại vì nền tảng bị lỗi').innerText(), '1');
      await switchLanguage(page, 'en');
      const item = page.locator('.attention-list li', {
        hasText: '1 change is held back because the national platform failed on it (it did not reject it; nothing needs fixing). It is not sent again by itself: once the platform works again, retry it from the Outbox.',
      });
      await item.waitFor();
      assert.equal(await item.locator('button').innerText(), 'Open the outbox');
      assert.equal(await fact('Held back: the platform failed').innerText(), '1');
      await switchLanguage(page, 'vi');

      await goTo(page, 'records');
      assert.equal(await page.locator('.inline-field select option[value="rejected"]').innerText(), 'Bị từ chối hoặc bị giữ lại');
      await switchLanguage(page, 'en');
      await page.locator('.inline-field select option[value="rejected"]', { hasText: 'Rejected or held back' }).waitFor({ state: 'attached' });
    } finally {
      restore();
    }
  });
});

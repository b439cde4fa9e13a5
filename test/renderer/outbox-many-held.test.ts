import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import type { OutboxEntryView } from '../../sync-engine/src/api/views.js';

/** 400 changes held back after two weeks offline: the first 100 the platform is certain to refuse again, the 300 after them not. */
function holdBack400(outbox: OutboxEntryView[]): OutboxEntryView[] {
  const template = outbox[0]!;
  const lastSeq = Math.max(...outbox.map((e) => e.seq));
  const held = Array.from({ length: 400 }, (_, i): OutboxEntryView => ({
    ...template,
    seq: lastSeq + 1 + i,
    recordId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    title: `Bị giữ số ${i + 1}`,
    status: 'quarantined',
    leftScope: i < 100,
    notOnPlatform: false,
  }));
  return [...outbox.map((e) => ({ ...e, status: e.status === 'quarantined' ? ('queued' as const) : e.status })), ...held];
}

describe('an outbox holding back 400 changes (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.agent.outbox = holdBack400(h.agent.outbox);
  });
  after(async () => {
    await h?.close();
  });

  test('every held-back change is reachable a page at a time, with the count, in both languages', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    const items = page.locator('.quarantine-item');
    await items.first().waitFor();
    const pages = page.locator('nav.held-pages');
    await pages.getByText('Đang hiện thay đổi 1–100 trong 400 thay đổi bị giữ lại.').waitFor();
    assert.equal(await items.count(), 100);
    for (const from of [101, 201, 301]) {
      await pages.locator('button', { hasText: 'Trang sau' }).click();
      await pages.getByText(`Đang hiện thay đổi ${from}–${from + 99} trong 400 thay đổi bị giữ lại.`).waitFor();
    }
    await items.filter({ hasText: 'Bị giữ số 400' }).waitFor();
    assert.equal(await items.count(), 100);
    assert.equal(await pages.locator('button', { hasText: 'Trang sau' }).getAttribute('aria-disabled'), 'true', 'no page past the last');
    await switchLanguage(page, 'en');
    await pages.getByText('Showing changes 301–400 of 400 held back.').waitFor();
    await pages.locator('button', { hasText: 'Previous page' }).click();
    await pages.getByText('Showing changes 201–300 of 400 held back.').waitFor();
    await switchLanguage(page, 'vi');
  });

  test('discarding a held-back change says its record\'s other held-back change on page 2 goes too, with how many, in both languages', async () => {
    const saved = h.agent.outbox.map((e) => ({ ...e }));
    const held = h.agent.outbox.filter((e) => e.status === 'quarantined');
    // Held #150 (page 2) is another change of held #50's record (page 1).
    const [shown, elsewhere, alone] = [held[49]!, held[149]!, held[50]!];
    Object.assign(elsewhere, { recordId: shown.recordId, leftScope: shown.leftScope, title: shown.title });
    try {
      const page = await h.open();
      await goTo(page, 'outbox');
      const dialog = page.getByRole('dialog', { name: /Bỏ thay đổi này\?|Discard this change\?/ });
      const item = (title: string) => page.locator('.quarantine-item').filter({ has: page.getByText(title, { exact: true }) });
      await item(alone.title!).waitFor();
      assert.equal(await page.locator('.quarantine-item').filter({ hasText: 'Bị giữ số 150' }).count(), 0, 'the other change is not on the page shown');

      // A change whose record has no other held-back change: the dialog says nothing of others.
      await item(alone.title!).locator('button', { hasText: 'Bỏ thay đổi này' }).click();
      await dialog.waitFor();
      assert.doesNotMatch(await dialog.innerText(), /thay đổi khác của bản ghi này/);
      await dialog.locator('button', { hasText: 'Giữ thay đổi' }).click();
      await dialog.waitFor({ state: 'detached' });

      await item(shown.title!).first().locator('button', { hasText: 'Bỏ thay đổi này' }).click();
      await dialog.waitFor();
      await dialog.getByText('1 thay đổi khác của bản ghi này đang bị giữ lại (có thể ở trang khác của danh sách) cũng bị bỏ.').waitFor();
      await dialog.locator('button', { hasText: 'Giữ thay đổi' }).click();
      await dialog.waitFor({ state: 'detached' });
      await switchLanguage(page, 'en');
      await item(shown.title!).first().locator('button', { hasText: 'Discard this change' }).click();
      await dialog.getByText('1 other held-back change to this record (perhaps on another page of the list) is discarded too.').waitFor();
      await dialog.locator('button', { hasText: 'Discard the change' }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.deepEqual(h.agent.sent('outbox.discard').at(-1), { seq: shown.seq });
      // As the dialog said: both went.
      await page.locator('nav.held-pages').getByText('Showing changes 1–100 of 398 held back.').waitFor();
      await switchLanguage(page, 'vi');
    } finally {
      h.agent.outbox = saved;
    }
  });

  test('"send all again" is offered when the first page holds only changes the platform would refuse again, and sends the 300 others', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    await page.locator('.quarantine-item').first().waitFor();
    const retryAll = page.locator('button', { hasText: 'Gửi lại tất cả' });
    assert.notEqual(await retryAll.getAttribute('aria-disabled'), 'true', 'the 300 past the first page can be sent again');
    await retryAll.click();
    await page.locator('[role="status"]', { hasText: 'Đã xếp 300 thay đổi' }).waitFor();
    assert.deepEqual(h.agent.sent('outbox.retry').at(-1), {});
    await page.locator('[role="status"]', { hasText: '100 thay đổi vẫn bị giữ lại' }).waitFor();
    // The 100 kept fit one page: the pages go.
    await page.locator('nav.held-pages').waitFor({ state: 'detached' });
    await page.locator('.quarantine-item').nth(99).waitFor();
    assert.equal(await page.locator('.quarantine-item').count(), 100);
  });
});

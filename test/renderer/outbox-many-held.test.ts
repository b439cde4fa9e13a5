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

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { runsThatWentThrough } from './support/fake-activity.js';
import type { OutboxEntryView, SyncRunView } from '../../sync-engine/src/api/index.js';

/**
 * The window walked by keyboard alone, as a clerk with a screen reader works it: Tab, Shift+Tab,
 * Enter and Escape only (page.keyboard), asserting where the focus is after each step. What a
 * screen reader is told (names, live regions, the chart's words) is screen-reader-words.test.ts.
 */

/** The element holding the keyboard focus: its tag and words ('BODY' once the focus fell to the window). */
const focused = (page: Page) =>
  page.evaluate(
    `(() => { const a = document.activeElement; if (!a || a === document.body) return 'BODY'; return a.id && a.tagName === 'INPUT' ? '#' + a.id : (a.textContent || '').trim(); })()`,
  ) as Promise<string>;

async function key(page: Page, keys: string): Promise<string> {
  await page.keyboard.press(keys);
  return focused(page);
}

describe('the window by keyboard alone: where the focus goes (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  test('a "needs attention" item that goes while its button has the focus (a sync emptied the queue) leaves the focus on the list\'s heading', async () => {
    const page = await h.open();
    const stale = page.locator('.attention-list li', { hasText: 'đang chờ gửi, mục cũ nhất' });
    await stale.locator('button').focus();
    const saved = h.agent.outbox;
    try {
      h.agent.outbox = [];
      h.agent.emit('status.changed', h.agent.status());
      await stale.waitFor({ state: 'detached' });
      await page.locator('#attention-heading:focus').waitFor();
      assert.equal(await focused(page), 'Cần xử lý trước');
      assert.equal(await key(page, 'Tab'), 'Giải quyết xung đột', 'Tab goes on to what is left');
    } finally {
      h.agent.outbox = saved;
    }
  });

  test("Sync history: a failed run joining the row of the failures before it leaves that row's button the focus and its details open", async () => {
    const saved = h.agent.runs;
    const night = saved.find((r) => r.repeats)!;
    const base = Date.parse('2026-11-20T08:00:00Z');
    const row = (id: number, count: number): SyncRunView => ({
      ...night,
      id,
      startedAt: new Date(base + id * 300_000).toISOString(),
      finishedAt: new Date(base + id * 300_000 + 30_000).toISOString(),
      repeats: { count, firstId: 48, firstStartedAt: new Date(base + 48 * 300_000).toISOString() },
    });
    const older = saved.filter((r) => !r.repeats).map((r, k): SyncRunView => ({ ...r, id: 40 - k, startedAt: new Date(base - k * 300_000).toISOString() }));
    h.agent.runs = [row(50, 3), ...older];
    try {
      const page = await h.open();
      await goTo(page, 'history');
      const top = page.locator('.history-table tbody tr').first();
      await top.locator('.run-repeats', { hasText: '3 lần liên tiếp' }).waitFor();
      await top.locator('button.disclosure').focus();
      await page.keyboard.press('Enter');
      await page.locator('.run-details-row').waitFor();

      const next = row(51, 4);
      h.agent.runs = [next, ...older];
      h.agent.emit('sync.finished', next);
      await top.locator('.run-repeats', { hasText: '4 lần liên tiếp' }).waitFor();
      assert.equal(await page.evaluate('document.activeElement === document.querySelector(".history-table tbody tr button.disclosure")'), true, 'the focus stays on the row');
      assert.equal(await top.locator('button.disclosure').getAttribute('aria-expanded'), 'true', 'its details stay open');
      await page.locator('.run-details-row', { hasText: 'Chi tiết của lần gần nhất trong 4 lần.' }).waitFor();
    } finally {
      h.agent.runs = saved;
    }
  });

  test('a confirmation keeps Tab and Shift+Tab inside it, and Escape gives the focus back to the button that opened it', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    const opener = page.locator('.quarantine-item').first().locator('button', { hasText: 'Bỏ thay đổi này' });
    await opener.focus();
    assert.equal(await key(page, 'Enter'), 'Giữ thay đổi', 'it opens on the button that keeps things as they are');
    assert.equal(await key(page, 'Tab'), 'Bỏ thay đổi', 'Tab from its last button goes round to its first, not out of the window');
    assert.equal(await key(page, 'Tab'), 'Giữ thay đổi');
    assert.equal(await key(page, 'Shift+Tab'), 'Bỏ thay đổi');
    assert.equal(await key(page, 'Shift+Tab'), 'Giữ thay đổi', 'Shift+Tab from its first goes round to its last');
    assert.equal(await key(page, 'Escape'), 'Bỏ thay đổi này');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    assert.equal(h.agent.sent('outbox.discard').length, 0, 'nothing discarded');

    // The acting-as name dialog: its field, its two buttons, and round again.
    await page.locator('.acting-as button').focus();
    assert.equal(await key(page, 'Enter'), '#acting-as-input');
    assert.equal(await key(page, 'Tab'), 'Lưu');
    assert.equal(await key(page, 'Tab'), 'Hủy');
    assert.equal(await key(page, 'Tab'), '#acting-as-input');
    assert.equal(await key(page, 'Shift+Tab'), 'Hủy');
    assert.equal(await key(page, 'Escape'), 'Đổi tên');
  });

  test('with a schedule that is not one, Save stays in the Tab order, and pressing it takes the person to the schedule', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    await page.locator('#set-schedule').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('mỗi sáng');
    await page.locator('#set-schedule-preview', { hasText: 'Biểu thức lịch không hợp lệ.' }).waitFor();
    assert.equal(await key(page, 'Tab'), '#set-proxy');
    assert.equal(await key(page, 'Tab'), 'Tiếng ViệtEnglish');
    assert.equal(await key(page, 'Tab'), 'Lưu cài đặt', 'Save is reached, not skipped');
    const sent = h.agent.sent('settings.update').length;
    assert.equal(await key(page, 'Enter'), '#set-schedule', 'the field with the problem takes the focus');
    assert.equal(await page.locator('#set-schedule').getAttribute('aria-invalid'), 'true');
    // Enter inside the field does the same, rather than nothing.
    await page.locator('#set-proxy').focus();
    assert.equal(await key(page, 'Enter'), '#set-schedule');
    assert.equal(h.agent.sent('settings.update').length, sent, 'nothing sent');
  });

  test("the Outbox's last 'load more' keeps the focus and says how many are shown; Sync history's 'older runs' takes it to the first run it brought", async () => {
    const savedOutbox = h.agent.outbox;
    const savedRuns = h.agent.runs;
    const template = savedOutbox.find((e) => e.status === 'queued')!;
    h.agent.outbox = [
      ...savedOutbox,
      ...Array.from({ length: 120 }, (_, i): OutboxEntryView => ({ ...template, seq: 10_000 + i, recordId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, title: `Chờ số ${i + 1}` })),
    ];
    const base = Date.parse('2026-11-20T08:00:00Z');
    h.agent.runs = runsThatWentThrough(70, base);
    try {
      const page = await h.open();
      await goTo(page, 'outbox');
      const total = h.agent.outbox.length;
      await page.getByText(`Đang hiện 100 trong ${total} thay đổi.`).waitFor();
      const more = page.locator('button', { hasText: 'Tải thêm' });
      await more.focus();
      await page.keyboard.press('Enter');
      await page.locator('[aria-live="polite"]', { hasText: `Đang hiện ${total} trong ${total} thay đổi.` }).waitFor();
      assert.equal(await page.locator('main table tbody tr').count(), total);
      assert.equal(await focused(page), 'Tải thêm', 'the focus stays where the person was');
      assert.equal(await more.getAttribute('aria-disabled'), 'true', 'nothing more to load');

      await goTo(page, 'history');
      await page.locator('.history-table tbody tr').nth(49).waitFor();
      await page.getByRole('button', { name: 'Xem các lần đồng bộ cũ hơn' }).focus();
      await page.keyboard.press('Enter');
      await page.locator('.history-table tbody tr').nth(69).waitFor();
      await page.getByRole('button', { name: 'Xem các lần đồng bộ cũ hơn' }).waitFor({ state: 'detached' });
      // Run 20 is the first of the older page (runs 70 to 21 came first).
      await page.locator('button.disclosure[aria-controls="run-details-20"]:focus').waitFor();
      assert.equal(await key(page, 'Enter'), await page.locator('button.disclosure[aria-controls="run-details-20"]').innerText(), 'it opens where it is');
      await page.locator('#run-details-20').waitFor();
    } finally {
      h.agent.outbox = savedOutbox;
      h.agent.runs = savedRuns;
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { formatDateTime, formatTime } from '../../renderer/src/model/format.js';

/**
 * What a screen reader user is told, the keyboard their only way in: buttons named so that a list
 * of the window's buttons tells them apart, outcomes said in live regions, the latency chart's
 * gaps in words. Where the focus goes is keyboard-walk.test.ts.
 */

/** The element holding the keyboard focus: its tag and words ('BODY' once the focus fell to the window). */
const focused = (page: Page) =>
  page.evaluate(
    `(() => { const a = document.activeElement; if (!a || a === document.body) return 'BODY'; return a.id && a.tagName === 'INPUT' ? '#' + a.id : (a.textContent || '').trim(); })()`,
  ) as Promise<string>;

/**
 * Marks every live region on the page as it is now: a screen reader announces a change inside a
 * live region it already knew, and often nothing of one that arrives with its text in it.
 */
async function markLiveRegions(page: Page): Promise<void> {
  await page.evaluate(`document.querySelectorAll('[role="status"], [role="alert"], [aria-live]').forEach((el) => el.setAttribute('data-known-region', ''))`);
}

/** The sentence is shown, and inside a live region that was on the page before the press. */
async function announced(page: Page, text: string | RegExp): Promise<void> {
  await page.locator('main', { hasText: text }).waitFor();
  assert.ok((await page.locator('[data-known-region]', { hasText: text }).count()) > 0, `"${String(text)}" is said in a live region the page had before`);
}

describe('the window as a screen reader says it (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  test("the latency chart's words say when the platform did not answer, as the gaps in its line show, in both languages", async () => {
    const page = await h.open();
    const points = h.agent.status().latency;
    const silent = points.filter((p) => p.p50 === null);
    assert.ok(silent.length >= 2, 'the sample has a spell without an answer');
    const [from, to] = [silent[0]!.at, silent.at(-1)!.at];
    assert.ok(points.filter((p) => p.at > from && p.at < to).every((p) => p.p50 === null), 'one spell');
    await page.getByRole('figure', { name: `Không có phản hồi lúc ${formatTime('vi', from)}–${formatTime('vi', to)}.` }).waitFor();
    await switchLanguage(page, 'en');
    await page.getByRole('figure', { name: `No answer at ${formatTime('en', from)}–${formatTime('en', to)}.` }).waitFor();
    await switchLanguage(page, 'vi');
  });

  test('the latency chart names the three latest spells without an answer and counts the ones before them', async () => {
    const now = Date.now();
    const silent = new Set([10, 20, 21, 30, 50, 51, 52, 80]);
    const at = (k: number) => now - (95 - k) * 15 * 60_000;
    const latency = Array.from({ length: 96 }, (_, k) => ({ at: at(k), p50: silent.has(k) ? null : 120, failures: silent.has(k) ? 2 : 0 }));
    const status = h.agent.status.bind(h.agent);
    h.agent.status = () => ({ ...status(), latency });
    try {
      const page = await h.open();
      const spans = (language: 'vi' | 'en') => `${formatTime(language, at(30))}, ${formatTime(language, at(50))}–${formatTime(language, at(52))}, ${formatTime(language, at(80))}`;
      await page.getByRole('figure', { name: `Không có phản hồi lúc ${spans('vi')}, và thêm 2 quãng trước đó.` }).waitFor();
      await switchLanguage(page, 'en');
      await page.getByRole('figure', { name: `No answer at ${spans('en')}; earlier spells without an answer: 2.` }).waitFor();
      await switchLanguage(page, 'vi');
    } finally {
      h.agent.status = status;
    }
  });

  test('the latency chart does not say hours before the agent ran as hours without an answer (a new agent: none failed)', async () => {
    const now = Date.now();
    const at = (k: number) => now - (95 - k) * 15 * 60_000;
    // Installed an hour ago: no probe before point 92, then answers and one failed spell.
    const latency = Array.from({ length: 96 }, (_, k) => ({ at: at(k), p50: k < 92 || k === 94 ? null : 5, failures: k === 94 ? 2 : 0 }));
    const status = h.agent.status.bind(h.agent);
    h.agent.status = () => ({ ...status(), latency });
    try {
      const page = await h.open();
      await page.getByRole('figure', { name: `Không có phản hồi lúc ${formatTime('vi', at(94))}.` }).waitFor();
      await switchLanguage(page, 'en');
      await page.getByRole('figure', { name: `No answer at ${formatTime('en', at(94))}.` }).waitFor();
      await switchLanguage(page, 'vi');
    } finally {
      h.agent.status = status;
    }
  });

  test("each held-back change's buttons are named with its record and dataset, so a list of the window's buttons tells them apart, in both languages", async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    const held = h.agent.outbox.filter((e) => e.status === 'quarantined');
    assert.ok(held.length >= 2);
    await page.locator('.quarantine-item').nth(held.length - 1).waitFor();
    for (const [language, dataset, words] of [
      ['vi', 'Hộ tịch: đăng ký khai sinh', ['Gửi lại', 'Mở bản ghi để sửa', 'Bỏ thay đổi này']],
      ['en', 'Civil status: birth registrations', ['Retry', 'Open the record to correct it', 'Discard this change']],
    ] as const) {
      await switchLanguage(page, language);
      for (const entry of held) {
        for (const word of words) {
          const name = `${word} ${entry.title!} ${dataset}`;
          assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, name);
        }
      }
    }
    await switchLanguage(page, 'vi');
  });

  test("Sync history: each run's button says how it went as well as when, so Tab from row to row tells the failures apart, in both languages", async () => {
    const page = await h.open();
    await goTo(page, 'history');
    const night = h.agent.runs.find((r) => r.repeats)!;
    const conflicts = h.agent.runs.find((r) => r.status === 'conflicts')!;
    for (const [language, failed, found] of [
      ['vi', `Chi tiết lần đồng bộ lúc ${formatDateTime('vi', night.startedAt)}: Không thành công, ${night.repeats!.count} lần liên tiếp`, `Chi tiết lần đồng bộ lúc ${formatDateTime('vi', conflicts.startedAt)}: Có xung đột`],
      ['en', `Details of the sync at ${formatDateTime('en', night.startedAt)}: Failed, ${night.repeats!.count} times in a row`, `Details of the sync at ${formatDateTime('en', conflicts.startedAt)}: Conflicts found`],
    ] as const) {
      await switchLanguage(page, language);
      await page.getByRole('button', { name: failed, exact: true }).waitFor();
      await page.getByRole('button', { name: found, exact: true }).waitFor();
    }
    await switchLanguage(page, 'vi');
  });

  test('retrying a held-back change, saving the settings and checking the audit log are said in a live region the page already had', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    await markLiveRegions(page);
    await page.locator('.quarantine-item').first().locator('button', { hasText: /^Gửi lại$/ }).focus();
    await page.keyboard.press('Enter');
    await announced(page, 'Đã xếp 1 thay đổi');

    await goTo(page, 'settings');
    // The form, and the live region in it, come with the settings' answer: marked once they are there.
    await page.locator('#set-proxy').waitFor();
    await markLiveRegions(page);
    await page.locator('#set-proxy').focus();
    await page.keyboard.type('http://proxy.xa.gov.vn:8080');
    await page.keyboard.press('Enter');
    await announced(page, 'Đã lưu cài đặt');

    const verify = page.locator('button', { hasText: 'Kiểm tra tính toàn vẹn của nhật ký kiểm toán' });
    await verify.focus();
    await page.keyboard.press('Enter');
    await announced(page, /Nhật ký kiểm toán toàn vẹn/);
    // The same answer to a second check is a new notice, said again.
    await page.evaluate(`document.querySelector('#audit-outcome .notice').setAttribute('data-first', '')`);
    await page.keyboard.press('Enter');
    await page.locator('#audit-outcome .notice:not([data-first])').waitFor();
    assert.equal(await focused(page), 'Kiểm tra tính toàn vẹn của nhật ký kiểm toán');
  });
});

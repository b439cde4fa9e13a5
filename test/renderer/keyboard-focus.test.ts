import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';

/** The text of the element holding the keyboard focus ('BODY' when the focus fell to the window). */
const focused = (page: Page) => page.evaluate('document.activeElement === document.body ? "BODY" : document.activeElement.textContent') as Promise<string>;

describe('buttons keep the keyboard focus through their own press (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  /** Focuses the button and presses Enter on it, as a keyboard user does. */
  async function press(page: Page, name: string | RegExp) {
    await page.locator('button', { hasText: name }).focus();
    await page.keyboard.press('Enter');
  }

  test('a bulk take empties the selection, and its button keeps the focus; so does "clear selection"', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption('procedure-dossiers');
    await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).click();
    await page.locator('text=Đã chọn 3').waitFor();
    await press(page, 'Bỏ chọn');
    await page.locator('text=Đã chọn 0').waitFor();
    assert.equal(await focused(page), 'Bỏ chọn');

    await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).click();
    await page.locator('text=Đã chọn 3').waitFor();
    // "Keep this office's version for the selected".
    const take = page.locator('.bulk-bar button').nth(2);
    const label = await take.innerText();
    await take.focus();
    await page.keyboard.press('Enter');
    // Asked first, the focus on "not yet"; the confirm button is one Shift+Tab away.
    await page.locator('dialog[aria-labelledby="bulk-take-title"]').waitFor();
    assert.equal(await focused(page), 'Chưa, quay lại danh sách');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), 'Giữ bên đơn vị này');
    await page.keyboard.press('Enter');
    await page.locator('[role="status"]', { hasText: 'Đã giải quyết 3 xung đột' }).waitFor();
    assert.equal(await focused(page), label);
    assert.equal(await take.getAttribute('aria-disabled'), 'true', 'nothing is selected any more');
    const sent = h.agent.sent('conflicts.resolveMany').length;
    await page.keyboard.press('Enter');
    // A later request of the page, answered and shown, to know the press was handled (not a fixed delay,
    // which a loaded machine may outlast).
    await goTo(page, 'outbox');
    assert.equal(h.agent.sent('conflicts.resolveMany').length, sent, 'a press with nothing selected sends nothing');
  });

  test('a choice the agent refuses leaves the focus on the button pressed, in each kind of conflict', async () => {
    const page = await h.open();
    const stale = (id: string) => {
      const conflict = h.agent.conflicts.find((c) => c.id === id)!;
      conflict.version = `${conflict.kind}@9`;
    };
    const refused = () => page.locator('[role="alert"]', { hasText: 'vừa thay đổi trong lúc bạn đang xem' }).waitFor();

    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('delete-vs-edit');
    // Opened by its id: the list of the new filter comes after the old one, whose first row is another kind.
    await page.locator('#conflict-title-c-delete-1').click();
    stale('c-delete-1');
    await press(page, 'Giữ bản ghi đã sửa');
    await refused();
    assert.equal(await focused(page), 'Giữ bản ghi đã sửa');

    await goTo(page, 'conflicts');
    await page.locator('.conflicts-table button', { hasText: 'Nguyễn Thị Hương' }).first().click();
    await page.locator('button', { hasText: 'Chọn bên đơn vị này ở mọi trường xung đột' }).click();
    stale('c-fields-1');
    await press(page, 'Ghi nhận quyết định');
    await refused();
    assert.equal(await focused(page), 'Ghi nhận quyết định');
    // The choices made stay (the newer version changed none of their fields): leaving without settling asks first.
    await page.locator('nav button[data-screen="overview"]').click();
    await page.locator('dialog[open]').locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('main[data-screen="overview"] h1').waitFor();

    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('possible-duplicate');
    const duplicate = h.agent.conflicts.find((c) => c.kind === 'possible-duplicate' && c.status === 'open')!.id;
    await page.locator(`#conflict-title-${duplicate}`).click();
    stale(duplicate);
    const discard = 'Cùng một người: bỏ bản ghi của đơn vị này';
    await press(page, discard);
    await refused();
    assert.equal(await focused(page), discard);
  });

  test('"retry" on one held-back change moves the focus to the screen\'s heading once its item has left the list, not to the window\'s top', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    const first = page.locator('.quarantine-item').first();
    const title = await first.locator('strong').innerText();
    await first.locator('button', { hasText: /^Gửi lại$/ }).focus();
    await page.keyboard.press('Enter');
    await page.locator('[role="status"]', { hasText: 'Đã xếp 1 thay đổi' }).waitFor();
    await page.locator('.quarantine-item strong', { hasText: title }).waitFor({ state: 'detached' });
    await page.locator('main h1:focus').waitFor();
    assert.equal(await focused(page), 'Hàng đợi gửi');
  });

  test('"retry all" keeps the focus once nothing is held back any more', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    await page.locator('#quarantine-heading').waitFor();
    await press(page, 'Gửi lại tất cả');
    await page.locator('[role="status"]', { hasText: /^Đã xếp [\d.]+ thay đổi để gửi lại/ }).waitFor();
    await page.locator('#quarantine-heading').waitFor({ state: 'detached' });
    assert.equal(await focused(page), 'Gửi lại tất cả');
  });

  test('backup, diagnostics and enrollment keep the focus while they run and after', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    // The agent answers the backup only when the test lets it: the second press comes while it runs.
    const release = h.agent.hold('backup.create');
    try {
      await press(page, 'Sao lưu ngay');
      await page.locator('#backup-outcome', { hasText: 'Đang sao lưu' }).waitFor();
      assert.equal(await focused(page), 'Sao lưu ngay', 'while it runs');
      await page.keyboard.press('Enter');
      release();
      await page.locator('#backup-outcome .notice-ok').waitFor();
      assert.equal(await focused(page), 'Sao lưu ngay', 'once it is done');
      assert.equal(h.agent.sent('backup.create').length, 1, 'a press while it runs makes no second backup');

      await press(page, 'Xuất gói chẩn đoán');
      await page.locator('#diagnostics-outcome .notice-ok').waitFor();
      assert.equal(await focused(page), 'Xuất gói chẩn đoán');
    } finally {
      release();
    }

    await page.getByLabel('Mã đăng ký').fill('one-time-token-0123456789');
    await press(page, /^Đăng ký$/);
    await page.locator('[role="status"]', { hasText: 'Đăng ký thành công' }).waitFor();
    assert.equal(await page.getByLabel('Mã đăng ký').inputValue(), '', 'the used token is cleared');
    assert.equal(await focused(page), 'Đăng ký');
  });
});

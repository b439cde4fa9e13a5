import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import type { OutboxEntryView } from '../../sync-engine/src/api/views.js';
import { DATASETS, datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import { eventually } from '../agent/support/fake-time.js';
import { BIRTHS, DOSSIERS } from './support/fake-data.js';

describe('the outbox screen (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('each held-back change\'s "retry" and "discard" tell a screen reader which record and dataset they act on, in both languages', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    await page.locator('.quarantine-item').first().waitFor();
    /** Each item's record and dataset, and each of its buttons' words with the rest of its name (aria-labelledby). */
    const items = () =>
      page.evaluate(`[...document.querySelectorAll('.quarantine-item')].map((item) => ({
        title: item.querySelector('.quarantine-head strong').textContent + ' ' + item.querySelector('.quarantine-head .muted').textContent,
        buttons: [...item.querySelectorAll('.quarantine-head button')].map((b) =>
          b.textContent + ' / ' + (b.getAttribute('aria-labelledby') || '').split(' ').filter((id) => id && id !== b.id).map((id) => document.getElementById(id)?.textContent ?? '').join(' ')),
      }))`) as Promise<Array<{ title: string; buttons: string[] }>>;
    for (const [language, dataset] of [['vi', 'Hộ tịch: đăng ký khai sinh'], ['en', 'Civil status: birth registrations']] as const) {
      await switchLanguage(page, language);
      const seen = await items();
      assert.ok(seen.length >= 2);
      assert.ok(seen.some((item) => item.title.endsWith(dataset)), `a ${dataset} item`);
      for (const item of seen) {
        assert.ok(item.buttons.length >= 1, item.title);
        for (const button of item.buttons) assert.ok(button.endsWith(` / ${item.title}`), `${button} (${item.title})`);
      }
    }
    await switchLanguage(page, 'vi');
  });

  test('the outbox shows held-back changes with their reasons, and retries one or all', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    const first = page.locator('.quarantine-item').first();
    await first.waitFor();
    assert.match(await first.innerText(), /Số định danh cá nhân đã có/);
    const seq = h.agent.outbox.find((e) => e.status === 'quarantined')!.seq;
    const retries = () => h.agent.sent('outbox.retry').length;
    await first.locator('button', { hasText: 'Gửi lại' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã xếp 1 thay đổi' }).waitFor();
    assert.deepEqual(h.agent.sent('outbox.retry').at(-1), { seq });
    // The notice from the first retry is still shown: wait for the second request itself.
    const before = retries();
    await page.locator('button', { hasText: 'Gửi lại tất cả' }).click();
    await eventually(() => retries() > before);
    assert.deepEqual(h.agent.sent('outbox.retry').at(-1), {});
    await page.locator('.quarantine-item').first().waitFor({ state: 'detached' });
  });

  test('the outbox list filters by state and dataset, and the held-back list stays whole', async () => {
    // Held back again (the test before retried them): the fake outbox holds both kinds.
    for (const e of h.agent.outbox.slice(0, 2)) Object.assign(e, { status: 'quarantined' });
    const page = await h.open();
    await goTo(page, 'outbox');
    const rows = page.locator('section[aria-labelledby="entries-heading"] tbody tr');
    await rows.first().waitFor();
    const held = h.agent.outbox.filter((e) => e.status === 'quarantined');
    assert.ok(held.length > 0 && held.length < h.agent.outbox.length, 'the fake outbox holds both kinds');

    await page.getByLabel('Trạng thái').selectOption('quarantined');
    // Exactly the held-back rows. Locator waits: past its first check, waitForFunction evaluates its string in the page, which the console's CSP refuses.
    await rows.nth(held.length).waitFor({ state: 'detached' });
    await rows.nth(held.length - 1).waitFor();
    assert.deepEqual(h.agent.sent('outbox.list').at(-1), { status: 'quarantined', offset: 0, limit: 100 });
    assert.equal(await rows.filter({ hasText: 'Chờ gửi' }).count(), 0);

    const other = DATASETS.find((d) => !held.some((e) => e.dataset === d.name))!.name;
    await page.getByLabel('Bộ dữ liệu').selectOption(other);
    await page.locator('section[aria-labelledby="entries-heading"] p', { hasText: 'Không có thay đổi nào trong hàng đợi khớp bộ lọc.' }).waitFor();
    assert.equal(await page.locator('.quarantine-item').count(), held.length, 'the held-back list does not follow the table’s filter');
  });

  test('the table of the filter before is dimmed and out of reach until the changed filter\'s rows come', async () => {
    const page = await h.open();
    await goTo(page, 'outbox');
    const table = page.locator('section[aria-labelledby="entries-heading"] table');
    const inert = () => table.evaluate((t) => t.closest('[inert]') !== null);
    await table.locator('tbody tr').first().waitFor();
    assert.equal(await inert(), false);
    const shown = await table.locator('tbody tr').count();

    const release = h.agent.hold('outbox.list');
    try {
      await page.getByLabel('Trạng thái').selectOption('quarantined');
      // Held at the agent: the screen has the new filter by then, and the old rows still.
      await h.agent.lastSent('outbox.list', (input) => input.status === 'quarantined');
      assert.equal(await table.locator('tbody tr').count(), shown);
      assert.equal(await inert(), true);
    } finally {
      release();
    }
    await page.locator('section[aria-labelledby="entries-heading"] .table-wrap:not([inert])').waitFor();
    assert.equal(await table.locator('tbody tr').count(), h.agent.outbox.filter((e) => e.status === 'quarantined').length);
    await page.getByLabel('Trạng thái').selectOption('');
  });

  test('a held change of a record that left the office\'s scope says so, in its held-back item and its row', async () => {
    const [away, near] = h.agent.outbox.slice(0, 2) as [OutboxEntryView, OutboxEntryView];
    Object.assign(away, { status: 'quarantined', leftScope: true });
    Object.assign(near, { status: 'quarantined' });
    try {
      const page = await h.open();
      await goTo(page, 'outbox');
      const items = page.locator('.quarantine-item');
      await items.first().waitFor();
      const item = items.filter({ has: page.locator('.left-scope-notice') });
      assert.equal(await item.count(), 1, 'only the change of the record that left the scope');
      assert.match(await item.innerText(), new RegExp(away.title!));
      assert.match(await item.locator('.left-scope-notice').innerText(), /không còn thuộc phạm vi của đơn vị này.*gửi lại cũng vậy/s);
      const rows = page.locator('section[aria-labelledby="entries-heading"] tbody tr', { hasText: 'Ngoài phạm vi' });
      assert.deepEqual(await rows.locator('td.num').first().allInnerTexts(), [String(away.seq)]);
      assert.equal(await rows.count(), 1);
      assert.deepEqual(await seriousViolations(page), [], 'the notice passes axe');
      await switchLanguage(page, 'en');
      await page.locator('.left-scope-notice', { hasText: 'The national platform does not accept this change' }).waitFor();
      await switchLanguage(page, 'vi');
    } finally {
      away.leftScope = false;
    }
  });

  test('a held change of a record the platform no longer holds is marked in its row, one mark per row, whole at 1024 px, in both languages', async () => {
    const saved = h.agent.outbox.map((e) => ({ ...e }));
    // `both` is also out of the office's scope: the platform's own answer that it no longer holds the record says more.
    const [gone, both, away] = h.agent.outbox.slice(0, 3) as [OutboxEntryView, OutboxEntryView, OutboxEntryView];
    Object.assign(gone, { status: 'quarantined', notOnPlatform: true, nationalVersion: false });
    Object.assign(both, { status: 'quarantined', notOnPlatform: true, nationalVersion: false, leftScope: true });
    Object.assign(away, { status: 'quarantined', leftScope: true });
    try {
      const page = await h.open();
      await goTo(page, 'outbox');
      const table = page.locator('section[aria-labelledby="entries-heading"]');
      const seqs = async (word: string) => (await table.locator('tbody tr', { hasText: word }).locator('td:first-child').allInnerTexts()).map(Number).sort((x, y) => x - y);
      await table.locator('.not-on-platform-badge').first().waitFor();
      assert.deepEqual(await seqs('Không còn ở quốc gia'), [gone.seq, both.seq].sort((x, y) => x - y));
      assert.deepEqual(await seqs('Ngoài phạm vi'), [away.seq], 'one mark per row');
      // Whole: the badge's words on one line, inside its cell, and the table needs no sideways scrolling at 1024 px.
      const whole = () =>
        table.locator('.row-mark-badge').evaluateAll((boxes) =>
          boxes.every((box) => {
            const words = box.ownerDocument.createRange();
            words.selectNodeContents(box.querySelector('.badge')!);
            const lines = new Set([...words.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            const [b, cell] = [box.getBoundingClientRect(), box.closest('td')!.getBoundingClientRect()];
            const wrap = box.closest('.table-wrap')!;
            return lines.size === 1 && b.left >= cell.left && b.right <= cell.right && wrap.scrollWidth <= wrap.clientWidth;
          }),
        );
      assert.equal(await table.locator('.row-mark-badge').count(), 3);
      assert.equal(await whole(), true, 'whole at 1024 px');
      assert.deepEqual(await seriousViolations(page), [], 'the marked rows pass axe');

      await switchLanguage(page, 'en');
      await table.locator('.badge', { hasText: 'Gone nationally' }).first().waitFor();
      assert.deepEqual(await seqs('Gone nationally'), [gone.seq, both.seq].sort((x, y) => x - y));
      assert.deepEqual(await seqs('Out of scope'), [away.seq]);
      assert.equal(await whole(), true, 'whole in English too');
      assert.deepEqual(await vietnameseLeft(page), [], 'no Vietnamese interface text');
      await switchLanguage(page, 'vi');
    } finally {
      h.agent.outbox.forEach((e, i) => Object.assign(e, saved[i]));
    }
  });

  test('a held-back change refused for a date asks for it day/month/year, as the record form does, in both languages', async () => {
    // The engine's own refusals (codes date_format and date_time_format, worded for YYYY-MM-DD), as the platform sends them back.
    const refusal = (dataset: string, data: Record<string, unknown>, field: string) => {
      const e = validateRecordData(datasetByName(dataset)!, data).find((x) => x.path === `/${field}`)!;
      return { path: e.path, code: e.code, messages: e.messages ?? { vi: e.message, en: e.message } };
    };
    const birthDate = refusal(BIRTHS, { birthDate: '2025-02-30' }, 'birthDate');
    const receivedAt = refusal(DOSSIERS, { receivedAt: '31/12/2025' }, 'receivedAt');
    assert.deepEqual([birthDate.code, receivedAt.code], ['date_format', 'date_time_format']);
    assert.match(birthDate.messages.en, /YYYY-MM-DD/, 'the engine\'s own wording asks for YYYY-MM-DD');
    const [birth, dossier] = h.agent.outbox.slice(0, 2) as [OutboxEntryView, OutboxEntryView];
    const saved = [{ ...birth }, { ...dossier }];
    const other = birth.errors[0] ?? { path: '/personalId', code: 'unique', messages: { vi: 'Số định danh cá nhân đã có.', en: 'The personal ID number is already taken.' } };
    Object.assign(birth, { status: 'quarantined', errors: [birthDate, other] });
    Object.assign(dossier, { status: 'quarantined', dataset: DOSSIERS, errors: [receivedAt] });
    try {
      const page = await h.open();
      await goTo(page, 'outbox');
      const reasons = (e: OutboxEntryView) => page.locator('.quarantine-item', { hasText: e.title! }).locator('.reasons li');
      await reasons(birth).first().waitFor();
      assert.deepEqual(await reasons(birth).allInnerTexts(), ['Ngày sinh phải là một ngày có thật, viết theo dạng ngày/tháng/năm (ví dụ 24/03/2012).', other.messages.vi]);
      assert.deepEqual(await reasons(dossier).allInnerTexts(), [
        'Thời điểm tiếp nhận phải là một thời điểm có thật, viết theo dạng ngày/tháng/năm giờ:phút (ví dụ 24/03/2025 14:30).',
      ]);
      await switchLanguage(page, 'en');
      await page.locator('#quarantine-heading', { hasText: 'Changes held back' }).waitFor();
      assert.deepEqual(await reasons(birth).allInnerTexts(), ['Date of birth must be a real date written as day/month/year (e.g. 24/03/2012).', other.messages.en]);
      assert.deepEqual(await reasons(dossier).allInnerTexts(), ['Received at must be a real date and time written as day/month/year hours:minutes (e.g. 24/03/2025 14:30).']);
      await switchLanguage(page, 'vi');
    } finally {
      Object.assign(birth, saved[0]);
      Object.assign(dossier, saved[1]);
    }
  });

  test('a held-back change is discarded only after a dialog that says what is lost, in both languages, with the focus kept in place', async () => {
    const [kept, created, away] = h.agent.outbox.slice(0, 3) as [OutboxEntryView, OutboxEntryView, OutboxEntryView];
    for (const e of h.agent.outbox) Object.assign(e, { status: 'queued', leftScope: false });
    Object.assign(kept, { status: 'quarantined', nationalVersion: true });
    Object.assign(created, { status: 'quarantined', nationalVersion: false });
    Object.assign(away, { status: 'quarantined', nationalVersion: true, leftScope: true });
    const page = await h.open();
    const focused = () => page.evaluate('document.activeElement.textContent') as Promise<string>;
    const discards = () => h.agent.sent('outbox.discard').length;
    await goTo(page, 'outbox');
    const item = (e: OutboxEntryView) => page.locator('.quarantine-item', { hasText: e.title! });
    const dialog = page.getByRole('dialog', { name: /Bỏ thay đổi này\?|Discard this change\?/ });
    await item(kept).waitFor();

    // From the keyboard: the dialog opens on the harmless choice, says the record goes back to the national version; Escape keeps it all.
    await item(kept).locator('button', { hasText: 'Bỏ thay đổi này' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    assert.equal(await focused(), 'Giữ thay đổi');
    assert.match(await dialog.innerText(), new RegExp(`${kept.title}[\\s\\S]*sẽ bị bỏ và không được gửi lên nền tảng quốc gia[\\s\\S]*trở về bản quốc gia[\\s\\S]*Không thể hoàn tác`));
    assert.deepEqual(await seriousViolations(page), [], 'the dialog passes axe');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focused(), 'Bỏ thay đổi này', 'the focus is back on the button that opened it');
    assert.equal(discards(), 0, 'nothing discarded');

    // A record the platform does not hold, and one that left the scope, leave this computer: the dialog says so.
    await item(created).locator('button', { hasText: 'Bỏ thay đổi này' }).click();
    assert.match(await dialog.innerText(), /Nền tảng quốc gia không có bản ghi này .*sẽ không còn trên máy này/);
    await dialog.locator('button', { hasText: 'Giữ thay đổi' }).click();
    await dialog.waitFor({ state: 'detached' });
    await item(away).locator('button', { hasText: 'Bỏ thay đổi này' }).click();
    assert.match(await dialog.innerText(), /không còn thuộc phạm vi của đơn vị này, nên sẽ không còn trên máy này/);
    await dialog.locator('button', { hasText: /^Bỏ thay đổi$/ }).click();
    await page.locator('[role="status"]', { hasText: 'đã bỏ thay đổi; bản ghi không còn trên máy này.' }).waitFor();
    assert.deepEqual(h.agent.sent('outbox.discard').at(-1), { seq: away.seq });
    await item(away).waitFor({ state: 'detached' });
    assert.equal(await focused(), 'Hàng đợi gửi', 'its item is gone: the focus goes to the screen heading');

    // A refusal (the change went back to the queue meanwhile) is said in the dialog, which stays open with the focus on its button.
    Object.assign(created, { status: 'queued' });
    await item(created).locator('button', { hasText: 'Bỏ thay đổi này' }).click();
    await dialog.locator('button', { hasText: /^Bỏ thay đổi$/ }).focus();
    await page.keyboard.press('Enter');
    await dialog.locator('[role="alert"]', { hasText: 'đang chờ gửi lên nền tảng quốc gia, không bị giữ lại' }).waitFor();
    assert.equal(await focused(), 'Bỏ thay đổi');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // In English, the same.
    await switchLanguage(page, 'en');
    await item(kept).locator('button', { hasText: 'Discard this change' }).click();
    assert.match(await dialog.innerText(), /The change this office made to this record .* is discarded[\s\S]*goes back to the national version this computer last received/);
    assert.deepEqual(await vietnameseLeft(page), [], 'no Vietnamese interface text in the dialog');
    await dialog.locator('button', { hasText: 'Discard the change' }).click();
    await page.locator('[role="status"]', { hasText: 'change discarded; the record is back to the national version.' }).waitFor();
    assert.deepEqual(h.agent.sent('outbox.discard').at(-1), { seq: kept.seq });
    await switchLanguage(page, 'vi');
  });
});

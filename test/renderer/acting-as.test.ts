import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import { goTo, seriousViolations, startHarness, WAIT_MS } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { BIRTHS } from './support/fake-data.js';

const HEADER = 'x-edge-agent-user';

/** The user-name header of each command the page sent, by command. */
function watchCommands(page: Page): Array<{ command: string; user: string | undefined }> {
  const seen: Array<{ command: string; user: string | undefined }> = [];
  page.on('request', (request: Request) => {
    const command = /\/api\/commands\/([^/?]+)/.exec(request.url())?.[1];
    if (command) seen.push({ command: decodeURIComponent(command), user: request.headers()[HEADER] });
  });
  return seen;
}

describe('the web console asks who acts before a change the audit log records (fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  /** Opens the form of a synced birth record, found by its registration number. */
  async function openRecord(page: Page, index: number): Promise<string> {
    const record = h.agent.records.get(BIRTHS)![index]!;
    await goTo(page, 'records');
    const search = String(record.data!.registrationNumber);
    await page.getByLabel('Tìm kiếm').fill(search);
    // The list is searched 300 ms after typing stops and redrawn with the matches: a click on the unfiltered
    // list's row can land while the rows are redrawn (on a placeholder), so wait for the search's own count.
    await page.locator('[aria-live="polite"]', { hasText: `khớp với “${search}”` }).waitFor();
    await page.locator('.vlist-body .row-open', { hasText: String(record.data!.fullName) }).first().click();
    await page.locator('#record-form-title').waitFor();
    return record.id;
  }

  const dialog = (page: Page) => page.locator('dialog.name-dialog');
  const notes = (page: Page) => page.locator(`#rf-${BIRTHS}-notes`);
  const save = (page: Page) => page.locator('button[type="submit"]', { hasText: 'Lưu' }).first();

  test('with no name, saving a record asks for it; Escape sends nothing and keeps what was typed', async () => {
    const page = await h.open('vi', { actingAs: null });
    const sent = watchCommands(page);
    assert.match(await page.locator('.acting-as').innerText(), /Người thao tác[\s\S]*chưa cho biết/);
    const id = await openRecord(page, 0);
    // Reading never asks.
    assert.equal(await dialog(page).count(), 0);
    const puts = h.agent.sent('records.put').length;

    await notes(page).fill('Bổ sung theo đơn của bà Hương');
    await save(page).click();
    await page.getByRole('dialog', { name: 'Ai đang thao tác?' }).waitFor();
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'acting-as-input', 'the name field takes the focus');
    assert.deepEqual(await seriousViolations(page), [], 'the dialog passes axe');

    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    await page.locator('.form-summary [role="alert"]', { hasText: 'Thay đổi chưa được gửi' }).waitFor();
    assert.equal(h.agent.sent('records.put').length, puts, 'nothing was sent');
    assert.equal(await notes(page).inputValue(), 'Bổ sung theo đơn của bà Hương', 'the form keeps what was typed');
    assert.equal(sent.filter((s) => s.command === 'records.put').length, 0);

    // Again: a blank name is refused in Vietnamese and the dialog stays; a real one lets the change go.
    await save(page).click();
    await dialog(page).waitFor();
    await page.keyboard.press('Enter');
    await dialog(page).locator('[role="alert"]', { hasText: 'Hãy nhập tên của bạn: từ 1 đến 128 ký tự' }).waitFor();
    assert.equal(h.agent.sent('records.put').length, puts);
    await page.locator('#acting-as-input').fill('  Nguyễn Thị Lan  ');
    await page.keyboard.press('Enter');
    await dialog(page).waitFor({ state: 'detached' });
    await page.locator('[role="status"]', { hasText: 'Đã lưu' }).waitFor();

    const put = h.agent.sent('records.put').at(-1)!;
    assert.equal(put.id, id);
    assert.equal(put.data.notes, 'Bổ sung theo đơn của bà Hương');
    const request = sent.filter((s) => s.command === 'records.put');
    assert.deepEqual(request, [{ command: 'records.put', user: encodeURIComponent('Nguyễn Thị Lan') }], 'percent-encoded, trimmed, sent once');
    assert.equal(decodeURIComponent(request[0]!.user!), 'Nguyễn Thị Lan');
    assert.equal(await page.locator('.acting-as-name').innerText(), 'Nguyễn Thị Lan');
  });

  test('with no name, discarding a held-back change asks for it over the confirmation, and the discard carries it', async () => {
    const held = h.agent.outbox.find((e) => e.status === 'quarantined')!;
    const page = await h.open('vi', { actingAs: null });
    const sent = watchCommands(page);
    await goTo(page, 'outbox');
    await page.locator('.quarantine-item', { hasText: held.title! }).locator('button', { hasText: 'Bỏ thay đổi này' }).click();
    await page.locator('dialog.confirm-dialog button', { hasText: /^Bỏ thay đổi$/ }).click();
    await page.getByRole('dialog', { name: 'Ai đang thao tác?' }).waitFor();
    assert.equal(h.agent.sent('outbox.discard').length, 0, 'nothing is discarded before the name is given');
    await page.locator('#acting-as-input').fill('Lê Thị Hoa');
    await page.keyboard.press('Enter');
    await page.locator('[role="status"]', { hasText: 'đã bỏ thay đổi' }).waitFor();
    assert.deepEqual(h.agent.sent('outbox.discard'), [{ seq: held.seq }]);
    assert.deepEqual(sent.filter((s) => s.command === 'outbox.discard'), [{ command: 'outbox.discard', user: encodeURIComponent('Lê Thị Hoa') }]);
  });

  test('the name given in the header stays after a reload, and every command carries it without asking again', async () => {
    const page = await h.open('vi', { actingAs: null });
    await page.locator('.acting-as button', { hasText: 'Nhập tên' }).click();
    await page.getByRole('dialog', { name: 'Đổi tên người thao tác' }).waitFor();
    await page.locator('#acting-as-input').fill('Trần Văn Bình');
    await page.locator('dialog button', { hasText: 'Lưu' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.textContent'), 'Đổi tên', 'the focus returns to the header\'s button');

    await page.reload();
    await page.locator('.header-status .badge').first().waitFor();
    await page.locator('.acting-as-name', { hasText: 'Trần Văn Bình' }).waitFor();
    const sent = watchCommands(page);
    await openRecord(page, 1);
    await save(page).click();
    await page.locator('[role="status"]', { hasText: 'Đã lưu' }).waitFor();
    assert.equal(await dialog(page).count(), 0, 'no second question');
    const put = sent.find((s) => s.command === 'records.put');
    assert.equal(put?.user, encodeURIComponent('Trần Văn Bình'));
    assert.ok(sent.filter((s) => s.command === 'records.list').every((s) => s.user === encodeURIComponent('Trần Văn Bình')), 'reads carry it too');

    // Kept with the browser's lasting storage, not in the tab's session as the token is:
    // a browser holding only what lasts (cookies, localStorage) still knows the name.
    const lasting = await h.browser.newContext({ storageState: await page.context().storageState() });
    try {
      const tab = await lasting.newPage();
      tab.setDefaultTimeout(WAIT_MS);
      await tab.goto(h.server.consoleUrl);
      await tab.locator('.acting-as-name', { hasText: 'Trần Văn Bình' }).waitFor();
    } finally {
      await lasting.close();
    }
  });

  test('in English, a name longer than the engine takes is refused with the reason and kept for correcting', async () => {
    const page = await h.open('en', { actingAs: null });
    assert.match(await page.locator('.acting-as').innerText(), /Acting as[\s\S]*not given/);
    await page.locator('.acting-as button', { hasText: 'Give your name' }).click();
    const long = 'L'.repeat(129);
    await page.locator('#acting-as-input').fill(long);
    await page.keyboard.press('Enter');
    await dialog(page).locator('[role="alert"]', { hasText: 'Enter your name: 1 to 128 characters, no control characters.' }).waitFor();
    assert.equal(await page.locator('#acting-as-input').inputValue(), long);
    assert.equal(await page.locator('#acting-as-input').getAttribute('aria-invalid'), 'true');
    await page.keyboard.press('Escape');
    await dialog(page).waitFor({ state: 'detached' });
    assert.match(await page.locator('.acting-as').innerText(), /not given/);
  });
});

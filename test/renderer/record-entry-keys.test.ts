import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { eventually } from '../agent/support/fake-time.js';
import { goTo, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { BIRTHS } from './support/fake-data.js';

// A clerk with a stack of paper registrations types them in one after another, by keyboard: "Lưu và thêm tiếp"
// (Ctrl+Enter) saves and opens the next form, Ctrl+S saves from any field, Escape goes back without losing what was
// typed. (A date typed without its slashes: record-values.test.ts.)
const HANOI = 'Asia/Ho_Chi_Minh';
const MORNING_IN_HANOI = new Date('2026-11-27T23:30:45Z');

describe('entering records one after another by keyboard (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  const open = async (language: 'vi' | 'en' = 'vi') => {
    const page = await h.open(language, { timezoneId: HANOI, fixedTime: MORNING_IN_HANOI });
    await goTo(page, 'records');
    return page;
  };
  const field = (page: Page, name: string) => page.locator(`#rf-${BIRTHS}-${name}`);
  const focusedId = (page: Page) => page.evaluate('document.activeElement && document.activeElement.id');
  const newRecord = async (page: Page) => {
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await page.locator('.record-form').waitFor();
  };
  const formTitle = (page: Page) => page.locator('#record-form-title').innerText();

  /** A valid birth, but for the registrar (the form may start with the last one) and the registration date (today). */
  async function fillBirth(page: Page, n: number) {
    const f = (name: string) => field(page, name);
    const office = h.agent.records.get(BIRTHS)!.find((r) => r.data?.provinceCode === '01')!.data as { provinceCode: string; communeCode: string };
    await f('provinceCode').fill(office.provinceCode);
    await f('communeCode').fill(office.communeCode);
    await f('placeOfBirthCommuneCode').fill(office.communeCode);
    await f('registrationNumber').fill(`KS-2026-70000${n}`);
    await f('fullName').fill(`Lò Thị Mỷ ${'ABCDEFG'[n]}`);
    await f('gender').selectOption('female');
    await f('birthDate').fill('20/11/2026');
    await f('personalId').fill(`00132600045${n}`);
  }

  test('"Lưu và thêm tiếp" (Ctrl+Enter) saves a new birth and opens the next: empty but for its defaults, the focus on its first field, the save said', async () => {
    const page = await open();
    await newRecord(page);
    const another = page.locator('.record-form button', { hasText: 'Lưu và thêm tiếp' });
    assert.equal(await another.getAttribute('aria-keyshortcuts'), 'Control+Enter');
    assert.equal(await page.locator('#record-form-keys').innerText(), 'Phím tắt: Ctrl+S lưu, Ctrl+Enter lưu rồi thêm tiếp bản ghi mới, Esc quay lại danh sách (hỏi trước nếu còn nội dung chưa lưu).');
    await fillBirth(page, 0);
    await field(page, 'registrar').fill('Trần Thị Mai');
    // From the notes, where Enter is a new line.
    await field(page, 'notes').fill('Sổ 3');
    const puts = h.agent.sent('records.put').length;
    await field(page, 'notes').press('Control+Enter');
    const status = page.locator('[role="status"]', { hasText: 'Đã lưu “Lò Thị Mỷ A”, bản ghi thứ 1 nhập liền.' });
    await status.waitFor();
    await eventually(() => h.agent.sent('records.put').length === puts + 1);
    const put = h.agent.sent('records.put').at(-1)!;
    assert.deepEqual([put.data.fullName, put.data.notes, put.data.registrationDate, 'id' in put], ['Lò Thị Mỷ A', 'Sổ 3', '2026-11-28', false]);

    assert.equal(await formTitle(page), 'Thêm bản ghi mới', 'a new form, not the saved record');
    assert.deepEqual(
      await Promise.all(['fullName', 'personalId', 'birthDate', 'notes', 'registrar', 'registrationDate'].map((name) => field(page, name).inputValue())),
      ['', '', '', '', 'Trần Thị Mai', '28/11/2026'],
      "nothing of the last person; the registrar just saved and today's date",
    );
    assert.equal(await focusedId(page), `rf-${BIRTHS}-registrationNumber`, 'the typing goes on in the first field');
    assert.deepEqual(await seriousViolations(page), [], 'the next form and its saved notice pass axe');

    // The next one by the button; the count goes on.
    await fillBirth(page, 1);
    await another.click();
    await page.locator('[role="status"]', { hasText: 'Đã lưu “Lò Thị Mỷ B”, bản ghi thứ 2 nhập liền.' }).waitFor();
    await eventually(() => h.agent.sent('records.put').length === puts + 2);
    assert.equal(await focusedId(page), `rf-${BIRTHS}-registrationNumber`);

    // Nothing typed in the fresh form: Escape goes straight back, to the list the two records are in.
    await page.keyboard.press('Escape');
    await page.locator('.vlist').waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0, 'nothing to ask about');
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.textContent'), 'Thêm bản ghi');
    await page.locator('.vlist-body [role="row"]', { hasText: 'Lò Thị Mỷ B' }).first().waitFor();

    await switchLanguage(page, 'en');
    await page.locator('button', { hasText: 'New record' }).click();
    await page.locator('.record-form button', { hasText: 'Save and add another' }).waitFor();
    assert.match(await page.locator('#record-form-keys').innerText(), /^Shortcuts: Ctrl\+S saves, Ctrl\+Enter saves and starts another new record/);
    await switchLanguage(page, 'vi');
  });

  test('"Sửa bản ghi vừa lưu" (Shift+Tab from the first field) opens the record just saved to correct a typo, asking first about what the next form holds', async () => {
    const page = await open();
    await newRecord(page);
    await fillBirth(page, 3);
    await field(page, 'registrar').fill('Trần Thị Mai');
    await field(page, 'personalId').press('Control+Enter');
    await page.locator('[role="status"]', { hasText: 'Đã lưu “Lò Thị Mỷ D”, bản ghi thứ 1 nhập liền.' }).waitFor();
    const saved = h.agent.records.get(BIRTHS)!.find((r) => r.data?.registrationNumber === 'KS-2026-700003')!;
    await field(page, 'fullName').fill('Người tiếp theo');
    await field(page, 'registrationNumber').focus();
    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.textContent'), 'Sửa bản ghi vừa lưu');
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog[open]');
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('#record-form-title', { hasText: 'Sửa bản ghi' }).waitFor();
    assert.equal(await field(page, 'fullName').inputValue(), 'Lò Thị Mỷ D', 'the record just saved, as saved');
    assert.equal(await page.locator('.saved-another').innerText(), '', 'the saved line is gone with the next form');
    await field(page, 'fullName').fill('Lò Thị Mỹ D');
    const puts = h.agent.sent('records.put').length;
    await field(page, 'fullName').press('Control+s');
    await page.locator('.record-form').waitFor({ state: 'detached' });
    await eventually(() => h.agent.sent('records.put').length === puts + 1);
    const put = h.agent.sent('records.put').at(-1)!;
    assert.deepEqual([put.id, put.data.fullName], [saved.id, 'Lò Thị Mỹ D'], 'the same record, corrected');
  });

  test('Ctrl+S saves from a list box; an edit has no "Lưu và thêm tiếp" and Ctrl+Enter in its notes saves it', async () => {
    const page = await open();
    await newRecord(page);
    await fillBirth(page, 2);
    await field(page, 'registrar').fill('Trần Thị Mai');
    await field(page, 'gender').focus();
    const puts = h.agent.sent('records.put').length;
    await page.keyboard.press('Control+s');
    await page.locator('.record-form').waitFor({ state: 'detached' });
    await page.locator('.notice', { hasText: 'Đã lưu.' }).waitFor();
    await eventually(() => h.agent.sent('records.put').length === puts + 1);
    assert.equal(h.agent.sent('records.put').at(-1)!.data.fullName, 'Lò Thị Mỷ C');

    await page.locator('.vlist-body [data-index="0"] .row-open').click();
    await page.locator('#record-form-title', { hasText: 'Sửa bản ghi' }).waitFor();
    assert.equal(await page.locator('.record-form button', { hasText: 'Lưu và thêm tiếp' }).count(), 0, 'an edit has no next record');
    assert.match(await page.locator('#record-form-keys').innerText(), /Ctrl\+S hoặc Ctrl\+Enter lưu/);
    await field(page, 'notes').fill('Đã đối chiếu bản giấy');
    await field(page, 'notes').press('Control+Enter');
    await page.locator('.record-form').waitFor({ state: 'detached' });
    await eventually(() => h.agent.sent('records.put').length === puts + 2);
    const put = h.agent.sent('records.put').at(-1)!;
    assert.deepEqual([put.data.notes, typeof put.id], ['Đã đối chiếu bản giấy', 'string'], 'the record itself, changed');
  });

  test('Escape asks before dropping what was typed; staying keeps every letter', async () => {
    const page = await open();
    await newRecord(page);
    await field(page, 'fullName').fill('Nguyễn Văn Bình');
    await field(page, 'fullName').press('Escape');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await dialog.locator('button', { hasText: 'Ở lại nhập tiếp' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await field(page, 'fullName').inputValue(), 'Nguyễn Văn Bình');
    await field(page, 'fullName').press('Escape');
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.vlist').waitFor();
  });

  test('a save the checks refuse (Ctrl+Enter) keeps the form and all typed, puts the focus on the first field to fix, and opens no next form', async () => {
    const page = await open();
    await newRecord(page);
    await field(page, 'fullName').fill('Đặng Thu Hà');
    await field(page, 'notes').fill('Thiếu giấy chứng sinh');
    const puts = h.agent.sent('records.put').length;
    await field(page, 'notes').press('Control+Enter');
    await page.locator('.form-summary [role="alert"]').waitFor();
    assert.equal(await focusedId(page), `rf-${BIRTHS}-registrationNumber`, 'the first field with a message');
    assert.equal(await field(page, 'registrationNumber').getAttribute('aria-invalid'), 'true');
    assert.deepEqual([await field(page, 'fullName').inputValue(), await field(page, 'notes').inputValue()], ['Đặng Thu Hà', 'Thiếu giấy chứng sinh']);
    assert.equal(await page.locator('.saved-another').innerText(), '', 'nothing said saved');
    assert.equal(h.agent.sent('records.put').length, puts);
    await field(page, 'notes').press('Escape');
    await page.locator('dialog[open] button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.vlist').waitFor();
  });
});

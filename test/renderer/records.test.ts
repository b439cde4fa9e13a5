import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS, DOSSIERS, XSS } from './support/fake-data.js';

describe('the records screen (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('typing "nguyen thi huong" sends the search and shows "Nguyễn Thị Hương"', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill('nguyen thi huong');
    const count = page.locator('[aria-live="polite"]', { hasText: 'khớp với “nguyen thi huong”' });
    await count.waitFor();
    assert.equal(h.agent.sent('records.list').at(-1)?.search, 'nguyen thi huong');
    await page.locator('.vlist-body .row-open', { hasText: 'Nguyễn Thị Hương' }).first().waitFor();
    const total = Number((await count.innerText()).split(' ')[0]!.replace(/\./g, ''));
    assert.ok(total > 0 && total < 100_000, `${total} matches`);
  });

  test('a search matching more records than the engine counts says "more than", in both languages, and lists only those', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill('nguyen');
    await page.locator('[aria-live="polite"]', { hasText: 'Hơn 5.000 bản ghi khớp với “nguyen”; danh sách chỉ hiện 5.000 bản ghi đầu.' }).waitFor();
    assert.equal(await page.locator('.vlist').getAttribute('aria-rowcount'), String(5_000 + 1), 'the list holds the counted matches');
    await switchLanguage(page, 'en');
    await page.locator('[aria-live="polite"]', { hasText: 'More than 5,000 records match “nguyen”; the list shows the first 5,000.' }).waitFor();
    // A narrower search is counted exactly again.
    await page.getByLabel('Search').fill('nguyen thi huong');
    const count = page.locator('[aria-live="polite"]', { hasText: 'match “nguyen thi huong”' });
    await count.waitFor();
    assert.match(await count.innerText(), /^[\d,]+ records? match/);
  });

  test('"dang" finds "Đặng": the đ folds to d', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill('dang van nam');
    await page.locator('.vlist-body .row-open', { hasText: 'Đặng Văn Nam' }).first().waitFor();
  });

  test('a record field holding markup renders as its characters, never as markup', async () => {
    const page = await h.open();
    let alerted = false;
    page.on('dialog', () => {
      alerted = true;
    });
    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill('onerror');
    // Clicked only once the list shows the search's matches, not while it is redrawn with them.
    await page.locator('[aria-live="polite"]', { hasText: 'khớp với “onerror”' }).waitFor();
    const cell = page.locator('.vlist-body .row-open', { hasText: XSS });
    await cell.waitFor();
    await cell.click();
    await page.locator('#rf-civil-status-births-notes').waitFor();
    assert.equal(await page.locator('#rf-civil-status-births-notes').inputValue(), XSS);
    assert.equal(await page.locator('main img').count(), 0, 'no <img> was created from record data');
    assert.equal(alerted, false);
  });

  test('the form shows the engine\'s Vietnamese message next to an invalid personal ID, on blur', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const id = page.locator('#rf-civil-status-births-personalId');
    const label = page.locator('label[for="rf-civil-status-births-personalId"]');
    assert.match(await label.innerText(), /^Số định danh cá nhân/);
    assert.equal(await label.locator('.required-mark').count(), 1, 'required fields are marked');
    await id.fill('12345');
    await id.blur();
    const error = page.locator('#rf-civil-status-births-personalId-error');
    await error.waitFor();
    assert.match(await error.innerText(), /12 chữ số/);
    assert.equal(await id.getAttribute('aria-invalid'), 'true');
    assert.equal(await id.getAttribute('aria-describedby'), 'rf-civil-status-births-personalId-error');
    const sent = h.agent.sent('records.validate').at(-1);
    assert.equal(sent?.dataset, BIRTHS);
    assert.equal(sent?.data.personalId, '12345');
    // Fields the user has not visited yet stay quiet.
    assert.equal(await page.locator('#rf-civil-status-births-fullName-error').count(), 0);
    assert.deepEqual(await seriousViolations(page), [], 'the generated form passes axe');
  });

  test('leaving a record form with typed text not saved (another screen, or back to the list) asks first in the window\'s dialog; staying keeps the text', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const name = page.locator(`#rf-${BIRTHS}-fullName`);
    await name.fill('Hà Thị Lan');
    const dialog = page.locator('dialog[open]', { hasText: 'Bỏ những gì đang nhập?' });

    // Another screen: asked, and "stay" (or Escape) keeps the form and what was typed.
    await page.locator('nav button[data-screen="overview"]').click();
    await dialog.waitFor();
    assert.deepEqual(await seriousViolations(page), [], 'the dialog passes axe');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await name.inputValue(), 'Hà Thị Lan', 'what was typed stays');
    assert.equal(await page.locator('main').getAttribute('data-screen'), 'records');
    await page.locator('nav button[data-screen="conflicts"]').click();
    await dialog.locator('button', { hasText: 'Ở lại nhập tiếp' }).click();
    assert.equal(await name.inputValue(), 'Hà Thị Lan');

    // In English too; dropping it leaves for the screen chosen.
    await switchLanguage(page, 'en');
    await page.locator('nav button[data-screen="history"]').click();
    await page.locator('dialog[open]', { hasText: 'Drop what you typed?' }).locator('button', { hasText: 'Drop it and leave' }).click();
    await page.locator('main[data-screen="history"] h1').waitFor();
    await switchLanguage(page, 'vi');

    // Back to the list from a form with typed text asks too; a form left as it opened does not.
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await name.fill('Hà Thị Lan');
    await page.locator('button', { hasText: 'Quay lại danh sách' }).click();
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.vlist').waitFor();
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await name.waitFor();
    await page.locator('nav button[data-screen="outbox"]').click();
    await page.locator('main[data-screen="outbox"] h1').waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0);
  });

  test('submitting an incomplete record marks every required field and saves nothing', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const puts = h.agent.sent('records.put').length;
    await page.locator('button[type="submit"]', { hasText: 'Lưu' }).click();
    await page.locator('#rf-civil-status-births-fullName-error').waitFor();
    assert.ok((await page.locator('.field-errors').count()) >= 8);
    assert.match(await page.locator('.form-summary').innerText(), /trường cần sửa/);
    assert.equal(h.agent.sent('records.put').length, puts);
  });

  test('a valid new record is saved, waits to sync, and the list refreshes from records.changed', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const field = (name: string) => page.locator(`#rf-civil-status-births-${name}`);
    // The code fields first: moving on to another field closes their suggestion popup.
    await field('provinceCode').fill('01');
    // The code fields suggest the units in force: here the communes of province 01 only.
    await page.locator('#lookup-commune option').first().waitFor({ state: 'attached' });
    const suggested = await page.locator('#lookup-commune option').count();
    assert.ok(suggested > 0 && suggested < 3321, `${suggested} communes suggested`);
    assert.equal(await field('communeCode').getAttribute('list'), 'lookup-commune');
    const commune = h.agent.records.get(BIRTHS)!.find((r) => r.data?.provinceCode === '01')!.data!.communeCode as string;
    await field('communeCode').fill(commune);
    await field('placeOfBirthCommuneCode').fill(commune);
    await field('registrationNumber').fill('KS-2025-999001');
    await field('fullName').fill('Lò Thị Mỷ');
    await field('gender').selectOption('female');
    await field('birthDate').fill('02/03/2025');
    // As copied from a card: saved as its 12 digits.
    await field('personalId').fill('001 325 000 123');
    await field('registrationDate').fill('20/03/2025');
    await field('registrar').fill('Trần Thị Mai');
    await field('registrar').press('Tab');
    // Leaving a field re-checks the record; once every message is gone the form
    // stops moving, and the click lands on the button rather than where it was.
    await page.locator('.form-summary .notice').waitFor({ state: 'detached' });
    await page.locator('.field-errors').first().waitFor({ state: 'detached' });
    await page.locator('button[type="submit"]', { hasText: 'Lưu' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã lưu' }).waitFor();
    const put = h.agent.sent('records.put').at(-1)!;
    assert.equal(put.data.fullName, 'Lò Thị Mỷ');
    assert.equal(put.data.personalId, '001325000123');
    assert.deepEqual([put.data.birthDate, put.data.registrationDate], ['2025-03-02', '2025-03-20'], 'typed day/month/year, stored YYYY-MM-DD');
    assert.equal('notes' in put.data, false, 'an empty optional field is left out');
    const row = page.locator('.vlist-body [role="row"]', { hasText: 'Lò Thị Mỷ' });
    await row.waitFor();
    assert.match(await row.innerText(), /Chờ gửi/);
  });

  test('from the keyboard, record after record: a new record starts with the office\'s province and commune, today and the registrar last saved, nothing of a person; after Save the focus is on "new record"', async () => {
    // A commune office: its scope is one commune of province 01.
    h.agent.siteScope = { provinceCode: '01', communeCodes: ['00004'] };
    try {
      const page = await h.open();
      await goTo(page, 'records');
      const field = (name: string) => page.locator(`#rf-${BIRTHS}-${name}`);
      const newRecord = page.locator('button', { hasText: 'Thêm bản ghi' });
      const values = () => page.evaluate(`Object.fromEntries([...document.querySelectorAll('.record-form [name]')].map((e) => [e.name, e.value]))`) as Promise<Record<string, string>>;
      await newRecord.focus();
      // N picks Nam, N again Nữ; the personal ID's fourth digit says the gender (2 male, 3 female, born 2000–2099).
      const people = [
        { fullName: 'Lường Văn Pấng', gender: ['n'], personalId: '001226000550' },
        { fullName: 'Đinh Thị Ngà', gender: ['n', 'n'], personalId: '001326000551' },
      ];
      for (const [i, { fullName, gender, personalId }] of people.entries()) {
        await page.keyboard.press('Enter');
        await page.locator('#record-form-title:focus').waitFor();
        const opened = await values();
        assert.deepEqual([opened.provinceCode, opened.communeCode], ['01', '00004'], 'the office\'s own codes');
        // The schema's defaults (test/renderer/new-record-defaults.test.ts): today's date, the registrar last saved.
        assert.match(opened.registrationDate ?? '', /^\d\d\/\d\d\/\d{4}$/);
        assert.equal(opened.registrar, i === 0 ? '' : 'Trần Thị Mai');
        assert.deepEqual(
          Object.entries(opened).filter(([name, value]) => value !== '' && !['provinceCode', 'communeCode', 'registrationDate', 'registrar'].includes(name)),
          [],
          'nothing else, the place of birth included',
        );
        // Typed in order, Tab after Tab, and saved with Enter.
        const typed = [`KS-2026-00${i}`, fullName, gender, '05/11/2026', '00004', personalId, '', '', '', '', '28/11/2026', 'Trần Thị Mai'];
        for (const text of typed) {
          await page.keyboard.press('Tab');
          if (Array.isArray(text)) for (const key of text) await page.keyboard.press(key);
          else if (text) await page.keyboard.insertText(text);
        }
        await page.keyboard.press('Enter');
        await page.locator('[role="status"]', { hasText: 'Đã lưu' }).waitFor();
        assert.deepEqual(
          [h.agent.sent('records.put').at(-1)!.data.fullName, h.agent.sent('records.put').at(-1)!.data.provinceCode, h.agent.sent('records.put').at(-1)!.data.communeCode],
          [fullName, '01', '00004'],
        );
        await newRecord.and(page.locator(':focus')).waitFor();
      }
      // Left as it opened, the form closes without asking.
      await page.keyboard.press('Enter');
      await field('provinceCode').waitFor();
      await page.locator('button', { hasText: 'Quay lại danh sách' }).click();
      await page.locator('.vlist').waitFor();
      assert.equal(await page.locator('dialog[open]').count(), 0);
      // A record opened from the list shows its own codes.
      await page.locator('.vlist-body [data-index="0"] .row-open').click();
      const first = h.agent.records.get(BIRTHS)![0]!.data!;
      assert.equal(await field('communeCode').inputValue(), first.communeCode);
    } finally {
      h.agent.siteScope = null;
    }
  });

  test('Enter on a record with mistakes keeps everything typed and puts the focus on the first field to fix, with its message; fixed one by one, Enter saves', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const field = (name: string) => page.locator(`#rf-${BIRTHS}-${name}`);
    const commune = h.agent.records.get(BIRTHS)!.find((r) => r.data?.provinceCode === '01')!.data!.communeCode as string;
    const typed: Record<string, string> = {
      registrationNumber: 'KS-2026-777',
      fullName: 'Hoàng Văn Tùng',
      birthDate: '05/11/2026',
      placeOfBirthCommuneCode: commune,
      // Born in 2026, not 2024; registered before the birth.
      personalId: '001224000777',
      registrationDate: '01/11/2026',
      registrar: 'Trần Thị Mai',
      provinceCode: '01',
      communeCode: commune,
    };
    for (const [name, text] of Object.entries(typed)) await field(name).fill(text);
    await field('gender').selectOption('male');
    const puts = h.agent.sent('records.put').length;
    const fixAt = async (name: string, message: RegExp, text: string) => {
      await field(name).and(page.locator(':focus')).waitFor();
      assert.equal(await field(name).getAttribute('aria-invalid'), 'true');
      assert.match(await page.locator(`#rf-${BIRTHS}-${name}-error`).innerText(), message);
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(text);
      await page.keyboard.press('Enter');
    };
    await field('registrar').press('Enter');
    await fixAt('personalId', /chữ số thứ năm và sáu \(24\) phải là hai số cuối của năm sinh \(26\)/, '001226000777');
    for (const [name, text] of Object.entries(typed)) if (name !== 'personalId') assert.equal(await field(name).inputValue(), text, `${name} kept`);
    await fixAt('registrationDate', /không được sớm hơn ngày sinh/, '20/11/2026');
    await page.locator('[role="status"]', { hasText: 'Đã lưu' }).waitFor();
    assert.equal(h.agent.sent('records.put').length, puts + 1, 'saved once');
    assert.deepEqual([h.agent.sent('records.put').at(-1)!.data.personalId, h.agent.sent('records.put').at(-1)!.data.registrationDate], ['001226000777', '2026-11-20']);
  });

  test('Enter in a list box saves as it does in a text box: on a dossier\'s status, the last field she sets', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const status = page.locator(`#rf-${DOSSIERS}-status`);
    await status.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await status.inputValue(), 'received');
    const validations = h.agent.sent('records.validate').length;
    await page.keyboard.press('Enter');
    // Saving was tried: every field is checked and the focus is on the first one to fix.
    await page.locator(`#rf-${DOSSIERS}-dossierNumber:focus`).waitFor();
    assert.match(await page.locator('.form-summary').innerText(), /trường cần sửa/);
    assert.ok(h.agent.sent('records.validate').length > validations);
  });

  test('deleting a record asks first in the window\'s own dialog, which says what a delete does, in both languages, with the focus kept in place', async () => {
    const page = await h.open();
    const focused = () => page.evaluate('document.activeElement.textContent') as Promise<string>;
    const deletes = () => h.agent.sent('records.delete').length;
    const records = h.agent.records.get(BIRTHS)!;
    const first = (state: string, accepted: boolean) => records.findIndex((r, i) => i < 10 && !r.deleted && r.state === state && (r.rev !== null) === accepted);
    const [synced, created, rejected, conflicted] = [first('synced', true), first('waiting', false), first('rejected', true), first('conflict', true)];
    assert.ok(Math.min(synced, created, rejected, conflicted) >= 0, 'the first rows hold each kind of record');
    const nameOf = (i: number) => String(records[i]!.data!.fullName);
    const openRow = async (i: number) => {
      await page.locator(`.vlist-body [role="row"][aria-rowindex="${i + 2}"] .row-open`).click();
      await page.locator('#record-form-title:focus').waitFor();
    };
    const dialog = page.getByRole('dialog', { name: /Xóa bản ghi này\?|Delete this record\?/ });
    let native = 0;
    page.on('dialog', () => native++);
    await goTo(page, 'records');

    // From the keyboard: the dialog opens on the harmless choice and says what a delete does; Escape keeps the record.
    await openRow(synced);
    await page.locator('.record-form button', { hasText: 'Xóa bản ghi' }).focus();
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    assert.equal(await focused(), 'Giữ bản ghi');
    const text = await dialog.innerText();
    assert.match(text, new RegExp(nameOf(synced)));
    assert.match(text, /bị xóa trên máy này, và việc xóa sẽ được gửi lên nền tảng quốc gia ở lần đồng bộ tới/);
    assert.match(text, /màn hình Xung đột sẽ hỏi bạn giữ việc xóa hay bản đã sửa[\s\S]*nhật ký kiểm toán/);
    assert.doesNotMatch(text, /chờ gửi/, 'nothing of this record waits to be sent');
    assert.deepEqual(await seriousViolations(page), [], 'the dialog passes axe');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focused(), 'Xóa bản ghi', 'the focus is back on the button that opened it');
    assert.equal(deletes(), 0, 'nothing deleted');

    // Confirmed: deleted, the form closes and the focus goes back to the record's row.
    await page.locator('.record-form button', { hasText: 'Xóa bản ghi' }).click();
    await dialog.locator('button', { hasText: /^Xóa bản ghi$/ }).click();
    await page.locator('[role="status"]', { hasText: 'Đã xóa. Việc xóa sẽ được gửi lên nền tảng quốc gia ở lần đồng bộ tới.' }).waitFor();
    assert.deepEqual(h.agent.sent('records.delete').at(-1), { dataset: BIRTHS, id: records[synced]!.id });
    await page.locator('.vlist-body .row-open:focus', { hasText: nameOf(synced) }).waitFor();

    // A record the platform never accepted only leaves this computer: the dialog says so; "keep" keeps it.
    await openRow(created);
    await page.locator('.record-form button', { hasText: 'Xóa bản ghi' }).click();
    assert.match(await dialog.innerText(), /Nền tảng quốc gia chưa nhận bản ghi này do đơn vị này tạo, nên bản ghi chỉ bị xóa khỏi máy này và không có gì được gửi lên/);
    assert.doesNotMatch(await dialog.innerText(), /lần đồng bộ tới/);
    await dialog.locator('button', { hasText: 'Giữ bản ghi' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(deletes(), 1);
    // Confirmed, the window says nothing was sent, not "sent at the next sync".
    await page.locator('.record-form button', { hasText: 'Xóa bản ghi' }).click();
    await dialog.locator('button', { hasText: /^Xóa bản ghi$/ }).click();
    await page.locator('[role="status"]', { hasText: 'Đã xóa khỏi máy này. Nền tảng quốc gia chưa từng nhận bản ghi này nên không có gì phải gửi lên.' }).waitFor();
    assert.equal(deletes(), 2);

    // A refusal (an open conflict) is said in the dialog, which stays open with the focus on its button.
    await openRow(conflicted);
    await page.locator('.record-form button', { hasText: 'Xóa bản ghi' }).click();
    await dialog.locator('button', { hasText: /^Xóa bản ghi$/ }).focus();
    await page.keyboard.press('Enter');
    await dialog.locator('[role="alert"]', { hasText: 'đang có xung đột chưa giải quyết' }).waitFor();
    assert.equal(await focused(), 'Xóa bản ghi');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.record-form button', { hasText: 'Quay lại' }).click();

    // In English: a held-back change of the record is replaced by the deletion, and the dialog says so.
    await switchLanguage(page, 'en');
    await openRow(rejected);
    await page.locator('.record-form button', { hasText: 'Delete record' }).click();
    const english = await dialog.innerText();
    assert.match(english, /The record is deleted on this computer, and the deletion is sent to the national platform at the next sync/);
    assert.match(english, /This office's change to the record that waits to be sent \(or was held back\) is not sent any more: only the deletion is\./);
    assert.deepEqual(await vietnameseLeft(page), [], 'no Vietnamese interface text in the dialog');
    await dialog.locator('button', { hasText: 'Keep the record' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(deletes(), 3, 'only the two confirmed deletes and the refused one were sent');
    assert.equal(native, 0, 'no browser dialog');
    await switchLanguage(page, 'vi');
  });

  test('a record that left the office\'s scope is marked in its row, and its form says so at the top, in both languages', async () => {
    const records = h.agent.records.get(BIRTHS)!;
    const away = records.findIndex((r, i) => i < 10 && !r.deleted && r.state === 'rejected');
    assert.ok(away >= 0, 'a held-back record among the first rows');
    Object.assign(records[away]!, { leftScope: true });
    try {
      const page = await h.open();
      await goTo(page, 'records');
      const row = page.locator(`.vlist-body [role="row"][aria-rowindex="${away + 2}"]`);
      await row.locator('.badge', { hasText: 'Ngoài phạm vi' }).waitFor();
      assert.equal(await page.locator('.vlist-body [role="row"]', { hasText: 'Ngoài phạm vi' }).count(), 1, 'only the record that left the scope is marked');
      assert.equal(
        // The badge's box clips what its column cannot hold (overflow: hidden).
        await row.locator('.left-scope-badge').evaluate((box) => box.scrollWidth <= box.clientWidth),
        true,
        'the badge is whole at 1024 px, not cut by its column',
      );

      await row.locator('.row-open').click();
      await page.locator('#record-form-title:focus').waitFor();
      const notice = page.locator('.record-form .left-scope-notice');
      assert.match(await notice.innerText(), /không còn thuộc phạm vi của đơn vị này.*bản ghi sẽ không còn trên máy này/s);
      assert.deepEqual(await seriousViolations(page), [], 'the notice passes axe');
      await switchLanguage(page, 'en');
      await page.locator('.record-form .left-scope-notice', { hasText: "This record is no longer in your office's scope" }).waitFor();
      assert.deepEqual(await vietnameseLeft(page), [], 'no Vietnamese interface text in the form');
      await page.locator('.record-form button', { hasText: 'Back' }).click();
      await row.locator('.badge', { hasText: 'Out of scope' }).waitFor();
      assert.deepEqual(await seriousViolations(page), [], 'the list with the badge passes axe');
      await switchLanguage(page, 'vi');

      // A record in scope shows no notice.
      const near = records.findIndex((r, i) => i < 10 && i !== away && !r.deleted && r.state === 'synced');
      await page.locator(`.vlist-body [role="row"][aria-rowindex="${near + 2}"] .row-open`).click();
      await page.locator('#record-form-title:focus').waitFor();
      assert.equal(await page.locator('.left-scope-notice').count(), 0);
    } finally {
      Object.assign(records[away]!, { leftScope: false });
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../agent/support/fake-time.js';
import { goTo, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS, DOSSIERS, HOUSEHOLDS } from './support/fake-data.js';

// How the records screen reads what staff type and shows what it holds: personal IDs in groups,
// dates day/month/year, whole numbers grouped by thousands, values never cut at 1024 pixels.
describe('values typed and shown in the records screen (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('a personal ID number typed as copied from a card, in groups parted by spaces, dots or dashes, is read and shown as its 12 digits; other fields stay as typed', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const field = (name: string) => page.locator(`#rf-${BIRTHS}-${name}`);
    /**
     * Types TEXT into a field and leaves it; the validation sent for it: the first one after that
     * carries the field as typed or as its bare digits. (A validation still on its way for the field
     * before may arrive after the typing: it carries the old value, and is not the one.)
     */
    const leave = async (name: string, text: string) => {
      const before = h.agent.sent('records.validate').length;
      const forThis = (data: Record<string, unknown>) => data[name] === text || data[name] === text.replace(/[\s.-]/g, '');
      await field(name).fill(text);
      await field(name).press('Tab');
      await eventually(() => h.agent.sent('records.validate').slice(before).some((call) => forThis(call.data)));
      return h.agent.sent('records.validate').slice(before).find((call) => forThis(call.data))!.data;
    };
    /** The field shows VALUE once React has drawn what leaving it did. */
    const shows = async (name: string, value: string, message?: string) => {
      for (let tries = 0; tries < 500 && (await field(name).inputValue()) !== value; tries += 1) await new Promise((done) => setTimeout(done, 10));
      assert.equal(await field(name).inputValue(), value, message);
    };
    for (const typed of ['001 325 000 123', '001.325.000.123', '001-325-000-123', ' 0013 2500 0123 ']) {
      const sent = await leave('personalId', typed);
      assert.equal(sent['personalId'], '001325000123', typed);
      await shows('personalId', '001325000123', `${typed} shows as 12 digits`);
    }
    await page.locator(`#rf-${BIRTHS}-personalId-error`).waitFor({ state: 'detached' });
    // The schema's other personal ID fields (its personalId rules name them) read the same way.
    assert.equal((await leave('fatherPersonalId', '001 080 000 456'))['fatherPersonalId'], '001080000456');
    await shows('fatherPersonalId', '001080000456');
    // Not digit groups: left as typed, for the engine to name.
    assert.equal((await leave('personalId', '001 325 abc 123'))['personalId'], '001 325 abc 123');
    await shows('personalId', '001 325 abc 123');
    await page.locator(`#rf-${BIRTHS}-personalId-error`, { hasText: '12 chữ số' }).waitFor();
    // Other fields are not touched.
    assert.equal((await leave('registrar', 'Trần 001 325'))['registrar'], 'Trần 001 325');
    assert.equal((await leave('registrationNumber', 'KS 2025.001'))['registrationNumber'], 'KS 2025.001');
    await shows('registrationNumber', 'KS 2025.001');
  });

  test('a commune typed by its name without accents reads as its code, which shows the commune\'s name under it; a name several communes share lists them until the province is typed too', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const place = page.locator(`#rf-${BIRTHS}-placeOfBirthCommuneCode`);
    const note = page.locator(`#rf-${BIRTHS}-placeOfBirthCommuneCode-note`);
    await place.fill('ba dinh');
    await place.press('Tab');
    await note.locator('li').first().waitFor();
    assert.equal(await place.inputValue(), 'ba dinh', 'three communes have the name: kept as typed');
    assert.match(await note.innerText(), /^Có 3 xã, phường tên “ba dinh”:/);
    assert.deepEqual(await note.locator('li').allInnerTexts(), ['00004 Phường Ba Đình (Thành phố Hà Nội)', '16171 Xã Ba Đình (Tỉnh Thanh Hóa)', '21499 Xã Ba Dinh (Tỉnh Quảng Ngãi)']);
    assert.match(await note.innerText(), /gõ thêm tên tỉnh sau tên xã/);
    assert.match((await place.getAttribute('aria-describedby')) ?? '', new RegExp(`rf-${BIRTHS}-placeOfBirthCommuneCode-note`));
    assert.deepEqual(await seriousViolations(page), [], 'the form with the list passes axe');
    await switchLanguage(page, 'en');
    await note.getByText('3 communes are named “ba dinh”:').waitFor();
    assert.deepEqual(await vietnameseLeft(page), [], 'the communes\' names are data');
    await switchLanguage(page, 'vi');

    await place.fill('ba dinh ha noi');
    await place.press('Tab');
    await note.getByText('Phường Ba Đình, Thành phố Hà Nội').waitFor();
    assert.equal(await place.inputValue(), '00004');
    await eventually(() => h.agent.sent('records.validate').some((call) => call.data['placeOfBirthCommuneCode'] === '00004'));
    await page.locator(`#rf-${BIRTHS}-placeOfBirthCommuneCode-error`).waitFor({ state: 'detached' });
    // A code typed shows its commune's name too.
    const commune = page.locator(`#rf-${BIRTHS}-communeCode`);
    await commune.fill('00008');
    await page.locator(`#rf-${BIRTHS}-communeCode-note`, { hasText: 'Phường Ngọc Hà, Thành phố Hà Nội' }).waitFor();
  });

  test('a list box is chosen from the keyboard by typing the start of an option without accents: "da c" the dossier status "Đã có kết quả", "nu" the gender "Nữ"', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const status = page.locator(`#rf-${DOSSIERS}-status`);
    await status.focus();
    for (const key of ['d', 'a', ' ', 'c']) await page.keyboard.press(key);
    assert.equal(await status.inputValue(), 'completed');
    await page.locator('button', { hasText: 'Quay lại danh sách' }).click();
    await page.locator('dialog[open]').locator('button', { hasText: 'Bỏ và rời đi' }).click();

    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const gender = page.locator(`#rf-${BIRTHS}-gender`);
    await gender.focus();
    for (const key of ['n', 'u']) await page.keyboard.press(key);
    assert.equal(await gender.inputValue(), 'female');
  });

  test('dates are shown and typed day/month/year whatever the browser\'s own date order; a date that cannot be read stays as typed, with a message saying how to write it', async () => {
    // A United States English browser: its own date inputs show month/day/year.
    const page = await h.open('vi', { browserLocale: 'en-US' });
    await goTo(page, 'records');
    const record = h.agent.records.get(BIRTHS)![0]!;
    const [year, month, day] = String(record.data!.birthDate).split('-');
    await page.locator('.vlist-body [data-index="0"] .row-open').click();
    const birthDate = page.locator('#rf-civil-status-births-birthDate');
    assert.equal(await birthDate.inputValue(), `${day}/${month}/${year}`);
    const hint = page.locator('#rf-civil-status-births-birthDate-hint');
    assert.equal(await hint.innerText(), 'Ngày/tháng/năm, ví dụ 24/03/2012, hoặc gõ liền 24032012.');
    assert.match((await birthDate.getAttribute('aria-describedby')) ?? '', /rf-civil-status-births-birthDate-hint/);

    const error = page.locator('#rf-civil-status-births-birthDate-error');
    await birthDate.fill('31/02/2012');
    await birthDate.press('Tab');
    await error.waitFor();
    assert.equal(await error.innerText(), 'Ngày sinh phải là một ngày có thật, viết theo dạng ngày/tháng/năm (ví dụ 24/03/2012).');
    assert.equal(await birthDate.inputValue(), '31/02/2012', 'what was typed is kept');

    // Same year as before: the personal ID's birth-year digits still agree.
    await birthDate.fill(`15/06/${year}`);
    await birthDate.press('Tab');
    await error.waitFor({ state: 'detached' });
    assert.equal(h.agent.sent('records.validate').at(-1)?.data.birthDate, `${year}-06-15`);

    await switchLanguage(page, 'en');
    assert.equal(await hint.innerText(), 'Day/month/year, e.g. 24/03/2012, or typed without separators, 24032012.');
    await birthDate.fill('03/24/2012');
    await birthDate.press('Tab');
    await error.locator('text=Date of birth must be a real date written as day/month/year (e.g. 24/03/2012).').waitFor();
    assert.equal(await birthDate.inputValue(), '03/24/2012');
    await switchLanguage(page, 'vi');
  });

  test('a date and time is shown and typed day/month/year hours:minutes, in this computer\'s time', async () => {
    const page = await h.open('vi', { browserLocale: 'en-US' });
    await goTo(page, 'records');
    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    const record = h.agent.records.get(DOSSIERS)![0]!;
    await page.locator('.vlist-body [data-index="0"] .row-open').click();
    const receivedAt = page.locator(`#rf-${DOSSIERS}-receivedAt`);
    // The browser's time zone, as the window sees it (sent as source text: tsx would wrap a named function in a helper the page lacks).
    const shown = (await page.evaluate(`(() => {
      const d = new Date(${JSON.stringify(record.data!.receivedAt)});
      return [d.getDate(), d.getMonth() + 1, d.getFullYear(), d.getHours(), d.getMinutes()].map((n) => String(n).padStart(2, '0'));
    })()`)) as string[];
    assert.equal(await receivedAt.inputValue(), `${shown[0]}/${shown[1]}/${shown[2]} ${shown[3]}:${shown[4]}`);
    assert.equal(await page.locator(`#rf-${DOSSIERS}-receivedAt-hint`).innerText(), 'Ngày/tháng/năm giờ:phút (24 giờ), ví dụ 24/03/2025 14:30.');

    const error = page.locator(`#rf-${DOSSIERS}-receivedAt-error`);
    await receivedAt.fill('02/08/2025');
    await receivedAt.press('Tab');
    await error.locator('text=Thời điểm tiếp nhận phải là một thời điểm có thật, viết theo dạng ngày/tháng/năm giờ:phút').waitFor();
    assert.equal(await receivedAt.inputValue(), '02/08/2025', 'what was typed is kept');

    await receivedAt.fill('02/08/2025 09:30');
    await receivedAt.press('Tab');
    await error.waitFor({ state: 'detached' });
    const expected = (await page.evaluate('new Date(2025, 7, 2, 9, 30).toISOString()')) as string;
    assert.equal(h.agent.sent('records.validate').at(-1)?.data.receivedAt, expected.replace(/\.000Z$/, 'Z'));
  });

  test('a date typed on the number pad without its slashes ("24032012") is read as 24/03/2012 and shows so once left; a date and time too', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const birthDate = page.locator(`#rf-${BIRTHS}-birthDate`);
    await birthDate.fill('24032012');
    await birthDate.press('Tab');
    await eventually(() => h.agent.sent('records.validate').at(-1)?.data.birthDate === '2012-03-24');
    assert.equal(await birthDate.inputValue(), '24/03/2012', 'the clerk sees which day was read');
    await birthDate.fill('31022012');
    await birthDate.press('Tab');
    await page.locator(`#rf-${BIRTHS}-birthDate-error`).waitFor();
    assert.equal(await birthDate.inputValue(), '31022012', 'no real date: kept as typed, with its message');
    await page.locator('button', { hasText: 'Quay lại danh sách' }).click();
    await page.locator('dialog[open] button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.vlist').waitFor();

    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const receivedAt = page.locator(`#rf-${DOSSIERS}-receivedAt`);
    await receivedAt.fill('02082025 09:30');
    await receivedAt.press('Tab');
    assert.equal(await receivedAt.inputValue(), '02/08/2025 09:30');
    const expected = (await page.evaluate('new Date(2025, 7, 2, 9, 30).toISOString()')) as string;
    await eventually(() => h.agent.sent('records.validate').at(-1)?.data.receivedAt === expected.replace(/\.000Z$/, 'Z'));
  });

  test('at 1024 pixels wide the list shows each value whole, never cut with "…": a personal ID number, a registration number, a name, a date and time', async () => {
    for (const language of ['vi', 'en'] as const) {
      const page = await h.open(language);
      await goTo(page, 'records');
      for (const dataset of [BIRTHS, DOSSIERS, HOUSEHOLDS]) {
        await page.locator('main select').first().selectOption(dataset);
        await page.locator('.vlist-body [data-index="0"] .row-open').waitFor();
        // Every value cell (not the title's link, not the state's badge) of the rows drawn, and every column's title.
        const cut = (await page.evaluate(`(() => {
          const isCut = (el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
          const values = [...document.querySelectorAll('.vlist-body [role="row"]')].flatMap((row) => [...row.querySelectorAll('[role="cell"]')].slice(1, -1));
          return [...values, ...document.querySelectorAll('.vlist-head [role="columnheader"]')].filter(isCut).map((el) => el.textContent);
        })()`)) as string[];
        assert.deepEqual(cut.slice(0, 5), [], `${language} ${dataset}: ${cut.length} cut`);
      }
    }
  });

  test('a whole number is read as staff write it, grouped by thousands in the window\'s language: 1.500.000.000 in Vietnamese, 1,500,000,000 in English', async () => {
    for (const [language, typed, decimal] of [
      ['vi', ['1.500.000.000', '1 500 000 000', '1500000000'], '1,5'],
      ['en', ['1,500,000,000', '1 500 000 000', '1500000000'], '1.5'],
    ] as const) {
      const page = await h.open(language);
      await goTo(page, 'records');
      await page.locator('main select').first().selectOption(HOUSEHOLDS);
      await page.locator('.vlist-body [data-index="0"] .row-open').waitFor();
      await page.locator('button', { hasText: language === 'vi' ? 'Thêm bản ghi' : 'New record' }).click();
      const capital = page.locator(`#rf-${HOUSEHOLDS}-capitalVnd`);
      for (const text of [...typed, decimal]) {
        const before = h.agent.sent('records.validate').length;
        await capital.fill(text);
        await capital.press('Tab');
        const want = text === decimal ? text : 1_500_000_000;
        // A validation of the value before may still arrive after the typing: wait for this one, and if it never
        // comes, fail on what was sent last.
        const sent = () => h.agent.sent('records.validate').slice(before).map((call) => call.data['capitalVnd']);
        await eventually(() => sent().includes(want)).catch(() => undefined);
        assert.deepEqual(sent().includes(want) ? want : sent().at(-1), want, `${language} "${text}"`);
      }
      assert.equal(await capital.inputValue(), decimal, 'what was typed stays');
    }
  });

  test('a stored whole number shows in the form grouped as staff type it (50.000.000 in Vietnamese, 50,000,000 in English), follows the language switch, and is saved as the number', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('main select').first().selectOption(HOUSEHOLDS);
    await page.locator('.vlist-body [data-index="0"] .row-open').click();
    const capital = page.locator(`#rf-${HOUSEHOLDS}-capitalVnd`);
    await capital.waitFor();
    const registration = await page.locator(`#rf-${HOUSEHOLDS}-registrationNumber`).inputValue();
    const stored = h.agent.records.get(HOUSEHOLDS)!.find((r) => r.data?.registrationNumber === registration)!;
    const value = stored.data!.capitalVnd as number;
    assert.ok(value >= 50_000_000, `capital ${value}`);
    const grouped = (sep: string) => String(value).replace(/\B(?=(\d{3})+(?!\d))/g, sep);
    assert.equal(await capital.inputValue(), grouped('.'));
    await switchLanguage(page, 'en');
    assert.equal(await capital.inputValue(), grouped(','), 'regrouped as English reads it');
    // Saved in English after the switch: the number, not the text.
    const before = h.agent.sent('records.validate').length;
    await capital.focus();
    await capital.press('Tab');
    await eventually(() => h.agent.sent('records.validate').length > before);
    assert.equal(h.agent.sent('records.validate').at(-1)!.data['capitalVnd'], value);
    // Opened and only the language switched: nothing typed, so leaving does not ask.
    await page.locator('button', { hasText: 'Back to the list' }).click();
    await page.locator('.vlist').waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0);
    await switchLanguage(page, 'vi');
  });
});

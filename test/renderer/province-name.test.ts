import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../agent/support/fake-time.js';
import { goTo, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';

// A province code field takes the province's name as a commune code field takes the commune's
// (record-values.test.ts): read as its code once left, a province merged in 2025 told, not guessed.
describe('a province typed by its name in the record form (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('a province typed by its name, with or without accents, "Tỉnh", "Thành phố" or "TP", reads as its code once left, its name shown under it', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const province = page.locator(`#rf-${BIRTHS}-provinceCode`);
    const note = page.locator(`#rf-${BIRTHS}-provinceCode-note`);
    for (const [typed, code, name] of [
      ['TP Hồ Chí Minh', '79', 'Thành phố Hồ Chí Minh'],
      ['ha noi', '01', 'Thành phố Hà Nội'],
      ['Hồ Chí Minh', '79', 'Thành phố Hồ Chí Minh'],
      ['tinh thanh hoa', '38', 'Tỉnh Thanh Hóa'],
      ['Hà Nội', '01', 'Thành phố Hà Nội'],
    ] as const) {
      await province.fill(typed);
      await province.press('Tab');
      await note.getByText(name, { exact: true }).waitFor();
      assert.equal(await province.inputValue(), code, typed);
      await eventually(() => h.agent.sent('records.validate').at(-1)?.data['provinceCode'] === code);
    }
    assert.match((await province.getAttribute('aria-describedby')) ?? '', new RegExp(`rf-${BIRTHS}-provinceCode-note`));
    await page.locator(`#rf-${BIRTHS}-provinceCode-error`).waitFor({ state: 'detached' });
  });

  test('a province merged into another on 2025-07-01, typed by its name or its old code, is kept as typed and the field says which province it is now part of; part of a name several share lists them', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const province = page.locator(`#rf-${BIRTHS}-provinceCode`);
    const note = page.locator(`#rf-${BIRTHS}-provinceCode-note`);
    await province.fill('ha giang');
    await province.press('Tab');
    await note.getByText('đã sáp nhập').waitFor();
    assert.equal(await province.inputValue(), 'ha giang', 'not read as Tuyên Quang silently');
    assert.equal(await note.innerText(), 'Tỉnh Hà Giang đã sáp nhập vào Tỉnh Tuyên Quang từ ngày 01/07/2025. Nếu đúng, hãy nhập mã tỉnh 08.');
    assert.deepEqual(await seriousViolations(page), [], 'the form with the note passes axe');
    await switchLanguage(page, 'en');
    await note.getByText('has been part of').waitFor();
    assert.equal(await note.innerText(), 'Tỉnh Hà Giang has been part of Tỉnh Tuyên Quang since 01/07/2025. If that is right, type the province code 08.');
    assert.deepEqual(await vietnameseLeft(page), [], "the provinces' names are data");
    await switchLanguage(page, 'vi');

    // A pre-2025 code, as a personal ID number carries it: which province it was, and the code now.
    await province.fill('02');
    await note.getByText('mã cũ').waitFor();
    assert.equal(await note.innerText(), 'Mã 02 là mã cũ của Tỉnh Hà Giang (trước ngày 01/07/2025). Từ ngày đó, mã tỉnh là 08 (Tỉnh Tuyên Quang).');

    await province.fill('ninh');
    await province.press('Tab');
    await note.locator('li').first().waitFor();
    assert.equal(await province.inputValue(), 'ninh');
    assert.match(await note.innerText(), /^Có 4 tỉnh, thành phố có “ninh” trong tên:/);
    assert.deepEqual(await note.locator('li').allInnerTexts(), ['22 Tỉnh Quảng Ninh', '24 Tỉnh Bắc Ninh', '37 Tỉnh Ninh Bình', '80 Tỉnh Tây Ninh']);

    await province.fill('08');
    await note.getByText('Tỉnh Tuyên Quang', { exact: true }).waitFor();
  });

  test('a province or commune name saved without leaving its field (Enter, Ctrl+S) is read as its code, as leaving it would, not refused as "2 digits"', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const province = page.locator(`#rf-${BIRTHS}-provinceCode`);
    const place = page.locator(`#rf-${BIRTHS}-placeOfBirthCommuneCode`);
    /**
     * The save's own check, sent when KEY is pressed in the field named NAME: the first check after it that carries
     * the field. A check of the field left before (sent a moment after leaving it) may come first, without it.
     */
    const savedWith = async (field: typeof province, name: string, key: string) => {
      const before = h.agent.sent('records.validate').length;
      await field.press(key);
      const saves = () => h.agent.sent('records.validate').slice(before).filter((c) => c.data[name] !== undefined);
      await eventually(() => saves().length > 0);
      return saves()[0]!.data;
    };
    await province.fill('ha noi');
    assert.equal((await savedWith(province, 'provinceCode', 'Enter'))['provinceCode'], '01');
    assert.equal(await province.inputValue(), '01');
    await page.locator(`#rf-${BIRTHS}-provinceCode-note`).getByText('Thành phố Hà Nội', { exact: true }).waitFor();
    assert.equal(await page.locator(`#rf-${BIRTHS}-provinceCode-error`).count(), 0, 'no "must be exactly 2 digits"');

    await place.fill('phuong hoan kiem');
    assert.equal((await savedWith(place, 'placeOfBirthCommuneCode', 'Control+s'))['placeOfBirthCommuneCode'], '00070');
    assert.equal(await place.inputValue(), '00070');
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { ADMIN_UNITS, adminUnitRecords, BIRTHS } from './support/fake-data.js';

describe("a commune's name beside its code (built renderer against the fake admin API)", { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  const communeName = (code: string) => adminUnitRecords().find((u) => u.data!.communeCode === code)?.data!.communeName as string;
  const unitLoads = () => h.agent.sent('records.list').filter((input) => input.dataset === ADMIN_UNITS && input.offset === 0).length;

  test("the records list shows the commune's name after its code, and the units are read once for the window, not per list or form", async () => {
    const page = await h.open('vi');
    const birth = h.agent.records.get(BIRTHS)![3]!;
    const code = String(birth.data!.communeCode);
    const name = communeName(code);
    assert.ok(name, `the fake's units name commune ${code}`);
    const loadsBefore = unitLoads();

    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill(String(birth.data!.personalId));
    const row = page.locator('.vlist-body .vlist-row', { hasText: String(birth.data!.fullName) });
    const cell = row.locator('.value', { hasText: code }).first();
    await cell.locator('.unit-name').waitFor();
    assert.equal(await cell.textContent(), `${code} ${name}`);
    assert.equal(await cell.locator('.unit-name').getAttribute('title'), name, 'the whole name on hover, should the column cut it');

    // A form of the same dataset (its commune hint) and the list again: no second read of the units.
    await row.locator('.row-open').click();
    await page.locator('.record-form').waitFor();
    await page.locator('.record-form', { hasText: name }).waitFor();
    await page.locator('.record-form button', { hasText: 'Quay lại danh sách' }).click();
    await cell.locator('.unit-name').waitFor();
    assert.equal(unitLoads() - loadsBefore, 1, 'the units were read once');

    await switchLanguage(page, 'en');
    await cell.locator('.unit-name').waitFor();
    assert.equal(await cell.textContent(), `${code} ${name}`, 'a name is data: the same in English');
    assert.deepEqual(await seriousViolations(page), []);
    // Closed: an open window would read the units again too when the next test's sync changes them.
    await page.close();
  });
  test("a sync that brings changes to the units (a reform the platform published) shows the new names without reopening the window; other datasets' changes read nothing", async () => {
    const page = await h.open('vi');
    const birth = h.agent.records.get(BIRTHS)![5]!;
    const code = String(birth.data!.communeCode);
    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill(String(birth.data!.personalId));
    const row = page.locator('.vlist-body .vlist-row', { hasText: String(birth.data!.fullName) });
    const cell = row.locator('.value', { hasText: code }).first();
    await cell.locator('.unit-name').waitFor();
    const loadsBefore = unitLoads();

    h.agent.changed(BIRTHS, [birth.id]);
    await cell.locator('.unit-name').waitFor();
    assert.equal(unitLoads(), loadsBefore, "a birth's change does not read the units again");

    const unit = h.agent.records.get(ADMIN_UNITS)!.find((u) => u.data!.communeCode === code)!;
    unit.data = { ...unit.data, communeName: 'Phường Đổi Tên' };
    h.agent.changed(ADMIN_UNITS, [unit.id]);
    await cell.locator('.unit-name', { hasText: 'Phường Đổi Tên' }).waitFor();
    assert.equal(await cell.textContent(), `${code} Phường Đổi Tên`);
    assert.equal(unitLoads(), loadsBefore + 1, 'the units were read once more');
  });
});

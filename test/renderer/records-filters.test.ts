import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { ADMIN_UNITS, BIRTHS, DOSSIERS } from './support/fake-data.js';

/** "Phường Ba Đình" → "phuong ba dinh": what a clerk types without accents. */
const bare = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();

describe("the records list's filters: status, commune by name, overdue (built renderer against the fake admin API)", { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('"Trễ hẹn" lists the late dossiers, earliest appointment first, counted; with a status too; "Xuất CSV" exports the same filter; in English too', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    const dossiers = h.agent.records.get(DOSSIERS)!;
    const late = dossiers.filter((r) => ['received', 'processing'].includes(String(r.data?.['status'])) && Date.parse(String(r.data?.['appointmentAt'])) < h.agent.now);
    assert.ok(late.length > 0 && late.length < dossiers.length, 'the fake holds late and other dossiers');

    await page.getByLabel('Thời hạn').selectOption('overdue');
    await page.locator('main p.muted', { hasText: `${late.length} bản ghi khớp bộ lọc (Thời hạn: Trễ hẹn). Xếp theo thời hạn, hạn sớm nhất trước.` }).waitFor();
    assert.deepEqual(h.agent.sent('records.list').at(-1), { dataset: DOSSIERS, offset: 0, limit: 100, filter: { due: 'overdue' } });
    const earliest = [...late].sort((a, b) => Date.parse(String(a.data?.['appointmentAt'])) - Date.parse(String(b.data?.['appointmentAt'])))[0]!;
    await page.locator('.vlist-body [role="row"][aria-rowindex="2"]', { hasText: String(earliest.data?.['dossierNumber']) }).waitFor();

    // The dossier's own status, beside the sync state (which now says so).
    await page.locator('.record-filters').getByLabel('Trạng thái').selectOption('processing');
    const processing = late.filter((r) => r.data?.['status'] === 'processing').length;
    await page.locator('main p.muted', { hasText: `${processing} bản ghi khớp bộ lọc (Trạng thái: Đang xử lý, Thời hạn: Trễ hẹn).` }).waitFor();
    assert.deepEqual(h.agent.sent('records.list').at(-1)?.filter, { fields: { status: 'processing' }, due: 'overdue' });
    await page.getByRole('button', { name: 'Xuất CSV' }).click();
    await page.locator('#export-csv-outcome .notice-ok', { hasText: `Đã xuất ${processing} bản ghi` }).waitFor();
    assert.deepEqual(h.agent.sent('records.export').at(-1)?.filter, { fields: { status: 'processing' }, due: 'overdue' }, 'the export takes the filter the list shows');
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole('button', { name: 'Bỏ lọc' }).click();
    await page.locator('main p.muted', { hasText: `${dossiers.length} bản ghi.` }).waitFor();
    assert.equal(h.agent.sent('records.list').at(-1)?.filter, undefined);

    await switchLanguage(page, 'en');
    await goTo(page, 'records');
    await page.getByLabel('Dataset').selectOption(DOSSIERS);
    await page.getByLabel('Deadline').selectOption({ label: 'Due today' });
    await page.getByLabel('Sync state').waitFor();
    assert.deepEqual(h.agent.sent('records.list').at(-1)?.filter, { due: 'today' });
    await page.locator('main p.muted', { hasText: 'match the filters (Deadline: Due today)' }).waitFor();
  });

  test("the commune is chosen by its name typed without accents (the cached admin units, as the form's commune field), then filters the list", async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    const dossiers = h.agent.records.get(DOSSIERS)!;
    const code = String(dossiers[0]!.data?.['communeCode']);
    const unit = h.agent.records.get(ADMIN_UNITS)!.find((u) => u.data?.['communeCode'] === code)!.data!;
    const typed = `${bare(String(unit['communeName']))} ${bare(String(unit['provinceName']))}`;
    const box = page.getByRole('combobox', { name: 'Xã, phường' });
    await box.fill(typed);
    await page.locator('.record-filters-hint', { hasText: `Lọc theo ${String(unit['communeName'])} (mã ${code}).` }).waitFor();
    const here = dossiers.filter((r) => r.data?.['communeCode'] === code).length;
    await page.locator('main p.muted', { hasText: `${here} bản ghi khớp bộ lọc (Xã, phường: ${code}).` }).waitFor();
    assert.deepEqual(h.agent.sent('records.list').at(-1)?.filter, { fields: { communeCode: code } });
    // A record opened and closed: the list comes back filtered, and the box says by what.
    await page.locator('.vlist-body .row-open').first().click();
    await page.locator('button', { hasText: 'Quay lại danh sách' }).click();
    await page.locator('main p.muted', { hasText: `${here} bản ghi khớp bộ lọc (Xã, phường: ${code}).` }).waitFor();
    assert.equal(await box.inputValue(), code);

    await box.fill('khong co xa nay');
    await page.locator('.record-filters-hint', { hasText: 'Không có xã nào là “khong co xa nay”: chưa lọc theo xã.' }).waitFor();
    await page.locator('main p.muted', { hasText: `${dossiers.length} bản ghi.` }).waitFor();

    // Births have a commune and no status or deadline; the national admin units, no filter at all.
    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await page.getByRole('combobox', { name: 'Xã, phường' }).waitFor();
    assert.equal(await page.getByLabel('Thời hạn').count(), 0);
    await page.getByLabel('Bộ dữ liệu').selectOption(ADMIN_UNITS);
    await page.getByLabel('Trạng thái đồng bộ').waitFor();
    assert.equal(await page.locator('.record-filters').count(), 0);
  });
});

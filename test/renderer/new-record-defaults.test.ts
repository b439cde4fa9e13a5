import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { eventually } from '../agent/support/fake-time.js';
import { goTo, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { BIRTHS, DOSSIERS } from './support/fake-data.js';

// A new record starts with the schema's `x-default`s: today's date in the computer's own time zone, and the
// registrar or handler this window last saved. 23:30:45 UTC on 27 November is 06:30 on 28 November in Hà Nội.
const HANOI = 'Asia/Ho_Chi_Minh';
const MORNING_IN_HANOI = new Date('2026-11-27T23:30:45Z');

describe('what a new record starts with (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  const openInHanoi = () => h.open('vi', { timezoneId: HANOI, fixedTime: MORNING_IN_HANOI });
  const field = (page: Page, dataset: string, name: string) => page.locator(`#rf-${dataset}-${name}`);
  const newRecord = async (page: Page) => {
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await page.locator('.record-form').waitFor();
  };
  /** Saves the open form; it went through once the agent has the record and the list is back. */
  const save = async (page: Page) => {
    const puts = h.agent.sent('records.put').length;
    await page.locator('button[type="submit"]', { hasText: 'Lưu' }).click();
    await page.locator('.record-form').waitFor({ state: 'detached' });
    await page.locator('.vlist').waitFor();
    await eventually(() => h.agent.sent('records.put').length > puts);
  };

  /** A birth that is valid but for what the form starts with: registration date and registrar left as they are. */
  async function fillBirth(page: Page, n: number) {
    const f = (name: string) => field(page, BIRTHS, name);
    const office = h.agent.records.get(BIRTHS)!.find((r) => r.data?.provinceCode === '01')!.data as { provinceCode: string; communeCode: string };
    await f('provinceCode').fill(office.provinceCode);
    await f('communeCode').fill(office.communeCode);
    await f('placeOfBirthCommuneCode').fill(office.communeCode);
    await f('registrationNumber').fill(`KS-2026-90000${n}`);
    await f('fullName').fill(`Lò Thị Mỷ ${'ABC'[n]}`);
    await f('gender').selectOption('female');
    await f('birthDate').fill('20/11/2026');
    await f('personalId').fill(`00132600012${n}`);
  }

  test("a new birth starts with today's date in the computer's time zone, not UTC's, and no registrar; the first one saved gives the next its registrar", async () => {
    const page = await openInHanoi();
    await goTo(page, 'records');
    await newRecord(page);
    assert.equal(await field(page, BIRTHS, 'registrationDate').inputValue(), '28/11/2026', 'in Hà Nội it is already the 28th');
    assert.equal(await field(page, BIRTHS, 'registrar').inputValue(), '', 'nothing saved yet');
    assert.equal(await field(page, BIRTHS, 'registrationDate').getAttribute('placeholder'), null, 'a value, not a placeholder');
    await fillBirth(page, 0);
    await field(page, BIRTHS, 'registrar').fill('Trần Thị Mai');
    await save(page);
    assert.equal(h.agent.sent('records.put').at(-1)!.data.registrationDate, '2026-11-28');

    await newRecord(page);
    assert.equal(await field(page, BIRTHS, 'registrar').inputValue(), 'Trần Thị Mai', 'the registrar last saved');
    assert.equal(await field(page, BIRTHS, 'registrationDate').inputValue(), '28/11/2026');
    assert.equal(await field(page, BIRTHS, 'fullName').inputValue(), '', 'nothing of the last person');
    assert.equal(await field(page, BIRTHS, 'personalId').inputValue(), '');
    // An ordinary value: changed, and saved as changed.
    await fillBirth(page, 1);
    await field(page, BIRTHS, 'registrationDate').fill('27/11/2026');
    await field(page, BIRTHS, 'registrar').fill('Lê Văn Hùng');
    await save(page);
    assert.deepEqual(
      [h.agent.sent('records.put').at(-1)!.data.registrationDate, h.agent.sent('records.put').at(-1)!.data.registrar],
      ['2026-11-27', 'Lê Văn Hùng'],
    );

    // Remembered in this browser: a reload keeps it.
    await page.reload();
    await page.locator('.header-status .badge').first().waitFor();
    await goTo(page, 'records');
    await newRecord(page);
    assert.equal(await field(page, BIRTHS, 'registrar').inputValue(), 'Lê Văn Hùng');
  });

  test('a save that fails remembers nothing; an edit of a record is not prefilled and its save remembers nothing', async () => {
    const page = await openInHanoi();
    await goTo(page, 'records');
    await newRecord(page);
    await fillBirth(page, 2);
    await field(page, BIRTHS, 'registrar').fill('Trần Thị Mai');
    await save(page);

    await newRecord(page);
    await fillBirth(page, 2);
    await field(page, BIRTHS, 'registrar').fill('Phạm Thu Hà');
    h.agent.putRefusal = { code: 'internal', messages: { vi: 'Ổ đĩa đã đầy.', en: 'The disk is full.' } };
    try {
      await page.locator('button[type="submit"]', { hasText: 'Lưu' }).click();
      await page.locator('.form-summary', { hasText: 'Ổ đĩa đã đầy.' }).waitFor();
    } finally {
      h.agent.putRefusal = null;
    }
    await page.locator('button', { hasText: 'Quay lại danh sách' }).click();
    await page.locator('dialog[open] button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.vlist').waitFor();
    await newRecord(page);
    assert.equal(await field(page, BIRTHS, 'registrar').inputValue(), 'Trần Thị Mai', 'the failed save changed nothing');
    await page.locator('button', { hasText: 'Quay lại danh sách' }).click();
    await page.locator('.vlist').waitFor();

    // A dossier the desk has not assigned yet: its form shows its own data, no handler and its own received time.
    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    const dossier = h.agent.records.get(DOSSIERS)![0]!;
    const { handler: _unassigned, ...unassigned } = dossier.data!;
    dossier.data = unassigned;
    await page.locator('.vlist-body [data-index="0"] .row-open').click();
    await page.locator('#record-form-title', { hasText: 'Sửa bản ghi' }).waitFor();
    assert.equal(await field(page, DOSSIERS, 'dossierNumber').inputValue(), dossier.data.dossierNumber);
    assert.equal(await field(page, DOSSIERS, 'handler').inputValue(), '', 'an edit takes no default');
    assert.equal(await field(page, DOSSIERS, 'receivedAt').inputValue(), '01/08/2025 07:00', 'its own time, in Hà Nội');
  });

  test("a new dossier is received now, to the minute, in the computer's time zone; its handler is the one last saved in a new dossier, never one saved in an edit", async () => {
    const page = await openInHanoi();
    await goTo(page, 'records');
    await page.getByLabel('Bộ dữ liệu').selectOption(DOSSIERS);
    await newRecord(page);
    const f = (name: string) => field(page, DOSSIERS, name);
    assert.equal(await f('receivedAt').inputValue(), '28/11/2026 06:30');
    assert.equal(await f('handler').inputValue(), '');
    const sample = h.agent.records.get(DOSSIERS)![1]!.data as Record<string, string>;
    await f('provinceCode').fill(sample.provinceCode!);
    await f('communeCode').fill(sample.communeCode!);
    await f('dossierNumber').fill('HS-2026-99001');
    await f('procedureCode').fill('1.001193');
    await f('applicantName').fill('Nguyễn Văn An');
    await f('applicantPersonalId').fill(sample.applicantPersonalId!);
    await f('appointmentAt').fill('05/12/2026 08:00');
    await f('status').selectOption('received');
    await f('handler').fill('Hoàng Minh Tú');
    await save(page);
    assert.equal(h.agent.sent('records.put').at(-1)!.data.receivedAt, '2026-11-27T23:30:00Z', 'the minute, seconds dropped, stored in UTC');

    // An edit of another desk's dossier, saved with its own handler: the next new dossier keeps this desk's.
    const other = h.agent.records.get(DOSSIERS)![2]!.data as Record<string, string>;
    await page.locator('.vlist-body [role="row"]', { hasText: other.dossierNumber! }).locator('.row-open').click();
    await page.locator('#record-form-title', { hasText: 'Sửa bản ghi' }).waitFor();
    const edited = await f('handler').inputValue();
    assert.equal(edited, other.handler);
    await f('status').selectOption('processing');
    await save(page);
    assert.equal(h.agent.sent('records.put').at(-1)!.data.handler, edited);
    await newRecord(page);
    assert.equal(await f('handler').inputValue(), 'Hoàng Minh Tú');
  });
});

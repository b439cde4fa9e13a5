import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { OutboxEntryView } from '../../sync-engine/src/api/views.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import { ValidationFailed } from '../../sync-engine/src/records/write-errors.js';
import { toApiError, toFieldError } from '../../sync-engine/src/service/api-errors.js';
import { validBirth, validDossier } from '../datasets/fixtures.js';
import { goTo, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { BIRTHS, DOSSIERS } from './support/fake-data.js';

// A message of the engine that names a date (a registration before the birth) says it as the window shows
// every date, day/month/year, in both languages, wherever the window shows it: under the field, in the
// outbox's reasons, in a refusal's notice. The engine's texts (the CLI's) keep the dates as stored.

/** The engine's own refusals of a birth registered the day before the birth, and of an appointment set before its dossier was received. */
const registeredEarly = () => validateRecordData(datasetByName(BIRTHS)!, validBirth({ birthDate: '2001-05-12', registrationDate: '2001-05-11' }));
const RECEIVED = '2025-07-01T08:00:00Z';
const APPOINTMENT = '2025-07-01T07:30:00Z';
const appointedEarly = () => validateRecordData(datasetByName(DOSSIERS)!, validDossier({ receivedAt: RECEIVED, appointmentAt: APPOINTMENT }));

/** An instant as day/month/year and hours:minutes in the browser's time zone (sent as source text: the page runs no test code). */
async function localParts(page: Page, iso: string): Promise<{ date: string; time: string }> {
  const [day, month, year, hours, minutes] = (await page.evaluate(`(() => {
    const d = new Date(${JSON.stringify(iso)});
    return [d.getDate(), d.getMonth() + 1, d.getFullYear(), d.getHours(), d.getMinutes()].map((n) => String(n).padStart(2, '0'));
  })()`)) as string[];
  return { date: `${day}/${month}/${year}`, time: `${hours}:${minutes}` };
}

describe('dates inside the engine\'s messages (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  test('a registration date before the birth date is said under the field with both dates day/month/year, in both languages', async () => {
    assert.match(registeredEarly()[0]!.messages!.vi, /\(2001-05-11\)/, 'the engine\'s own text (the CLI\'s) names the stored date');
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    const birthDate = page.locator(`#rf-${BIRTHS}-birthDate`);
    const registrationDate = page.locator(`#rf-${BIRTHS}-registrationDate`);
    await birthDate.fill('15/06/2010');
    await birthDate.press('Tab');
    await registrationDate.fill('01/02/2010');
    await registrationDate.press('Tab');
    const error = page.locator(`#rf-${BIRTHS}-registrationDate-error`);
    // The field's first answer (while it was empty) said it is required: wait for the check of both dates.
    await error.locator('text=không được sớm hơn').waitFor();
    assert.equal(await error.innerText(), 'Ngày đăng ký (01/02/2010) không được sớm hơn ngày sinh (15/06/2010).');
    assert.equal(h.agent.sent('records.validate').at(-1)?.data.registrationDate, '2010-02-01');

    await switchLanguage(page, 'en');
    await error.locator('text=Registration date (01/02/2010) must not be earlier than “Date of birth” (15/06/2010).').waitFor();
    await switchLanguage(page, 'vi');
  });

  test('the outbox says a held-back change\'s dates day/month/year, a date and time in this computer\'s time', async () => {
    const [birth, dossier] = h.agent.outbox.slice(0, 2) as [OutboxEntryView, OutboxEntryView];
    const saved = [{ ...birth }, { ...dossier }];
    Object.assign(birth, { status: 'quarantined', errors: registeredEarly().map(toFieldError) });
    Object.assign(dossier, { status: 'quarantined', dataset: DOSSIERS, errors: appointedEarly().map(toFieldError) });
    try {
      const page = await h.open();
      await goTo(page, 'outbox');
      const reasons = (e: OutboxEntryView) => page.locator('.quarantine-item', { hasText: e.title! }).locator('.reasons li');
      await reasons(birth).first().waitFor();
      assert.deepEqual(await reasons(birth).allInnerTexts(), ['Ngày đăng ký (11/05/2001) không được sớm hơn ngày sinh (12/05/2001).']);
      const [appointment, received] = [await localParts(page, APPOINTMENT), await localParts(page, RECEIVED)];
      const [dossierVi] = await reasons(dossier).allInnerTexts();
      assert.match(dossierVi!, /^Thời điểm hẹn trả kết quả \(.+\) không được sớm hơn thời điểm tiếp nhận \(.+\)\.$/);
      for (const part of [appointment.date, appointment.time, received.time]) assert.ok(dossierVi!.includes(part), `${part} in: ${dossierVi}`);
      assert.doesNotMatch(dossierVi!, /2025-07-01|T0\d:/, 'no stored form of the instants');

      await switchLanguage(page, 'en');
      await page.locator('#quarantine-heading', { hasText: 'Changes held back' }).waitFor();
      assert.deepEqual(await reasons(birth).allInnerTexts(), ['Registration date (11/05/2001) must not be earlier than “Date of birth” (12/05/2001).']);
      const [dossierEn] = await reasons(dossier).allInnerTexts();
      assert.match(dossierEn!, /^Appointment for the result \(.+\) must not be earlier than “Received at” \(.+\)\.$/);
      for (const part of [appointment.date, appointment.time, received.time]) assert.ok(dossierEn!.includes(part), `${part} in: ${dossierEn}`);
      assert.doesNotMatch(dossierEn!, /2025-07-01|T0\d:/);
      await switchLanguage(page, 'vi');
    } finally {
      Object.assign(birth, saved[0]);
      Object.assign(dossier, saved[1]);
    }
  });

  test('a refusal\'s notice (the engine refusing the record a conflict\'s choices make) lists its field errors with their dates day/month/year', async () => {
    const template = h.agent.conflicts.find((c) => c.id === 'c-fields-1')!;
    h.agent.conflicts.push({ ...structuredClone(template), id: 'c-dated-refusal-1', status: 'open', title: 'Lương Thị Mai' });
    h.agent.conflictRefusal = toApiError(new ValidationFailed(registeredEarly()));
    try {
      const page = await h.open();
      await goTo(page, 'conflicts');
      await page.locator('.conflicts-table button', { hasText: 'Lương Thị Mai' }).first().click();
      await page.locator('button', { hasText: 'Chọn bên quốc gia ở mọi trường xung đột' }).click();
      await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
      const notice = page.locator('.conflict-detail .notice-error', { hasText: 'Dữ liệu chưa hợp lệ' });
      await notice.waitFor();
      assert.deepEqual(await notice.locator('li').allInnerTexts(), ['Ngày đăng ký (11/05/2001) không được sớm hơn ngày sinh (12/05/2001).']);

      await switchLanguage(page, 'en');
      await page.locator('.conflict-detail .notice-error li', { hasText: 'Registration date (11/05/2001) must not be earlier than “Date of birth” (12/05/2001).' }).waitFor();
      await switchLanguage(page, 'vi');
    } finally {
      h.agent.conflictRefusal = null;
    }
  });
});

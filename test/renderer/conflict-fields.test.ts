import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, openConflict, startConflictsHarness } from './support/conflicts.js';

// A conflict settled field by field: the side-by-side table, a side for every conflicting field at once,
// the choices and typed values sent (dates, dates and times, an empty one), in English, and a choice made
// on a version a sync has since replaced.
describe('settling a conflict field by field (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('a field conflict shows base, this office and national side by side, differences labelled', async () => {
    const page = await h.open();
    await openConflict(page, 'Nguyễn Thị Hương');
    const row = page.locator('.conflict-table tbody tr', { hasText: 'Họ và tên' });
    const cells = await row.locator('td').allInnerTexts();
    assert.match(cells[0]!, /Nguyễn Thị Huong/);
    assert.match(cells[1]!, /Nguyễn Thị Hương\s*đã sửa/);
    assert.match(cells[2]!, /Nguyễn Thị Hường\s*đã sửa/);
    // A side equal to the base is not marked as changed.
    const registrar = await page.locator('.conflict-table tbody tr', { hasText: 'Công chức hộ tịch' }).locator('td').allInnerTexts();
    assert.doesNotMatch(registrar[1]!, /đã sửa/);
    assert.deepEqual(await seriousViolations(page), [], 'the field table passes axe');
  });

  test('"every conflicting field" sets only the rows that need a person; a row settled automatically keeps its choice', async () => {
    const page = await h.open();
    await openConflict(page, 'Nguyễn Thị Hương');
    const choice = (title: string, side: 'Đơn vị này' | 'Quốc gia') =>
      page.locator('.conflict-table tbody tr', { hasText: title }).getByLabel(side).isChecked();
    await page.locator('button', { hasText: 'Chọn bên quốc gia ở mọi trường xung đột' }).click();
    for (const title of ['Họ và tên', 'Công chức hộ tịch', 'Ngày sinh']) assert.equal(await choice(title, 'Quốc gia'), true, title);
    // "Ghi chú" only this office changed (preselected "local"): taking the national side must not revert it.
    assert.equal(await choice('Ghi chú', 'Đơn vị này'), true, 'the automatic row keeps this office\'s change');

    // A row the person changed by hand is theirs: the other button leaves it too.
    await page.locator('.conflict-table tbody tr', { hasText: 'Ghi chú' }).getByLabel('Quốc gia').check();
    await page.locator('button', { hasText: 'Chọn bên đơn vị này ở mọi trường xung đột' }).click();
    for (const title of ['Họ và tên', 'Công chức hộ tịch', 'Ngày sinh']) assert.equal(await choice(title, 'Đơn vị này'), true, title);
    assert.equal(await choice('Ghi chú', 'Quốc gia'), true, 'the person\'s own choice on an automatic row stays');

    await switchLanguage(page, 'en');
    await page.locator('button', { hasText: 'Choose the national side on every conflicting field' }).waitFor();
    await page.locator('button', { hasText: 'Choose this office\'s side on every conflicting field' }).waitFor();
    await switchLanguage(page, 'vi');
  });

  test('per-field choices and a typed value are submitted with conflicts.resolve', async () => {
    const page = await h.open();
    await openConflict(page, 'Nguyễn Thị Hương');
    const row = (title: string) => page.locator('.conflict-table tbody tr', { hasText: title });
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="alert"]', { hasText: 'Chưa chọn giá trị cho' }).waitFor();
    assert.equal(h.agent.sent('conflicts.resolve').length, 0, 'nothing is sent while a field has no choice');

    await row('Họ và tên').getByLabel('Quốc gia').check();
    await row('Công chức hộ tịch').getByLabel('Đơn vị này').check();
    await row('Ngày sinh').getByLabel('Giá trị khác').check();
    await row('Ngày sinh').getByLabel('Giá trị mới cho trường Ngày sinh').fill('2012-03-24');
    // "Ghi chú" was preselected by the dataset's policy (local-wins) and is left as it is.
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), {
      id: 'c-fields-1',
      fields: { fullName: 'national', registrar: 'local', notes: 'local' },
      values: { birthDate: '2012-03-24' },
      version: 'fields@2',
    });
  });

  test('a typed date is written day/month/year, as in the record form; one that cannot be read stays as typed, says how to write it, and nothing is sent', async () => {
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-typed-date-1', title: 'Hoàng Thị Thu' });
    const page = await h.open();
    await openConflict(page, 'Hoàng Thị Thu');
    const row = page.locator('.conflict-table tbody tr', { hasText: 'Ngày sinh' });
    await page.locator('button', { hasText: 'Chọn bên quốc gia ở mọi trường xung đột' }).click();
    await row.getByLabel('Giá trị khác').check();
    const typed = row.getByLabel('Giá trị mới cho trường Ngày sinh');
    assert.equal(await typed.inputValue(), '14/03/2012', 'this office\'s value, as the form shows it');
    // By id: the row's words change with the language.
    const typedId = (await typed.getAttribute('id'))!;
    const hint = page.locator(`[id="${typedId}-hint"]`);
    assert.equal(await hint.innerText(), 'Ngày/tháng/năm, ví dụ 24/03/2012, hoặc gõ liền 24032012.');
    assert.equal(await typed.getAttribute('aria-describedby'), `${typedId}-hint`);

    const sentBefore = h.agent.sent('conflicts.resolve').length;
    const submit = page.locator('button', { hasText: 'Ghi nhận quyết định' });
    await typed.fill('31/02/2012');
    await submit.click();
    const error = page.locator(`[id="${typedId}-error"].field-errors`);
    await error.waitFor();
    assert.equal(await error.innerText(), 'Ngày sinh phải là một ngày có thật, viết theo dạng ngày/tháng/năm (ví dụ 24/03/2012).');
    assert.equal(await typed.inputValue(), '31/02/2012', 'what was typed is kept');
    assert.equal(await typed.getAttribute('aria-invalid'), 'true');
    assert.equal(await typed.getAttribute('aria-describedby'), `${typedId}-hint ${typedId}-error`);
    await page.locator(`[id="${typedId}"]:focus`).waitFor();
    assert.equal(h.agent.sent('conflicts.resolve').length, sentBefore, 'a date that cannot be read is not sent');
    assert.deepEqual(await seriousViolations(page), [], 'the typed value, its hint and its message pass axe');

    await switchLanguage(page, 'en');
    assert.equal(await hint.innerText(), 'Day/month/year, e.g. 24/03/2012, or typed without separators, 24032012.');
    assert.equal(await error.innerText(), 'Date of birth must be a real date written as day/month/year (e.g. 24/03/2012).');
    await switchLanguage(page, 'vi');

    await typed.fill('24/03/2012');
    await error.waitFor({ state: 'detached' });
    await submit.click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), {
      id: 'c-typed-date-1',
      fields: { fullName: 'national', registrar: 'national', notes: 'local' },
      values: { birthDate: '2012-03-24' },
      version: 'fields@2',
    });
  });

  test('"another value" left empty is asked for by name, with the focus on its box, in both languages; nothing is sent', async () => {
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-typed-blank-1', title: 'Vũ Thị Bình' });
    const page = await h.open();
    await openConflict(page, 'Vũ Thị Bình');
    const row = page.locator('.conflict-table tbody tr', { hasText: 'Họ và tên' });
    await page.locator('button', { hasText: 'Chọn bên quốc gia ở mọi trường xung đột' }).click();
    await row.getByLabel('Giá trị khác').check();
    const typed = row.getByLabel('Giá trị mới cho trường Họ và tên');
    await typed.fill('  ');
    const sentBefore = h.agent.sent('conflicts.resolve').length;
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    const notice = page.locator('[role="alert"]', { hasText: 'chưa nhập giá trị mới cho: Họ và tên.' });
    await notice.waitFor();
    await page.locator(`[id="${await typed.getAttribute('id')}"]:focus`).waitFor();
    assert.equal(h.agent.sent('conflicts.resolve').length, sentBefore, 'an empty value is not sent (the engine would refuse null as "must be text")');
    await switchLanguage(page, 'en');
    assert.match(await page.locator('[role="alert"]', { hasText: 'no new value is typed for' }).innerText(), /no new value is typed for: Full name\./);
    await switchLanguage(page, 'vi');

    await typed.fill('Vũ Thị Bình An');
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1)?.values, { fullName: 'Vũ Thị Bình An' });
  });

  test('a typed date and time is written day/month/year hours:minutes in this computer\'s time; without the time it is not sent', async () => {
    addConflictLike(h.agent, 'c-dossier-0', { id: 'c-typed-time-1', title: 'HS-TYPED-TIME' });
    const page = await h.open();
    await openConflict(page, 'HS-TYPED-TIME');
    const row = page.locator('.conflict-table tbody tr', { hasText: 'Thời điểm hẹn trả kết quả' });
    await row.getByLabel('Giá trị khác').check();
    const typed = row.getByLabel('Giá trị mới cho trường Thời điểm hẹn trả kết quả');
    assert.equal(await row.locator('.field-hint').innerText(), 'Ngày/tháng/năm giờ:phút (24 giờ), ví dụ 24/03/2025 14:30.');

    const sentBefore = h.agent.sent('conflicts.resolve').length;
    const submit = page.locator('button', { hasText: 'Ghi nhận quyết định' });
    await typed.fill('11/08/2025');
    await submit.click();
    await row.locator('.field-errors', { hasText: 'Thời điểm hẹn trả kết quả phải là một thời điểm có thật, viết theo dạng ngày/tháng/năm giờ:phút' }).waitFor();
    assert.equal(h.agent.sent('conflicts.resolve').length, sentBefore, 'a date and time that cannot be read is not sent');

    await typed.fill('11/08/2025 09:30');
    await submit.click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    const expected = (await page.evaluate('new Date(2025, 7, 11, 9, 30).toISOString()')) as string;
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1)?.values, { appointmentAt: expected.replace(/\.000Z$/, 'Z') });
  });

  test('the conflict screen speaks English after the switch, field titles included', async () => {
    const page = await h.open();
    await switchLanguage(page, 'en');
    await goTo(page, 'conflicts');
    await page.getByLabel('Kind of conflict').selectOption('create-collision');
    // Opened by its id: the list of the new filter comes after the old one, whose first row is another kind.
    await page.locator('#conflict-title-c-collision-1').click();
    await page.locator('.conflict-table th', { hasText: 'Registration number' }).waitFor();
    await page.locator('.conflict-table thead', { hasText: 'This office' }).waitFor();
    await switchLanguage(page, 'vi');
  });

  test('a choice on a conflict a newer national version refreshed meanwhile is refused, and the screen shows the new value to choose again', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('create-collision');
    // Opened by its id: the list of the new filter comes after the old one, whose first row is another kind.
    await page.locator('#conflict-title-c-collision-1').click();
    const row = page.locator('.conflict-table tbody tr', { hasText: 'Số đăng ký khai sinh' });
    await row.getByLabel('Quốc gia').check();
    // A sync brings a newer national version while the person decides.
    const conflict = h.agent.conflicts.find((c) => c.id === 'c-collision-1')!;
    conflict.version = 'create-collision@3';
    conflict.fields[0]!.national = 'KS-2025-000204';
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="alert"]', { hasText: 'vừa thay đổi trong lúc bạn đang xem' }).waitFor();
    await row.locator('td', { hasText: 'KS-2025-000204' }).waitFor();
    assert.equal(await row.getByLabel('Quốc gia').isChecked(), false, 'the choice made on the old value is asked again');
    assert.equal(conflict.status, 'open');

    await row.getByLabel('Quốc gia').check();
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), { id: 'c-collision-1', fields: { registrationNumber: 'national' }, version: 'create-collision@3' });
  });

  test('a choice refused because a newer national version came keeps what the person chose and typed for the fields it did not change; only the changed one is asked again', async () => {
    const conflict = addConflictLike(h.agent, 'c-fields-1', { id: 'c-fields-kept', title: 'Trịnh Thị Giữ' });
    const page = await h.open();
    await openConflict(page, 'Trịnh Thị Giữ');
    const row = (title: string) => page.locator('.conflict-table tbody tr', { hasText: title });
    await row('Họ và tên').getByLabel('Giá trị khác').check();
    const typed = row('Họ và tên').getByLabel('Giá trị mới cho trường Họ và tên');
    await typed.fill('Trịnh Thị Hường Giang');
    await row('Ngày sinh').getByLabel('Quốc gia').check();
    await row('Công chức hộ tịch').getByLabel('Đơn vị này').check();
    // A sync brings a newer national version of the registrar only, while the person decides.
    conflict.version = 'fields@3';
    conflict.fields.find((f) => f.field === 'registrar')!.national = 'Nguyễn Đức Long';
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="alert"]', { hasText: 'vừa thay đổi trong lúc bạn đang xem' }).waitFor();
    await row('Công chức hộ tịch').locator('td', { hasText: 'Nguyễn Đức Long' }).waitFor();
    assert.equal(await row('Công chức hộ tịch').getByLabel('Đơn vị này').isChecked(), false, 'the field the newer version changed is asked again');
    assert.equal(await typed.inputValue(), 'Trịnh Thị Hường Giang', 'the value typed for a field it left alone is kept');
    assert.equal(await row('Ngày sinh').getByLabel('Quốc gia').isChecked(), true, 'so is a side chosen for one');
    assert.equal(await row('Ghi chú').getByLabel('Đơn vị này').isChecked(), true, 'and the automatic choice');

    await row('Công chức hộ tịch').getByLabel('Quốc gia').check();
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), {
      id: 'c-fields-kept',
      fields: { registrar: 'national', birthDate: 'national', notes: 'local' },
      values: { fullName: 'Trịnh Thị Hường Giang' },
      version: 'fields@3',
    });
  });
});

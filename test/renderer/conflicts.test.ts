import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';

describe('the conflicts screen (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    // A smaller dataset: these tests are about conflicts, not the long list.
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  async function openConflict(page: Page, title: string) {
    await goTo(page, 'conflicts');
    await page.locator('.conflicts-table button', { hasText: title }).first().click();
    await page.locator('.conflict-detail h2').waitFor();
  }

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
    const template = h.agent.conflicts.find((c) => c.id === 'c-fields-1')!;
    h.agent.conflicts.push({ ...structuredClone(template), id: 'c-typed-date-1', status: 'open', title: 'Hoàng Thị Thu' });
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
    assert.equal(await hint.innerText(), 'Ngày/tháng/năm, ví dụ 24/03/2012.');
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
    assert.equal(await hint.innerText(), 'Day/month/year, e.g. 24/03/2012.');
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
    const template = h.agent.conflicts.find((c) => c.id === 'c-fields-1')!;
    h.agent.conflicts.push({ ...structuredClone(template), id: 'c-typed-blank-1', status: 'open', title: 'Vũ Thị Bình' });
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

  test('leaving a conflict with a choice or a typed value not yet recorded (another screen, Back) asks first; staying keeps them; a conflict left as shown does not ask', async () => {
    const template = h.agent.conflicts.find((c) => c.id === 'c-fields-1')!;
    h.agent.conflicts.push({ ...structuredClone(template), id: 'c-leave-1', status: 'open', title: 'Lý Thị Mai' });
    const page = await h.open();
    const dialog = page.locator('dialog[open]', { hasText: 'Bỏ những gì đang nhập?' });
    const back = page.locator('.conflict-detail button', { hasText: 'Quay lại' });

    // Opened and left as shown: Back and another screen go at once.
    await openConflict(page, 'Lý Thị Mai');
    await back.click();
    await page.locator('.conflicts-table').waitFor();
    await openConflict(page, 'Lý Thị Mai');
    await page.locator('nav button[data-screen="history"]').click();
    await page.locator('main[data-screen="history"] h1').waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0);

    await openConflict(page, 'Lý Thị Mai');
    const row = page.locator('.conflict-table tbody tr', { hasText: 'Họ và tên' });
    await row.getByLabel('Quốc gia').check();
    await row.getByLabel('Giá trị khác').check();
    const typed = row.getByLabel('Giá trị mới cho trường Họ và tên');
    await typed.fill('Lý Thị Mai Anh');
    // Another screen: asked; Escape stays, with the choice and the typed value kept.
    await page.locator('nav button[data-screen="overview"]').click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.locator('main').getAttribute('data-screen'), 'conflicts');
    assert.equal(await typed.inputValue(), 'Lý Thị Mai Anh', 'the typed value stays');
    // Back to the list: asked too; staying keeps it.
    await back.click();
    await dialog.locator('button', { hasText: 'Ở lại nhập tiếp' }).click();
    assert.equal(await typed.inputValue(), 'Lý Thị Mai Anh');

    // In English; dropping it goes back to the list, and nothing was sent.
    const sentBefore = h.agent.sent('conflicts.resolve').length;
    await switchLanguage(page, 'en');
    await page.locator('.conflict-detail button', { hasText: 'Back' }).click();
    await page.locator('dialog[open]', { hasText: 'Drop what you typed?' }).locator('button', { hasText: 'Drop it and leave' }).click();
    await page.locator('.conflicts-table').waitFor();
    await switchLanguage(page, 'vi');
    assert.equal(h.agent.sent('conflicts.resolve').length, sentBefore);

    // Only a side chosen, nothing typed: still asked.
    await openConflict(page, 'Lý Thị Mai');
    await page.locator('.conflict-table tbody tr', { hasText: 'Công chức hộ tịch' }).getByLabel('Đơn vị này').check();
    await page.locator('nav button[data-screen="records"]').click();
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('main[data-screen="records"] h1').waitFor();
  });

  test('a possible duplicate\'s correction typed and not sent asks before another screen or Cancel drops it', async () => {
    const template = h.agent.conflicts.find((c) => c.id === 'c-duplicate-1')!;
    h.agent.conflicts.push({ ...structuredClone(template), id: 'c-leave-dup-1', status: 'open', title: 'Đỗ Thị Hạnh' });
    const page = await h.open();
    await openDuplicate(page, 'c-leave-dup-1');
    await page.locator('button', { hasText: 'Hai người khác nhau: sửa Số định danh cá nhân' }).click();
    const input = page.locator('.duplicate-correction').getByLabel('Số định danh cá nhân');
    await input.fill('001325000999');
    const dialog = page.locator('dialog[open]', { hasText: 'Bỏ những gì đang nhập?' });
    await page.locator('nav button[data-screen="overview"]').click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await input.inputValue(), '001325000999');
    await page.locator('.duplicate-correction button', { hasText: 'Hủy' }).click();
    await dialog.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('.duplicate-correction').waitFor({ state: 'detached' });
  });

  test('a typed date and time is written day/month/year hours:minutes in this computer\'s time; without the time it is not sent', async () => {
    const template = h.agent.conflicts.find((c) => c.id === 'c-dossier-0')!;
    h.agent.conflicts.push({ ...structuredClone(template), id: 'c-typed-time-1', status: 'open', title: 'HS-TYPED-TIME' });
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

  test('many alike conflicts are settled at once with conflicts.resolveMany', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption('procedure-dossiers');
    await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).click();
    await page.locator('text=Đã chọn 3').waitFor();
    await page.locator('button', { hasText: 'Giữ bên quốc gia ở chỗ hai bên xung đột, cho các mục đã chọn' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã giải quyết 3 xung đột' }).waitFor();
    const sent = h.agent.sent('conflicts.resolveMany').at(-1)!;
    assert.equal(sent.take, 'national');
    assert.deepEqual([...sent.ids].sort(), ['c-dossier-0', 'c-dossier-1', 'c-dossier-2']);
  });

  test('a bulk take leaves open, and says so, the conflicts a newer national version refreshed after they were shown', async () => {
    const dossiers = h.agent.conflicts.filter((c) => c.id.startsWith('c-dossier-'));
    for (const c of dossiers) c.status = 'open';
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption('procedure-dossiers');
    await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).click();
    await page.locator('text=Đã chọn 3').waitFor();
    // A sync brings a newer national version of one of them while the person looks at the list.
    const refreshed = dossiers.find((c) => c.id === 'c-dossier-1')!;
    refreshed.version = 'fields@3';
    refreshed.fields[0]!.national = 'Đỗ Minh Quân';
    await page.locator('button', { hasText: 'Giữ bên đơn vị này ở chỗ hai bên xung đột, cho các mục đã chọn' }).click();
    const notice = page.locator('[role="status"]', { hasText: 'Đã giải quyết 2 xung đột' });
    await notice.locator('text=1 xung đột chưa được giải quyết vì bản quốc gia mới hơn vừa về trong lúc bạn đang xem').waitFor();
    const sent = h.agent.sent('conflicts.resolveMany').at(-1)!;
    assert.equal(sent.take, 'local');
    assert.deepEqual(sent.versions, { 'c-dossier-0': 'fields@2', 'c-dossier-1': 'fields@2', 'c-dossier-2': 'fields@2' });
    assert.deepEqual(
      dossiers.map((c) => c.status),
      ['resolved', 'open', 'resolved'],
      'the one refreshed since it was shown is not settled',
    );

    await switchLanguage(page, 'en');
    await page.locator('[role="status"]', { hasText: 'Not settled, because a newer national version arrived while you were looking: 1.' }).waitFor();
    await switchLanguage(page, 'vi');

    await notice.locator('li button', { hasText: refreshed.title! }).click();
    await page.locator('.conflict-table tbody tr', { hasText: 'Cán bộ xử lý' }).locator('td', { hasText: 'Đỗ Minh Quân' }).waitFor();

    // Back on the list, the one left open is still selected, and only it: one click retries it, on the version now shown.
    await page.locator('.conflict-detail button', { hasText: 'Quay lại' }).click();
    await page.locator('text=Đã chọn 1').waitFor();
    const checked = page.locator('.conflicts-table tbody input[type="checkbox"]:checked');
    assert.equal(await checked.count(), 1);
    assert.match((await checked.getAttribute('aria-labelledby'))!, /\bconflict-title-c-dossier-1$/);
    await page.locator('button', { hasText: 'Giữ bên quốc gia ở chỗ hai bên xung đột, cho các mục đã chọn' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã giải quyết 1 xung đột' }).waitFor();
    const retried = h.agent.sent('conflicts.resolveMany').at(-1)!;
    assert.deepEqual(retried.ids, ['c-dossier-1']);
    assert.deepEqual(retried.versions, { 'c-dossier-1': 'fields@3' });
    assert.equal(refreshed.status, 'resolved');
    await page.locator('text=Đã chọn 0').waitFor();
  });

  test('a bulk take that meets the data file busy says that it stopped there, that the others were not tried, and why', async () => {
    const dossiers = h.agent.conflicts.filter((c) => c.id.startsWith('c-dossier-'));
    for (const c of dossiers) c.status = 'open';
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption('procedure-dossiers');
    await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).click();
    await page.locator('text=Đã chọn 3').waitFor();
    h.agent.writeLockHeld = true;
    try {
      await page.locator('button', { hasText: 'Giữ bên quốc gia ở chỗ hai bên xung đột, cho các mục đã chọn' }).click();
      const notice = page.locator('[role="status"]', { hasText: 'Đã giải quyết 0 xung đột; 3 không giải quyết được.' });
      await notice.locator('.bulk-busy', { hasText: '3 xung đột vẫn mở vì tệp dữ liệu đang bận: việc xử lý dừng ở xung đột đầu tiên bị từ chối, các xung đột còn lại chưa được thử' }).waitFor();
      // The agent's busy words once, not once per conflict.
      assert.equal(await notice.locator('text=đang được một chương trình khác của tác tử dùng trên máy MAY-UBND-XA (tiến trình 4242)').count(), 1);
      assert.deepEqual(dossiers.map((c) => c.status), ['open', 'open', 'open']);
      // All three stay selected, to try again in one click.
      await notice.locator('.bulk-busy', { hasText: 'Chúng vẫn được chọn: hãy thử lại sau giây lát.' }).waitFor();
      await page.locator('text=Đã chọn 3').waitFor();
      assert.equal(await page.locator('.conflicts-table tbody input[type="checkbox"]:checked').count(), 3);

      await switchLanguage(page, 'en');
      const en = page.locator('[role="status"] .bulk-busy');
      await en.locator('text=Still open, because the data file is busy: 3. The bulk action stopped at the first one refused; the others were not tried').waitFor();
      await en.locator('text=is in use by another agent program on MAY-UBND-XA (process 4242)').waitFor();
      await switchLanguage(page, 'vi');
    } finally {
      h.agent.writeLockHeld = false;
    }
  });

  async function openDuplicate(page: Page, id: string) {
    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('possible-duplicate');
    const conflict = h.agent.conflicts.find((c) => c.id === id)!;
    await page.locator('.conflicts-table tbody button', { hasText: conflict.title! }).click();
    await page.locator('.duplicate-table').waitFor();
    return conflict;
  }

  test('a possible duplicate shows both records; "two people" asks for the personal ID corrected and checked', async () => {
    const page = await h.open();
    const sentBefore = h.agent.sent('conflicts.resolve').length;
    const conflict = await openDuplicate(page, 'c-duplicate-1');
    const personalId = page.locator('.duplicate-table tbody tr', { hasText: 'Số định danh cá nhân' });
    await personalId.locator('.change-tag', { hasText: 'giống nhau' }).waitFor();
    const registrar = await page.locator('.duplicate-table tbody tr', { hasText: 'Công chức hộ tịch' }).locator('td').allInnerTexts();
    assert.match(registrar[1]!, /Võ Thị Lan/);
    assert.deepEqual(await seriousViolations(page), [], 'the duplicate view passes axe');

    await page.locator('button', { hasText: 'Hai người khác nhau: sửa Số định danh cá nhân' }).click();
    const input = page.locator('.duplicate-correction').getByLabel('Số định danh cá nhân');
    const clashing = String(conflict.fields[0]!.local);
    assert.equal(await input.inputValue(), clashing, 'the form starts from this office\'s value');
    const send = page.locator('button', { hasText: 'Gửi bản ghi đã sửa' });
    // Left as it is: said at the field, nothing sent.
    await send.click();
    await page.locator('.duplicate-correction .field-errors', { hasText: 'vẫn giống bản ghi kia' }).waitFor();
    // A number the rules refuse (wrong length): the engine's own message at the field, nothing sent.
    await input.fill('0011');
    await send.click();
    await page.locator('.duplicate-correction .field-errors li').first().waitFor();
    assert.doesNotMatch(await page.locator('.duplicate-correction .field-errors').innerText(), /vẫn giống/);
    assert.equal(h.agent.sent('conflicts.resolve').length, sentBefore, 'nothing is sent until the value is corrected and valid');
    assert.deepEqual(await seriousViolations(page), [], 'the correction form passes axe');

    // Corrected: same province, gender and year digits, another serial.
    const corrected = `${clashing.slice(0, 6)}${String(999_999 - Number(clashing.slice(6))).padStart(6, '0')}`;
    await input.fill(corrected);
    await send.click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), { id: 'c-duplicate-1', duplicate: 'keep-both', values: { personalId: corrected }, version: 'possible-duplicate@2' });
  });

  test('a possible duplicate whose other record was the wrong one is sent again as it is', async () => {
    const page = await h.open();
    await openDuplicate(page, 'c-duplicate-2');
    await page.locator('button', { hasText: 'Gửi lại như cũ' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), { id: 'c-duplicate-2', take: 'local', version: 'possible-duplicate@2' });
  });

  test('delete against edit is said in plain words, and keeping the edit takes the national side', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('delete-vs-edit');
    await page.locator('.conflicts-table tbody button').first().click();
    await page.locator('.delete-sentence', { hasText: 'Đơn vị này đã xóa bản ghi, trong khi cấp quốc gia đã sửa nó' }).waitFor();
    await page.locator('button', { hasText: 'Giữ bản ghi đã sửa' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), { id: 'c-delete-1', take: 'national', version: 'delete-vs-edit@2' });
  });

  test('a conflict\'s detail takes the keyboard focus, and Back returns it to the conflict\'s row', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    // Whichever conflict is still open: the tests before this one settle some of the fake agent's conflicts.
    const row = page.locator('.conflicts-table tbody button[id^="conflict-title-"]').first();
    const id = await row.getAttribute('id');
    assert.ok(id, 'an open conflict to open');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.locator('#conflict-title:focus').waitFor();
    await page.locator('.conflict-detail button', { hasText: 'Quay lại' }).click();
    await page.locator(`[id="${id}"]:focus`).waitFor();
  });

  test('the screen\'s intro says what a conflict is for every kind (edits, delete against edit, created on both sides, possible duplicate), in both languages', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    const intro = page.locator('main > p.muted').first();
    const vi = await intro.innerText();
    for (const part of ['cùng một trường được sửa ở cả hai bên', 'một bên xóa bản ghi còn bên kia sửa nó', 'cả hai bên cùng tạo một bản ghi', 'có thể trùng người']) assert.ok(vi.includes(part), `${vi} / ${part}`);
    assert.doesNotMatch(vi, /Mỗi xung đột là một bản ghi được sửa ở cả/);
    await switchLanguage(page, 'en');
    const en = await intro.innerText();
    for (const part of ['the same field edited on both sides', 'deleted on one side and edited on the other', 'created on both sides', 'a possible duplicate']) assert.ok(en.includes(part), `${en} / ${part}`);
    assert.doesNotMatch(en, /Each is a record changed both/);
    await switchLanguage(page, 'vi');
  });

  test('the settled conflicts are shown on request, read only and paged: who settled each, when and which choice, in both languages', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    const settledButton = page.locator('.list-switch button', { hasText: 'Đã giải quyết' });
    assert.equal(await page.locator('.list-switch button', { hasText: 'Đang chờ' }).getAttribute('aria-pressed'), 'true');
    await settledButton.click();
    assert.equal(await settledButton.getAttribute('aria-pressed'), 'true');
    const table = page.locator('table.settled-conflicts');
    const row = (title: string) => table.locator('tbody tr', { hasText: title });
    const byPerson = h.agent.conflicts.find((c) => c.id === 'c-settled-1')!;
    const byItself = h.agent.conflicts.find((c) => c.id === 'c-settled-2')!;
    await row(byPerson.title!).waitFor();
    assert.equal(h.agent.sent('conflicts.list').at(-1)?.status, 'resolved');
    const cells = await row(byPerson.title!).locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(3), ['Đinh Thị Thu', 'Giữ bên quốc gia']);
    assert.match(cells[2]!, /\d{2}\/\d{2}\/\d{4}/, 'when, as the window writes a date and time');
    assert.deepEqual((await row(byItself.title!).locator('td').allInnerTexts()).slice(3), ['Tự giải quyết khi đồng bộ', 'Hai bên đã khớp nhau khi đồng bộ']);
    // Read only: nothing to select or open.
    assert.equal(await table.locator('input, button').count(), 0);
    assert.deepEqual(await seriousViolations(page), [], 'the settled list passes axe');

    // One settled now shows there, with the person who chose.
    const template = h.agent.conflicts.find((c) => c.id === 'c-fields-1')!;
    h.agent.conflicts.push({ ...structuredClone(template), id: 'c-settle-now-1', status: 'open', settled: null, title: 'Mai Thị Hoa' });
    await page.locator('.list-switch button', { hasText: 'Đang chờ' }).click();
    await openConflict(page, 'Mai Thị Hoa');
    await page.locator('button', { hasText: 'Chọn bên quốc gia ở mọi trường xung đột' }).click();
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    await settledButton.click();
    const mine = row('Mai Thị Hoa');
    await mine.waitFor();
    assert.deepEqual((await mine.locator('td').allInnerTexts()).slice(3), ['Người kiểm thử', 'Chọn từng trường']);

    // In English.
    await switchLanguage(page, 'en');
    await page.locator('.list-switch button[aria-pressed="true"]', { hasText: 'Settled' }).waitFor();
    assert.deepEqual((await row(byPerson.title!).locator('td').allInnerTexts()).slice(3), ['Đinh Thị Thu', 'National side kept']);
    assert.deepEqual((await row(byItself.title!).locator('td').allInnerTexts()).slice(3), ['Settled by itself at a sync', 'Both sides came to agree at a sync']);
    await switchLanguage(page, 'vi');

    // Paged as the open list: 200 at first, then more on request.
    for (let i = 0; i < 210; i++) h.agent.conflicts.push({ ...structuredClone(byPerson), id: `c-settled-many-${i}`, title: `Hồ sơ đã xong ${i}` });
    const fresh = await h.open();
    await goTo(fresh, 'conflicts');
    await fresh.locator('.list-switch button', { hasText: 'Đã giải quyết' }).click();
    const rows = fresh.locator('table.settled-conflicts tbody tr');
    await rows.nth(199).waitFor();
    assert.equal(await rows.count(), 200);
    await fresh.locator('button', { hasText: 'Tải thêm' }).click();
    await rows.nth(200).waitFor();
    assert.equal(await fresh.locator('button', { hasText: 'Tải thêm' }).count(), 0, 'all shown');
  });

  test('the conflict screen speaks English after the switch, field titles included', async () => {
    const page = await h.open();
    await switchLanguage(page, 'en');
    await goTo(page, 'conflicts');
    await page.getByLabel('Kind of conflict').selectOption('create-collision');
    await page.locator('.conflicts-table tbody button').first().click();
    await page.locator('.conflict-table th', { hasText: 'Registration number' }).waitFor();
    await page.locator('.conflict-table thead', { hasText: 'This office' }).waitFor();
    await switchLanguage(page, 'vi');
  });

  test('a choice on a conflict a newer national version refreshed meanwhile is refused, and the screen shows the new value to choose again', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('create-collision');
    await page.locator('.conflicts-table tbody button').first().click();
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

  test('a conflict whose record left the office\'s scope says so in the list and, before the choice, in the detail', async () => {
    const template = h.agent.conflicts.find((c) => c.id === 'c-fields-1')!;
    const away = { ...structuredClone(template), id: 'c-left-scope-1', status: 'open' as const, title: 'Đặng Văn Toàn', leftScope: true };
    h.agent.conflicts.push(away);
    const page = await h.open();
    await goTo(page, 'conflicts');
    const row = (title: string) => page.locator('.conflicts-table tbody tr', { hasText: title });
    await row('Đặng Văn Toàn').locator('.badge', { hasText: 'Ngoài phạm vi' }).waitFor();
    const others = await page.locator('.conflicts-table tbody tr', { hasText: 'Ngoài phạm vi' }).count();
    assert.equal(others, 1, 'only the record that left the scope is marked');

    await openConflict(page, 'Đặng Văn Toàn');
    const notice = page.locator('.conflict-detail .left-scope-notice');
    assert.match(await notice.innerText(), /không còn thuộc phạm vi của đơn vị này.*Hãy giữ bản quốc gia \(bỏ thay đổi của đơn vị này\): khi đó, bản ghi sẽ không còn trên máy này/s);
    assert.deepEqual(await seriousViolations(page), [], 'the notice passes axe');
    await switchLanguage(page, 'en');
    await page.locator('.conflict-detail .left-scope-notice', { hasText: "This record is no longer in your office's scope" }).waitFor();
    await switchLanguage(page, 'vi');

    await page.locator('button', { hasText: 'Giữ bản quốc gia' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.equal(h.agent.sent('conflicts.resolve').at(-1)?.id, 'c-left-scope-1');

    // A conflict of a record in scope shows no such notice.
    const inScope = h.agent.conflicts.find((c) => c.status === 'open' && !c.leftScope && c.kind === 'fields')!;
    await openConflict(page, inScope.title!);
    await page.locator('.conflict-detail .conflict-table').waitFor();
    assert.equal(await page.locator('.left-scope-notice').count(), 0);
  });
});

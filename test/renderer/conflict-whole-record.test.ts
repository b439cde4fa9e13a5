import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, openConflict, openDuplicate, startConflictsHarness } from './support/conflicts.js';

// Conflicts settled as a whole record rather than field by field: a possible duplicate (two people, or
// sent again), a delete against an edit, a record that left the office's scope.
describe('conflicts settled as a whole record (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('a possible duplicate shows both records; "two people" asks for the personal ID corrected and checked', async () => {
    const page = await h.open();
    const sentBefore = h.agent.sent('conflicts.resolve').length;
    const conflict = await openDuplicate(page, h.agent, 'c-duplicate-1');
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
    // Waited for by its own words: the list still shows the last press's message until the engine answers.
    await page.locator('.duplicate-correction .field-errors', { hasText: 'phải gồm đúng 12 chữ số' }).waitFor();
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
    await openDuplicate(page, h.agent, 'c-duplicate-2');
    await page.locator('button', { hasText: 'Gửi lại như cũ' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), { id: 'c-duplicate-2', take: 'local', version: 'possible-duplicate@2' });
  });

  test('delete against edit is said in plain words, and keeping the edit takes the national side', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Loại xung đột').selectOption('delete-vs-edit');
    // Opened by its id: the list of the new filter comes after the old one, whose first row is another kind.
    await page.locator('#conflict-title-c-delete-1').click();
    await page.locator('.delete-sentence', { hasText: 'Đơn vị này đã xóa bản ghi, trong khi cấp quốc gia đã sửa nó' }).waitFor();
    await page.locator('button', { hasText: 'Giữ bản ghi đã sửa' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), { id: 'c-delete-1', take: 'national', version: 'delete-vs-edit@2' });
  });

  test('a conflict whose record left the office\'s scope says so in the list and, before the choice, in the detail', async () => {
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-left-scope-1', title: 'Đặng Văn Toàn', leftScope: true });
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

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';

// A record kept only for this office's pending change after it left the office's scope takes no
// change (the engine refuses it): its form says so before the person types, and a save refused
// because the record left while the form was open keeps what was typed.
describe('the record form of a record that left the office scope (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('opens read-only, with no save or delete, and its notice says why and what to do, in both languages', async () => {
    const records = h.agent.records.get(BIRTHS)!;
    const away = records.findIndex((r, i) => i < 10 && !r.deleted && r.state === 'rejected');
    assert.ok(away >= 0, 'a held-back record among the first rows');
    Object.assign(records[away]!, { leftScope: true });
    try {
      const writes = () => h.agent.sent('records.put').length + h.agent.sent('records.delete').length;
      const before = writes();
      const page = await h.open();
      await goTo(page, 'records');
      await page.locator(`.vlist-body [role="row"][aria-rowindex="${away + 2}"] .row-open`).click();
      await page.locator('#record-form-title:focus').waitFor();
      const form = page.locator('.record-form');
      assert.match(
        await form.locator('.left-scope-notice').innerText(),
        /không sửa hay xóa được bản ghi.*giữ bản quốc gia ở màn hình Xung đột.*bỏ thay đổi ở màn hình Hàng đợi gửi/s,
      );
      assert.equal(await form.locator('button', { hasText: 'Lưu' }).count(), 0, 'no save');
      assert.equal(await form.locator('button', { hasText: 'Xóa bản ghi' }).count(), 0, 'no delete');
      const inputs = form.locator('.form-grid input, .form-grid textarea');
      assert.ok((await inputs.count()) > 5);
      for (const input of await inputs.all()) assert.equal(await input.getAttribute('readonly'), '', 'every field is read-only');
      for (const select of await form.locator('.form-grid select').all()) assert.equal(await select.isDisabled(), true);
      // The platform's reasons stay, as information: nothing here asks for a field to be fixed.
      const summary = form.locator('.form-summary');
      assert.match(await summary.innerText(), /Nền tảng quốc gia đã giữ lại thay đổi của đơn vị này.*chỉ để biết, không có trường nào cần sửa/s);
      assert.doesNotMatch(await summary.innerText(), /cần sửa trước khi lưu/);
      assert.equal(await summary.locator('[role="alert"]').count(), 0, 'nothing to alert about');
      assert.match(await form.locator('.field-errors').innerText(), /Số định danh cá nhân đã có trong hồ sơ của đơn vị khác/, 'the field\'s reason stays under it');
      // Enter in a field submits nothing.
      await page.locator('#rf-civil-status-births-fullName').press('Enter');
      assert.deepEqual(await seriousViolations(page), [], 'the read-only form passes axe');

      await switchLanguage(page, 'en');
      await form
        .locator('.left-scope-notice', { hasText: /cannot be edited or deleted here.*keep the national version in Conflicts.*discard the change in the Outbox/s })
        .waitFor();
      assert.match(await summary.innerText(), /The national platform held this office's change back.*for information: no field needs fixing/s);
      assert.doesNotMatch(await summary.innerText(), /need fixing before saving/);
      assert.deepEqual(await vietnameseLeft(page), [], 'no Vietnamese interface text in the form');
      await switchLanguage(page, 'vi');
      assert.equal(writes(), before, 'nothing sent');
    } finally {
      Object.assign(records[away]!, { leftScope: false });
    }
  });

  test('a record that leaves the scope while its form is open: the save is refused in the engine\'s words, and what was typed stays', async () => {
    const records = h.agent.records.get(BIRTHS)!;
    const near = records.findIndex((r, i) => i < 10 && !r.deleted && r.state === 'synced');
    assert.ok(near >= 0, 'a synced record among the first rows');
    const record = records[near]!;
    try {
      const page = await h.open();
      await goTo(page, 'records');
      await page.locator(`.vlist-body [role="row"][aria-rowindex="${near + 2}"] .row-open`).click();
      await page.locator('#record-form-title:focus').waitFor();
      const notes = page.locator('#rf-civil-status-births-notes');
      await notes.fill('Ghi chú xã nhập sau');
      // Meanwhile a sync learns the record moved out of the office's scope.
      record.leftScope = true;
      await page.locator('.record-form button[type="submit"]', { hasText: 'Lưu' }).click();
      await page.locator('.form-summary [role="alert"]', { hasText: `Bản ghi ${record.id} không còn thuộc phạm vi của đơn vị này` }).waitFor();
      assert.equal(await notes.inputValue(), 'Ghi chú xã nhập sau', 'what was typed stays');
      assert.equal(await page.locator('#record-form-title').count(), 1, 'the form stays open');
      assert.notEqual(record.data?.notes, 'Ghi chú xã nhập sau', 'nothing saved');
      await switchLanguage(page, 'en');
      await page.locator('.form-summary [role="alert"]', { hasText: `Record ${record.id} is no longer in this office's scope` }).waitFor();
      assert.equal(await notes.inputValue(), 'Ghi chú xã nhập sau');
      await switchLanguage(page, 'vi');
    } finally {
      record.leftScope = false;
    }
  });
});

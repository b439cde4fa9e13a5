import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ConflictView, OutboxEntryView } from '../../sync-engine/src/api/views.js';
import { goTo, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { bulkTake, confirmBulkTake } from './support/conflicts.js';
import { FakeAgent } from './support/fake-agent.js';
import { BIRTHS } from './support/fake-data.js';

// The window offers no choice the platform is certain to refuse (the engine refuses it too): this office's
// side of a conflict whose record left the office's scope, in the detail and the bulk action, an edit of a
// record the platform answered it no longer holds, and a retry of a held-back change whose record left the
// scope or that the platform no longer holds. What is left to do (take the national version, discard the
// change) is said and offered, and what a choice did is said as it is.
describe('choices the platform would refuse again (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  /** An open conflict like `template`, of a record that left the office's scope. */
  function away(template: string, id: string, title: string): ConflictView {
    const conflict = { ...structuredClone(h.agent.conflicts.find((c) => c.id === template)!), id, status: 'open' as const, title, leftScope: true };
    h.agent.conflicts.push(conflict);
    return conflict;
  }

  async function openConflict(page: Page, title: string) {
    await goTo(page, 'conflicts');
    await page.locator('.conflicts-table button', { hasText: title }).click();
    await page.locator('.conflict-detail h2').waitFor();
  }

  const keptLocal = () => h.agent.sent('conflicts.resolve').filter((c) => c.take === 'local' || c.fields || c.values || c.duplicate === 'keep-both');

  test('the detail of a conflict whose record left the scope offers only the national version, for every kind, and says why', async () => {
    const fields = away('c-fields-1', 'c-away-fields', 'Đặng Văn Toàn');
    away('c-delete-1', 'c-away-delete', 'Lý Thị Hoa');
    away('c-duplicate-1', 'c-away-duplicate', 'Phan Văn Hải');
    const page = await h.open();
    const detail = page.locator('.conflict-detail');

    await openConflict(page, 'Đặng Văn Toàn');
    await detail.locator('.conflict-table').waitFor();
    assert.equal(await detail.locator('input').count(), 0, 'no per-field choice, no typed value');
    assert.equal(await detail.locator('button', { hasText: /Chọn bên|Ghi nhận quyết định/ }).count(), 0);
    assert.match(await detail.locator('.left-scope-notice').innerText(), /không giữ được bên đơn vị này.*Hãy giữ bản quốc gia.*không còn trên máy này/s);
    assert.deepEqual(await seriousViolations(page), [], 'the read-only detail passes axe');
    await switchLanguage(page, 'en');
    await detail.locator('.left-scope-notice', { hasText: /this office's side cannot be kept.*Keep the national version/ }).waitFor();
    await detail.locator('button', { hasText: 'Keep the national version' }).waitFor();
    await switchLanguage(page, 'vi');
    await detail.locator('button', { hasText: 'Giữ bản quốc gia' }).click();
    // Said as it is: nothing is sent, and the record leaves this computer (not "sent at the next sync").
    const settled = page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' });
    assert.match(await settled.innerText(), /Không có gì được gửi lên: bản ghi không còn thuộc phạm vi của đơn vị này, nên không còn trên máy này nữa \(bản ghi ở cấp quốc gia không bị xóa\)/);
    assert.doesNotMatch(await settled.innerText(), /sẽ được gửi lên/);
    await switchLanguage(page, 'en');
    await page.locator('[role="status"]', { hasText: "Decision recorded. Nothing is sent: the record is no longer in your office's scope, so it is no longer on this computer" }).waitFor();
    await switchLanguage(page, 'vi');
    assert.deepEqual(h.agent.sent('conflicts.resolve').at(-1), { id: 'c-away-fields', take: 'national', version: fields.version });

    // This office deleted the record: keeping the delete is this office's change, so only the edited national record is offered.
    await openConflict(page, 'Lý Thị Hoa');
    await detail.locator('button', { hasText: 'Giữ bản ghi đã sửa' }).waitFor();
    assert.equal(await detail.locator('button', { hasText: 'Xóa bản ghi' }).count(), 0);
    await detail.locator('button', { hasText: 'Quay lại' }).click();

    // A possible duplicate: only "the same person", which drops this office's record.
    await openConflict(page, 'Phan Văn Hải');
    await detail.locator('button', { hasText: 'Cùng một người: bỏ bản ghi của đơn vị này' }).waitFor();
    assert.equal(await detail.locator('button', { hasText: /Hai người khác nhau|Gửi lại như cũ/ }).count(), 0);
    assert.deepEqual(keptLocal(), [], "this office's side was never sent");
  });

  test('the bulk take of this office\'s side says beforehand which selected records left the scope, leaves them open and counts them; with only those it is unavailable', async () => {
    for (const c of h.agent.conflicts.filter((x) => x.id.startsWith('c-dossier-'))) c.status = 'open';
    const stays = away('c-dossier-0', 'c-away-dossier', 'HS-NGOAI-PHAM-VI');
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption('procedure-dossiers');
    const selectShown = page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' });
    const takeLocal = page.locator('button', { hasText: 'Giữ bên đơn vị này ở các trường xung đột, cho các mục đã chọn' });
    await selectShown.click();
    await page.locator('text=Đã chọn 4').waitFor();
    const note = page.locator('#conflicts-chosen-away');
    assert.match(await note.innerText(), /1 mục đã chọn có bản ghi không còn thuộc phạm vi của đơn vị này/);
    assert.equal(await takeLocal.getAttribute('aria-describedby'), 'conflicts-chosen-away');
    assert.equal(await takeLocal.getAttribute('aria-disabled'), null, 'the others can still take this office\'s side');

    await takeLocal.click();
    await confirmBulkTake(page, 'local');
    // The one left open counts among those not settled; the line below says why.
    const summary = page.locator('[role="status"]', { hasText: 'Đã giải quyết 3 xung đột; 1 không giải quyết được' });
    await summary.locator('text=1 xung đột vẫn mở vì bản ghi không còn thuộc phạm vi của đơn vị này').waitFor();
    assert.equal(stays.status, 'open', 'left open');
    await switchLanguage(page, 'en');
    await page.locator('[role="status"]', { hasText: "Still open, because their records are no longer in your office's scope: 1." }).waitFor();
    await switchLanguage(page, 'vi');

    // Only that one is left: taking this office's side is unavailable, the national side is not.
    await selectShown.click();
    await page.locator('text=Đã chọn 1').waitFor();
    assert.equal(await takeLocal.getAttribute('aria-disabled'), 'true');
    assert.deepEqual(await seriousViolations(page), [], 'the bulk bar passes axe');
    const sent = h.agent.sent('conflicts.resolveMany').length;
    await takeLocal.click({ force: true });
    await bulkTake(page, 'national');
    // The national version of a record that left the scope takes it off this computer, nothing sent: the summary says so.
    const taken = page.locator('[role="status"]', { hasText: 'Đã giải quyết 1 xung đột; 0 không giải quyết được' });
    await taken.locator('text=1 bản ghi không còn trên máy này').waitFor();
    assert.match(await taken.innerText(), /không còn thuộc phạm vi của đơn vị này \(khi đó bản ghi ở cấp quốc gia không bị xóa\); không có gì được gửi lên cho chúng/);
    await switchLanguage(page, 'en');
    await page.locator('[role="status"]', { hasText: 'Records no longer on this computer' }).locator('text=with nothing sent for them: 1.').waitFor();
    await switchLanguage(page, 'vi');
    assert.deepEqual(h.agent.sent('conflicts.resolveMany').slice(sent), [{ ids: ['c-away-dossier'], take: 'national', versions: { 'c-away-dossier': stays.version } }], 'only the national take was sent');
  });

  test('a record the platform no longer holds is marked in its row, whole at 1024 px, and its form opens read-only saying to discard the change and enter it again, in both languages', async () => {
    const records = h.agent.records.get(BIRTHS)!;
    const gone = records.findIndex((r, i) => i < 10 && !r.deleted && r.state === 'rejected');
    assert.ok(gone >= 0, 'a held-back record among the first rows');
    const reasons = records[gone]!.errors;
    // The platform's answer about a record it no longer holds: a reason about the whole record, no field's.
    Object.assign(records[gone]!, { notOnPlatform: true, errors: [{ path: '', code: 'not_found', messages: { vi: 'Bản ghi không tồn tại trên nền tảng.', en: 'The record does not exist on the platform.' } }] });
    try {
      const writes = () => h.agent.sent('records.put').length + h.agent.sent('records.delete').length;
      const before = writes();
      const page = await h.open();
      await goTo(page, 'records');
      const row = page.locator(`.vlist-body [role="row"][aria-rowindex="${gone + 2}"]`);
      const badgeWhole = () => row.locator('.not-on-platform-badge').evaluate((box) => box.scrollWidth <= box.clientWidth);
      await row.locator('.badge', { hasText: 'Không còn ở quốc gia' }).waitFor();
      assert.equal(await page.locator('.vlist-body [role="row"]', { hasText: 'Không còn ở quốc gia' }).count(), 1, 'only that record is marked');
      // The badge's box clips what its column cannot hold (overflow: hidden).
      assert.equal(await badgeWhole(), true, 'the badge is whole at 1024 px, not cut by its column');

      await row.locator('.row-open').click();
      await page.locator('#record-form-title:focus').waitFor();
      const form = page.locator('.record-form');
      assert.match(
        await form.locator('.not-on-platform-notice').innerText(),
        /Nền tảng quốc gia không còn giữ bản ghi này.*không sửa hay xóa được bản ghi.*Hãy bỏ thay đổi đó ở màn hình Hàng đợi gửi.*hãy nhập lại thành bản ghi mới/s,
      );
      assert.equal(await form.locator('button', { hasText: 'Lưu' }).count(), 0, 'no save');
      assert.equal(await form.locator('button', { hasText: 'Xóa bản ghi' }).count(), 0, 'no delete');
      for (const input of await form.locator('.form-grid input, .form-grid textarea').all()) assert.equal(await input.getAttribute('readonly'), '', 'every field is read-only');
      // The platform's reason stays, as information: nothing here asks for a field to be fixed.
      const summary = form.locator('.form-summary');
      assert.match(await summary.innerText(), /Nền tảng quốc gia đã giữ lại thay đổi của đơn vị này.*không có trường nào cần sửa.*Bản ghi không tồn tại trên nền tảng\./s);
      assert.doesNotMatch(await summary.innerText(), /cần sửa trước khi lưu/);
      assert.equal(await summary.locator('[role="alert"]').count(), 0, 'nothing to alert about');
      assert.deepEqual(await seriousViolations(page), [], 'the read-only form passes axe');

      await switchLanguage(page, 'en');
      await form
        .locator('.not-on-platform-notice', { hasText: /no longer holds this record.*cannot be edited or deleted here.*Discard that change in the Outbox.*enter it again as a new record/s })
        .waitFor();
      assert.match(await summary.innerText(), /The national platform held this office's change back.*no field needs fixing.*The record does not exist on the platform\./s);
      assert.doesNotMatch(await summary.innerText(), /need fixing before saving/);
      assert.deepEqual(await vietnameseLeft(page), [], 'no Vietnamese interface text in the form');
      await form.locator('button', { hasText: 'Back' }).click();
      await row.locator('.badge', { hasText: 'Gone nationally' }).waitFor();
      assert.equal(await badgeWhole(), true, 'whole in English too');
      await switchLanguage(page, 'vi');
      assert.equal(writes(), before, 'nothing sent');
    } finally {
      Object.assign(records[gone]!, { notOnPlatform: false, errors: reasons });
    }
  });

  test('a held-back change whose record left the scope, or that the platform no longer holds, offers no retry, says to discard it, and "retry all" leaves it and says how many', async () => {
    const saved = h.agent.outbox.map((e) => ({ ...e }));
    const [scope, gone, near] = h.agent.outbox.slice(0, 3) as [OutboxEntryView, OutboxEntryView, OutboxEntryView];
    for (const e of h.agent.outbox) Object.assign(e, { status: 'queued' });
    Object.assign(scope, { status: 'quarantined', leftScope: true });
    Object.assign(gone, {
      status: 'quarantined',
      nationalVersion: false,
      notOnPlatform: true,
      errors: [{ path: '', code: 'not_found', messages: { vi: 'Bản ghi không tồn tại trên nền tảng.', en: 'The record does not exist on the platform.' } }],
    });
    Object.assign(near, { status: 'quarantined' });
    try {
      const page = await h.open();
      await goTo(page, 'outbox');
      const item = (e: OutboxEntryView) => page.locator('.quarantine-item', { hasText: e.title! });
      // Named with the change's record (a screen reader tabbing from button to button hears which): "Gửi lại <title> <dataset>".
      const retryOne = (e: OutboxEntryView) => item(e).getByRole('button', { name: `Gửi lại ${e.title!}` });
      await retryOne(near).waitFor();
      assert.equal(await retryOne(scope).count(), 0, 'no retry of a change of a record that left the scope');
      assert.equal(await retryOne(gone).count(), 0, 'no retry of a change of a record the platform no longer holds');
      await item(gone).locator('button', { hasText: 'Bỏ thay đổi này' }).waitFor();
      assert.match(await item(gone).locator('.not-on-platform-notice').innerText(), /Nền tảng quốc gia không còn giữ bản ghi này.*gửi lại cũng vậy.*Hãy bỏ thay đổi này.*nhập lại thành bản ghi mới/s);
      assert.match(await item(scope).locator('.left-scope-notice').innerText(), /gửi lại cũng vậy.*Hãy bỏ thay đổi này/s);
      assert.deepEqual(await seriousViolations(page), [], 'the held-back list passes axe');

      const retryAll = page.locator('button', { hasText: 'Gửi lại tất cả' });
      await retryAll.click();
      const notice = page.locator('[role="status"]', { hasText: 'Đã xếp 1 thay đổi' });
      await notice.locator('text=2 thay đổi vẫn bị giữ lại, không gửi lại').waitFor();
      assert.deepEqual([scope.status, gone.status, near.status], ['quarantined', 'quarantined', 'queued']);
      await retryOne(near).waitFor({ state: 'detached' });
      // Only those two are held back now: nothing to retry.
      assert.equal(await retryAll.getAttribute('aria-disabled'), 'true');
      const sent = h.agent.sent('outbox.retry').length;
      await retryAll.click({ force: true });
      // A later request of the page, to know the press was handled.
      await page.getByLabel('Trạng thái').selectOption('quarantined');
      await page.locator('section[aria-labelledby="entries-heading"] tbody tr').nth(2).waitFor({ state: 'detached' });
      assert.equal(h.agent.sent('outbox.retry').length, sent, 'nothing sent');

      await switchLanguage(page, 'en');
      await page.locator('[role="status"]', { hasText: 'Still held back, not sent again, because the national platform is certain not to accept them' }).waitFor();
      await item(gone).locator('.not-on-platform-notice', { hasText: 'The national platform no longer holds this record' }).waitFor();
      await item(scope).locator('.left-scope-notice', { hasText: 'Discard this change' }).waitFor();
      await switchLanguage(page, 'vi');
    } finally {
      h.agent.outbox.forEach((e, i) => Object.assign(e, saved[i]));
    }
  });
});

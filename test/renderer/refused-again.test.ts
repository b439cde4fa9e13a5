import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ConflictView, OutboxEntryView } from '../../sync-engine/src/api/views.js';
import { goTo, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';

// The window offers no choice the platform is certain to refuse (the engine refuses it too): this office's
// side of a conflict whose record left the office's scope, in the detail and the bulk action, and a retry of
// a held-back change whose record left the scope or that the platform answered it no longer holds. What is
// left to do (take the national version, discard the change) is said and offered.
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
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();
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
    const takeLocal = page.locator('button', { hasText: 'Giữ bên đơn vị này ở chỗ hai bên xung đột, cho các mục đã chọn' });
    await selectShown.click();
    await page.locator('text=Đã chọn 4').waitFor();
    const note = page.locator('#conflicts-chosen-away');
    assert.match(await note.innerText(), /1 mục đã chọn có bản ghi không còn thuộc phạm vi của đơn vị này/);
    assert.equal(await takeLocal.getAttribute('aria-describedby'), 'conflicts-chosen-away');
    assert.equal(await takeLocal.getAttribute('aria-disabled'), null, 'the others can still take this office\'s side');

    await takeLocal.click();
    const summary = page.locator('[role="status"]', { hasText: 'Đã giải quyết 3 xung đột; 0 không giải quyết được' });
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
    await page.locator('button', { hasText: 'Giữ bên quốc gia ở chỗ hai bên xung đột, cho các mục đã chọn' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã giải quyết 1 xung đột' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.resolveMany').slice(sent), [{ ids: ['c-away-dossier'], take: 'national', versions: { 'c-away-dossier': stays.version } }], 'only the national take was sent');
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
      const retryOne = (e: OutboxEntryView) => item(e).getByRole('button', { name: 'Gửi lại', exact: true });
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

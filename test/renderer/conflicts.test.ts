import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, openConflict, startConflictsHarness } from './support/conflicts.js';

// The conflicts screen itself: its intro, and the settled conflicts shown beside the open ones.
// Settling one: conflict-fields, conflict-whole-record, conflict-bulk; leaving one: conflict-leaving.
describe('the conflicts screen\'s lists (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
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

  test('with nothing open the screen says so, without filters or bulk actions to press, and the settled ones are still a click away', async () => {
    const saved = h.agent.conflicts.splice(0, h.agent.conflicts.length, ...h.agent.conflicts.filter((c) => c.status !== 'open'));
    try {
      const page = await h.open();
      await goTo(page, 'conflicts');
      await page.locator('main p', { hasText: 'Không có xung đột nào đang chờ.' }).waitFor();
      assert.equal(await page.locator('.bulk-bar').count(), 0, 'no bulk actions');
      assert.equal(await page.locator('main select').count(), 0, 'no filters');
      assert.equal(await page.locator('main > p.muted').count(), 0, 'no intro about conflicts that are not there');
      assert.deepEqual(await seriousViolations(page), []);
      await page.getByRole('button', { name: 'Đã giải quyết' }).click();
      await page.locator('.settled-conflicts, table').first().waitFor();
    } finally {
      h.agent.conflicts.splice(0, h.agent.conflicts.length, ...saved);
    }
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
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-settle-now-1', title: 'Mai Thị Hoa' });
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
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, bulkTake, startConflictsHarness } from './support/conflicts.js';
import { BIRTHS } from './support/fake-data.js';

// The list's bulk take: many alike conflicts settled with conflicts.resolveMany, and what it says of
// those it leaves open (a newer national version, the data file busy).
describe('settling many conflicts at once (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  /** The three procedure dossiers' conflicts (open again if a test before settled them), all selected in a new page's list. */
  async function dossiersSelected() {
    const dossiers = h.agent.conflicts.filter((c) => c.id.startsWith('c-dossier-'));
    for (const c of dossiers) c.status = 'open';
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption('procedure-dossiers');
    await page.locator('button', { hasText: 'Chọn tất cả đang hiển thị' }).click();
    await page.locator('text=Đã chọn 3').waitFor();
    return { page, dossiers };
  }

  test('many alike conflicts are settled at once with conflicts.resolveMany', async () => {
    const { page } = await dossiersSelected();
    await bulkTake(page, 'national');
    await page.locator('[role="status"]', { hasText: 'Đã giải quyết 3 xung đột' }).waitFor();
    const sent = h.agent.sent('conflicts.resolveMany').at(-1)!;
    assert.equal(sent.take, 'national');
    assert.deepEqual([...sent.ids].sort(), ['c-dossier-0', 'c-dossier-1', 'c-dossier-2']);
  });

  test('a bulk take asks first (how many, which side each keeps, that it cannot be undone); "not yet" and Escape send nothing and keep the selection', async () => {
    const { page, dossiers } = await dossiersSelected();
    const sent = h.agent.sent('conflicts.resolveMany').length;
    const takeNational = page.locator('.bulk-bar button', { hasText: 'Giữ bên quốc gia ở các trường xung đột, cho các mục đã chọn' });
    const dialog = page.locator('dialog[aria-labelledby="bulk-take-title"]');
    await takeNational.click();
    await dialog.locator('h2', { hasText: 'Giữ bên quốc gia cho 3 xung đột đã chọn?' }).waitFor();
    const said = await dialog.innerText();
    assert.match(said, /giá trị quốc gia được giữ; giá trị đơn vị này đã nhập ở các trường đó bị bỏ và không được gửi lên/);
    assert.match(said, /Không thể hoàn tác\. Mỗi quyết định được ghi vào nhật ký kiểm toán: ai quyết định và lúc nào\./);
    await dialog.getByRole('button', { name: 'Chưa, quay lại danh sách' }).click();
    await dialog.waitFor({ state: 'detached' });
    await takeNational.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(h.agent.sent('conflicts.resolveMany').length, sent, 'nothing is sent before the person confirms');
    assert.deepEqual(dossiers.map((c) => c.status), ['open', 'open', 'open']);
    await page.locator('text=Đã chọn 3').waitFor();

    await switchLanguage(page, 'en');
    await page.locator('.bulk-bar button', { hasText: "Keep this office's side where the two conflict, for the selected" }).click();
    await dialog.locator('h2', { hasText: "Keep this office's side for 3 selected conflicts?" }).waitFor();
    assert.match(await dialog.innerText(), /this office's value is kept and sent to the national platform at the next sync, in place of the national value/);
    await dialog.getByRole('button', { name: "Keep this office's side", exact: true }).click();
    await page.locator('[role="status"]', { hasText: 'Conflicts settled: 3' }).waitFor();
    assert.equal(h.agent.sent('conflicts.resolveMany').at(-1)!.take, 'local');
    await switchLanguage(page, 'vi');
  });

  test('a bulk take leaves open, and says so, the conflicts a newer national version refreshed after they were shown', async () => {
    const { page, dossiers } = await dossiersSelected();
    // A sync brings a newer national version of one of them while the person looks at the list.
    const refreshed = dossiers.find((c) => c.id === 'c-dossier-1')!;
    refreshed.version = 'fields@3';
    refreshed.fields[0]!.national = 'Đỗ Minh Quân';
    await bulkTake(page, 'local');
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
    await bulkTake(page, 'national');
    await page.locator('[role="status"]', { hasText: 'Đã giải quyết 1 xung đột' }).waitFor();
    const retried = h.agent.sent('conflicts.resolveMany').at(-1)!;
    assert.deepEqual(retried.ids, ['c-dossier-1']);
    assert.deepEqual(retried.versions, { 'c-dossier-1': 'fields@3' });
    assert.equal(refreshed.status, 'resolved');
    await page.locator('text=Đã chọn 0').waitFor();
  });

  test('a bulk take that meets the data file busy says that it stopped there, that the others were not tried, and why', async () => {
    const { page, dossiers } = await dossiersSelected();
    h.agent.writeLockHeld = true;
    try {
      await bulkTake(page, 'national');
      const notice = page.locator('[role="status"]', { hasText: 'Đã giải quyết 0 xung đột; 3 không giải quyết được.' });
      await notice.locator('.bulk-busy', { hasText: '3 xung đột vẫn mở vì tệp dữ liệu đang bận: việc giải quyết dừng ở xung đột đầu tiên bị từ chối, các xung đột còn lại chưa được thử' }).waitFor();
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

  // Last: it leaves 230 more open conflicts in the fake.
  test('the filters reach every open conflict, not only the page loaded: an old delete against an edit past the first 200 is found, and the count says how many match', async () => {
    const births = h.agent.records.get(BIRTHS)!;
    for (let i = 0; i < 230; i++) {
      addConflictLike(h.agent, 'c-fields-1', {
        id: `c-alike-${i}`,
        title: `Người thứ ${i}`,
        recordId: births[100 + i]!.id,
        fields: [{ field: 'registrar', title: { vi: 'Công chức hộ tịch', en: 'Registrar' }, base: 'Trần Thị Mai', local: 'Lê Văn Hùng', national: 'Phạm Thu Hà', auto: null }],
      });
    }
    addConflictLike(h.agent, 'c-delete-1', { id: 'c-delete-old', title: 'Lý Thị Cũ', recordId: births[400]!.id });
    const page = await h.open();
    await goTo(page, 'conflicts');
    const old = page.locator('.conflicts-table tbody button', { hasText: 'Lý Thị Cũ' });
    await page.locator('.conflicts-table tbody tr').nth(199).waitFor();
    assert.equal(await old.count(), 0, 'past the first page of 200');

    await page.getByLabel('Loại xung đột').selectOption('delete-vs-edit');
    await old.waitFor();
    await page.locator('text=2 xung đột đang chờ khớp bộ lọc.').waitFor();
    assert.equal(await page.locator('.conflicts-table tbody tr').count(), 2);
    assert.deepEqual(h.agent.sent('conflicts.list').at(-1), { status: 'open', kind: 'delete-vs-edit', offset: 0, limit: 200 });
    // The intro still counts every open conflict.
    const open = h.agent.conflicts.filter((c) => c.status === 'open').length;
    await page.locator('main p.muted', { hasText: `${open.toLocaleString('vi-VN')} xung đột đang chờ. Xung đột là` }).waitFor();

    // The many alike: 231 registrar conflicts of births, their count said whole though a page shows 200.
    await page.getByLabel('Loại xung đột').selectOption('fields');
    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await page.locator('text=231 xung đột đang chờ khớp bộ lọc.').waitFor();
    await switchLanguage(page, 'en');
    await page.locator('text=Open conflicts matching the filter: 231.').waitFor();
    await switchLanguage(page, 'vi');
    await page.getByLabel('Loại xung đột').selectOption('create-collision');
    await page.getByLabel('Bộ dữ liệu').selectOption('procedure-dossiers');
    await page.locator('text=Không có xung đột nào đang chờ khớp bộ lọc.').waitFor();
  });
});

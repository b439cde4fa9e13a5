import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RecordEventView } from '../../sync-engine/src/api/record-history.js';
import { formatDateTime } from '../../renderer/src/model/format.js';
import { goTo, hasHorizontalScroll, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { fieldTitles } from '../../sync-engine/src/protocol/validation/field-titles.js';

/**
 * "Who changed this birth registration's personal ID number, and when?" answered in the window:
 * the record's form has a change history, folded until asked for, that says when, who and what,
 * with the fields by their titles and the values as the form shows them.
 */
describe('a record\'s change history under its form (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  const EDITED_AT = '2026-03-24T07:30:00.000Z';
  const ACCEPTED_AT = '2026-03-23T02:05:00.000Z';
  const CREATED_AT = '2026-03-23T01:00:00.000Z';

  function history(): RecordEventView[] {
    const older: RecordEventView[] = Array.from({ length: 25 }, (_, i) => ({
      seq: 100 - i,
      at: '2026-01-02T03:04:00.000Z',
      actor: 'sync',
      action: 'sync.applied',
      kind: 'accepted',
      op: 'upsert',
    }));
    return [
      {
        seq: 400,
        at: EDITED_AT,
        actor: 'Trần Văn Bình',
        action: 'local.put',
        kind: 'edited',
        changes: [
          { field: 'personalId', before: '001301012345', after: '001301099999' },
          { field: 'birthDate', before: '2001-05-12', after: '2001-05-21' },
          { field: 'gender', before: 'female', after: 'male' },
        ],
      },
      { seq: 300, at: ACCEPTED_AT, actor: 'sync', action: 'conflict.opened', kind: 'conflict-opened', reason: 'fields', fields: ['personalId'] },
      { seq: 200, at: CREATED_AT, actor: 'Nguyễn Thị Hoa', action: 'local.put', kind: 'created', changes: [{ field: 'registrar', after: 'Trần Minh Châu' }] },
      ...older,
    ];
  }

  test('folded until opened by the keyboard; then when, who and what, the personal ID number before and after, dates and choices as the form writes them; older changes on request; in English too', async () => {
    const record = h.agent.records.get(BIRTHS)![0]!;
    h.agent.histories.set(`${BIRTHS}/${record.id}`, history());
    h.agent.currentVersions.set(`${BIRTHS}/${record.id}`, { at: EDITED_AT, by: { kind: 'this-office', user: 'Trần Văn Bình' } });
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('.vlist-body [data-index="0"] .row-open').click();
    await page.locator('#record-form-title').waitFor();

    const toggle = page.getByRole('button', { name: 'Lịch sử thay đổi' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(h.agent.sent('records.history').length, 0, 'nothing is read until asked for');
    await toggle.focus();
    await page.keyboard.press('Enter');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    const events = page.locator('.history-event');
    await events.first().waitFor();
    assert.deepEqual(h.agent.sent('records.history')[0], { dataset: BIRTHS, id: record.id, limit: 20 });
    assert.equal(await events.count(), 20);
    assert.equal(
      await page.locator('.history-current').innerText(),
      `Phiên bản hiện có trên máy này do Trần Văn Bình (đơn vị này) ghi lúc ${formatDateTime('vi', EDITED_AT)}.`,
    );

    const edited = events.nth(0);
    assert.equal(await edited.locator('.history-what').innerText(), 'Sửa bản ghi');
    assert.equal(await edited.locator('.history-when').innerText(), `${formatDateTime('vi', EDITED_AT)} · Trần Văn Bình`);
    assert.match(formatDateTime('vi', EDITED_AT), /^\d{2}\/\d{2}\/2026 \d{2}:\d{2}$/);
    const rows: string[][] = [];
    for (const row of await edited.locator('tbody tr').all()) rows.push(await row.locator('th, td').allInnerTexts());
    assert.deepEqual(rows, [
      ['Số định danh cá nhân', '001301012345', '001301099999'],
      ['Ngày sinh', '12/05/2001', '21/05/2001'],
      ['Giới tính', 'Nữ', 'Nam'],
    ]);
    assert.equal(await events.nth(1).locator('.history-what').innerText(), 'Xung đột: Sửa ở cả hai bên');
    assert.match(await events.nth(1).innerText(), /Tác tử \(khi đồng bộ\)[\s\S]*Các trường: Số định danh cá nhân/);
    const created = events.nth(2);
    assert.equal(await created.locator('.history-what').innerText(), 'Tạo bản ghi');
    assert.match(await created.locator('.history-when').innerText(), /Nguyễn Thị Hoa$/);
    const createdCells = created.locator('tbody tr').first().locator('th, td');
    assert.equal(await createdCells.nth(0).innerText(), fieldTitles(datasetByName(BIRTHS)!, 'registrar').vi);
    assert.equal(await createdCells.nth(1).locator('[aria-hidden="true"]').innerText(), '—', 'no value before');
    assert.equal(await createdCells.nth(2).innerText(), 'Trần Minh Châu');
    assert.equal(await events.nth(3).locator('.history-what').innerText(), 'Nền tảng quốc gia đã nhận thay đổi');

    const older = page.getByRole('button', { name: 'Xem các thay đổi cũ hơn' });
    await older.click();
    await page.locator('.history-event').nth(27).waitFor();
    assert.equal(await events.count(), 28);
    assert.deepEqual(h.agent.sent('records.history')[1], { dataset: BIRTHS, id: record.id, limit: 20, before: 84 });
    await older.waitFor({ state: 'detached' });
    assert.deepEqual(await seriousViolations(page), []);

    await switchLanguage(page, 'en');
    assert.equal(await page.getByRole('button', { name: 'Change history' }).getAttribute('aria-expanded'), 'true');
    assert.equal(await edited.locator('.history-what').innerText(), 'Edited the record');
    assert.equal(await edited.locator('tbody th').first().innerText(), 'Personal ID number');
    assert.equal(await events.nth(1).locator('.history-what').innerText(), 'Conflict: Edited on both sides');
    assert.deepEqual(await vietnameseLeft(page), []);
    // A 1366×768 laptop at 150 %: the history open, nothing past the right edge.
    await page.setViewportSize({ width: 911, height: 512 });
    assert.equal(await hasHorizontalScroll(page), false);

    await page.getByRole('button', { name: 'Change history' }).press('Enter');
    assert.equal(await page.locator(`#record-history-${record.id}`).isHidden(), true, 'folded again by the keyboard');
    await page.close();
  });

  test('a record with no change recorded says so, and whose its version is: the national platform’s, which reached it by sync; a new record has no history', async () => {
    const record = h.agent.records.get(BIRTHS)![1]!;
    h.agent.histories.delete(`${BIRTHS}/${record.id}`);
    h.agent.currentVersions.set(`${BIRTHS}/${record.id}`, { at: CREATED_AT, by: { kind: 'national' } });
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('.vlist-body [data-index="1"] .row-open').click();
    await page.getByRole('button', { name: 'Lịch sử thay đổi' }).click();
    await page.locator('.record-history', { hasText: 'Nhật ký kiểm toán chưa ghi thay đổi nào của bản ghi này.' }).waitFor();
    assert.equal(
      await page.locator('.history-current').innerText(),
      `Phiên bản hiện có trên máy này do nền tảng quốc gia ghi lúc ${formatDateTime('vi', CREATED_AT)}. ` +
        'Thay đổi của cấp quốc gia và của đơn vị khác đến máy này khi đồng bộ; nhật ký kiểm toán của đơn vị này không ghi từng thay đổi đó.',
    );
    await switchLanguage(page, 'en');
    assert.match(await page.locator('.history-current').innerText(), /^The version on this computer was written by the national platform at .*; this office's audit log does not record them one by one\.$/);
    await switchLanguage(page, 'vi');
    await page.getByRole('button', { name: 'Quay lại danh sách' }).click();
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await page.locator('#record-form-title').waitFor();
    assert.equal(await page.locator('.record-history').count(), 0);
    await page.close();
  });
});

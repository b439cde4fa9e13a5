import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, startConflictsHarness } from './support/conflicts.js';
import { BIRTHS } from './support/fake-data.js';

// A provincial office back after two weeks offline: 1,500 alike conflicts (the national side re-coded communes
// after a merger), more than the list ever loads, settled by one take of all the filter holds.
describe('a take of every conflict the filter holds, not only those loaded (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
    const births = h.agent.records.get(BIRTHS)!;
    for (let i = 0; i < 1500; i++) {
      addConflictLike(h.agent, 'c-fields-1', {
        id: `c-commune-${String(i).padStart(4, '0')}`,
        title: `Người đổi mã xã ${i}`,
        recordId: births[100 + i]!.id,
        leftScope: i % 500 === 7,
        fields: [{ field: 'placeOfBirthCommuneCode', title: { vi: 'Xã nơi sinh', en: 'Commune of birth' }, base: '00004', local: '00004', national: '00008', auto: null }],
      });
    }
  });
  after(async () => {
    await h?.close();
  });

  const fmt = (n: number) => n.toLocaleString('vi-VN');
  const matchingBirths = () => h.agent.conflicts.filter((c) => c.status === 'open' && c.dataset === BIRTHS && c.kind === 'fields');

  test('"select all N matching" covers every one the filter holds; the dialog says the true count and those out of scope; the result says how many settled and which were left open and why, in both languages', async () => {
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await page.getByLabel('Loại xung đột').selectOption('fields');
    const n = matchingBirths().length;
    assert.ok(n > 1500);
    const bar = page.locator('.bulk-bar');
    await bar.locator('button', { hasText: `Chọn cả ${fmt(n)} xung đột khớp bộ lọc` }).click();
    await bar.getByText(`Đã chọn cả ${fmt(n)} xung đột khớp bộ lọc, kể cả những mục chưa hiện trong danh sách`).waitFor();
    assert.equal(await page.locator('.conflicts-table tbody input[type="checkbox"]:not(:checked)').count(), 0, 'every row shown is ticked');

    // This office's side: the agent counts them, the dialog says how many and how many left the scope; "not yet" sends nothing.
    const dialog = page.locator('dialog[aria-labelledby="bulk-take-title"]');
    await bar.locator('button', { hasText: 'Giữ bên đơn vị này ở các trường xung đột, cho các mục đã chọn' }).click();
    await dialog.locator('h2', { hasText: `Giữ bên đơn vị này cho ${fmt(n)} xung đột đã chọn?` }).waitFor();
    await dialog.locator('.bulk-away', { hasText: '3 mục đã chọn có bản ghi không còn thuộc phạm vi của đơn vị này' }).waitFor();
    assert.deepEqual(h.agent.sent('conflicts.matching').at(-1), { dataset: BIRTHS, kind: 'fields' });
    await dialog.getByRole('button', { name: 'Chưa, quay lại danh sách' }).click();
    assert.equal(h.agent.sent('conflicts.resolveMatching').length, 0);

    // The national side, counted again. Before the press: a newer national version of one counted, and a new conflict.
    await bar.locator('button', { hasText: 'Giữ bên quốc gia ở các trường xung đột, cho các mục đã chọn' }).click();
    await dialog.locator('h2', { hasText: `Giữ bên quốc gia cho ${fmt(n)} xung đột đã chọn?` }).waitFor();
    const refreshed = h.agent.conflicts.find((c) => c.id === 'c-commune-1234')!;
    refreshed.version = 'fields@3';
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-commune-new', title: 'Người mới đến', recordId: h.agent.records.get(BIRTHS)![1700]!.id });
    await dialog.getByRole('button', { name: 'Giữ bên quốc gia', exact: true }).click();
    const notice = page.locator('[role="status"]', { hasText: `Đã giải quyết ${fmt(n - 1)} xung đột; 1 không giải quyết được.` });
    await notice.waitFor();
    await notice.getByText('1 xung đột chưa được giải quyết vì bản quốc gia mới hơn vừa về').waitFor();
    await notice.getByText('1 xung đột khớp bộ lọc mới phát sinh sau khi đếm, không thuộc lần giải quyết này: chúng vẫn mở.').waitFor();

    // The agent did the bulk, a page at a time, on the count's mark; nothing else was settled.
    const pages = h.agent.sent('conflicts.resolveMatching');
    assert.equal(pages.length, Math.ceil(n / 200));
    const through = pages[0]!.through;
    assert.ok(pages.every((p) => p.take === 'national' && p.dataset === BIRTHS && p.kind === 'fields' && p.through === through));
    assert.equal(h.agent.sent('conflicts.resolveMany').length, 0);
    assert.deepEqual(matchingBirths().map((c) => c.id).sort(), ['c-commune-1234', 'c-commune-new']);
    assert.ok(h.agent.conflicts.filter((c) => c.kind === 'possible-duplicate').every((c) => c.status === 'open'), 'possible duplicates are never taken in bulk');

    // The one left open stays selected, alone: "all matching" ended with the take.
    await bar.getByText('Đã chọn 1', { exact: true }).waitFor();
    await switchLanguage(page, 'en');
    await page.locator('[role="status"]', { hasText: `Conflicts settled: ${(n - 1).toLocaleString('en-GB')}; not settled: 1.` }).waitFor();
    await page.getByText('Conflicts matching the filter that came after the count, not part of this action: 1. They stay open.').waitFor();
    await switchLanguage(page, 'vi');
  });

  test('"select all N matching" is offered only when the filter holds more than the list loaded, and another filter ends it', async () => {
    for (const c of h.agent.conflicts) if (c.id.startsWith('c-commune-')) c.status = 'open';
    const page = await h.open();
    await goTo(page, 'conflicts');
    const all = page.locator('.bulk-bar button', { hasText: /^Chọn cả .* xung đột khớp bộ lọc$/ });
    await page.locator('.conflicts-table tbody tr').nth(199).waitFor();
    assert.equal(await all.count(), 0, 'no filter: not offered');
    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await all.waitFor();
    await all.click();
    await page.locator('.bulk-bar').getByText(/^Đã chọn cả /).waitFor();
    await page.getByLabel('Loại xung đột').selectOption('delete-vs-edit');
    await page.locator('.bulk-bar').getByText('Đã chọn 0', { exact: true }).waitFor();
    // The list of the new filter comes after the selection is cleared: waited for, not read at once.
    await all.waitFor({ state: 'detached' });
    assert.equal(await all.count(), 0, 'a filter whose conflicts are all loaded: "select all shown" does');

    await switchLanguage(page, 'en');
    await page.getByLabel('Kind of conflict').selectOption('fields');
    const n = matchingBirths().length;
    await page.locator('.bulk-bar button', { hasText: `Select all ${n.toLocaleString('en-GB')} matching the filter` }).waitFor();
    await switchLanguage(page, 'vi');
  });

  test('in a dataset, a take of one field alone: only the conflicts whose one field to decide it is are listed, counted and settled; one with another field stays open, in both languages', async () => {
    for (const c of h.agent.conflicts) if (c.id.startsWith('c-commune-')) c.status = 'open';
    const births = h.agent.records.get(BIRTHS)!;
    for (let i = 0; i < 40; i++) {
      addConflictLike(h.agent, 'c-fields-1', {
        id: `c-two-fields-${i}`,
        title: `Hai trường ${i}`,
        recordId: births[1650 + i]!.id,
        fields: [
          { field: 'placeOfBirthCommuneCode', title: { vi: 'Nơi sinh (mã xã)', en: 'Place of birth (commune code)' }, base: '00004', local: '00004', national: '00008', auto: null },
          { field: 'registrar', title: { vi: 'Công chức hộ tịch', en: 'Registrar' }, base: 'Trần Thị Mai', local: 'Lê Văn Hùng', national: 'Phạm Thu Hà', auto: null },
        ],
      });
    }
    const page = await h.open();
    await goTo(page, 'conflicts');
    assert.equal(await page.getByLabel('Trường xung đột duy nhất').count(), 0, 'no dataset chosen: no field to choose');
    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await page.getByLabel('Trường xung đột duy nhất').selectOption({ label: 'Nơi sinh (mã xã)' });
    await page.getByText('Chỉ hiện các xung đột mà trường này là trường xung đột duy nhất').waitFor();
    const alone = h.agent.conflicts.filter((c) => c.status === 'open' && c.dataset === BIRTHS && c.fields.length === 1 && c.fields[0]!.field === 'placeOfBirthCommuneCode');
    assert.equal(alone.length, 1500);
    await page.locator('text=1.500 xung đột đang chờ khớp bộ lọc.').waitFor();
    assert.deepEqual(h.agent.sent('conflicts.list').at(-1), { status: 'open', dataset: BIRTHS, field: 'placeOfBirthCommuneCode', offset: 0, limit: 200 });

    const bar = page.locator('.bulk-bar');
    await bar.locator('button', { hasText: 'Chọn cả 1.500 xung đột khớp bộ lọc' }).click();
    await bar.locator('button', { hasText: 'Giữ bên quốc gia ở các trường xung đột, cho các mục đã chọn' }).click();
    const dialog = page.locator('dialog[aria-labelledby="bulk-take-title"]');
    await dialog.locator('h2', { hasText: 'Giữ bên quốc gia cho 1.500 xung đột đã chọn?' }).waitFor();
    await dialog.getByRole('button', { name: 'Giữ bên quốc gia', exact: true }).click();
    await page.locator('[role="status"]', { hasText: 'Đã giải quyết 1.500 xung đột; 0 không giải quyết được.' }).waitFor();
    assert.ok(h.agent.sent('conflicts.resolveMatching').slice(-8).every((p) => p.field === 'placeOfBirthCommuneCode'));
    assert.ok(
      h.agent.conflicts.filter((c) => c.id.startsWith('c-two-fields-')).every((c) => c.status === 'open'),
      'nothing of a conflict with another field to decide is settled',
    );

    await switchLanguage(page, 'en');
    await page.getByLabel('The one field in conflict').selectOption({ label: 'Registrar' });
    await page.getByText('Only the conflicts in which this is the one field in conflict are shown').waitFor();
    await page.getByText('No open conflict matches the filter.').waitFor();
    await switchLanguage(page, 'vi');
  });

  test('a page of the take refused midway: what the pages before it settled is said, the dialog stays open with why, and pressing again settles the rest', async () => {
    for (const c of h.agent.conflicts) if (c.id.startsWith('c-commune-')) c.status = 'open';
    const page = await h.open();
    await goTo(page, 'conflicts');
    await page.getByLabel('Bộ dữ liệu').selectOption(BIRTHS);
    await page.getByLabel('Loại xung đột').selectOption('fields');
    const n = matchingBirths().length;
    const bar = page.locator('.bulk-bar');
    await bar.locator('button', { hasText: `Chọn cả ${fmt(n)} xung đột khớp bộ lọc` }).click();
    await bar.locator('button', { hasText: 'Giữ bên quốc gia ở các trường xung đột, cho các mục đã chọn' }).click();
    const dialog = page.locator('dialog[aria-labelledby="bulk-take-title"]');
    await dialog.locator('h2', { hasText: `Giữ bên quốc gia cho ${fmt(n)} xung đột đã chọn?` }).waitFor();
    h.agent.matchingPageRefusal = { code: 'busy', messages: { vi: 'Tác tử đang bận, hãy thử lại.', en: 'The agent is busy, try again.' } };
    try {
      await dialog.getByRole('button', { name: 'Giữ bên quốc gia', exact: true }).click();
      await dialog.getByText('Tác tử đang bận, hãy thử lại.').waitFor();
      await page.locator('[role="status"]', { hasText: 'Đã giải quyết 200 xung đột; 0 không giải quyết được.' }).waitFor();
      assert.equal(matchingBirths().length, n - 200);
    } finally {
      h.agent.matchingPageRefusal = null;
    }
    await dialog.getByRole('button', { name: 'Giữ bên quốc gia', exact: true }).click();
    await page.locator('[role="status"]', { hasText: `Đã giải quyết ${fmt(n - 200)} xung đột; 0 không giải quyết được.` }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(matchingBirths().length, 0);
  });
});

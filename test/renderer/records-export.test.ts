import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Download } from 'playwright-core';
import { EXPORT_CHUNK_BYTES } from '../../sync-engine/src/api/record-export.js';
import { goTo, hasHorizontalScroll, pageErrors, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { BIRTHS } from './support/fake-data.js';
import { answerNextSave, windowSaves } from './support/window-bridge.js';

/** The bytes a download saved. */
async function downloaded(download: Download): Promise<Buffer> {
  const path = await download.path();
  assert.ok(path, `the download failed: ${await download.failure()}`);
  return readFile(path);
}

describe("the Records screen's Excel and CSV export (built renderer, the real admin API in front of the fake agent)", { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    // The real door: its answers carry exports.read's 2 MiB chunks as the service's would.
    h = await startHarness({ door: 'admin-api' });
  });
  after(async () => {
    await h?.close();
  });

  test('"Xuất CSV" exports what the list shows (dataset, search, state) from the keyboard, says where and how many, in either language; at 911×512 too', async () => {
    const page = await h.open();
    await page.setViewportSize({ width: 911, height: 512 });
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    await page.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('nguyen thi');
    await page.getByLabel('Trạng thái').selectOption('synced');
    const count = page.locator('main p.muted', { hasText: 'bản ghi khớp với “nguyen thi”' });
    await count.waitFor();
    const shown = Number((await count.innerText()).split(' ')[0]!.replace(/\./g, ''));
    assert.ok(shown > 0, await count.innerText());

    const button = page.getByRole('button', { name: 'Xuất CSV' });
    assert.equal(await button.getAttribute('aria-describedby'), 'export-csv-about export-csv-outcome');
    assert.match(await page.locator('#export-csv-about').innerText(), /Xuất các bản ghi danh sách đang hiện/);
    const outcome = page.locator('#export-csv-outcome');
    assert.equal(await outcome.getAttribute('role'), 'status', 'read out by a screen reader when it changes');

    const release = h.agent.hold('records.export');
    try {
      await button.focus();
      await page.keyboard.press('Enter');
      await outcome.locator('text=Đang xuất tệp CSV…').waitFor();
      assert.equal(await button.getAttribute('aria-disabled'), 'true', 'one press, one file');
    } finally {
      release();
    }
    const done = outcome.locator('.notice-ok');
    await done.waitFor();
    await done.locator('text=Tệp đã được chuyển về máy này').waitFor();
    assert.match(await done.innerText(), new RegExp(`^Đã xuất ${shown.toLocaleString('vi-VN')} bản ghi vào tệp ${BIRTHS}-\\d{8}T\\d{6}Z\\.csv\\.\\n`));
    assert.match(await done.locator('.saved-path').innerText(), /^C:.*\\exports\\/, "the agent's own copy, for local IT");
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Xuất CSV', 'the focus stays on the button');
    assert.equal(await button.getAttribute('aria-disabled'), null);
    assert.deepEqual(h.agent.sent('records.export').at(-1), { dataset: BIRTHS, lang: 'vi', search: 'nguyen thi', state: 'synced', stateColumn: true, format: 'csv' }, 'the list\'s filter; no path');
    assert.equal(await hasHorizontalScroll(page), false);
    const box = (await button.boundingBox())!;
    assert.ok(box.x + box.width <= 911, `the button ends at ${box.x + box.width} px`);
    assert.deepEqual(await seriousViolations(page), []);

    await switchLanguage(page, 'en');
    await goTo(page, 'records');
    await page.locator('text=100,000 records.').waitFor();
    const english = page.getByRole('button', { name: 'Export CSV' });
    await english.focus();
    await page.keyboard.press('Space');
    await page.locator('#export-csv-outcome .notice-ok p', { hasText: /^Exported 100,000 records to the file civil-status-births-.*\.csv\.$/ }).waitFor();
    await page.locator('#export-csv-outcome', { hasText: 'The file was sent to this computer' }).waitFor();
    assert.deepEqual(h.agent.sent('records.export').at(-1), { dataset: BIRTHS, lang: 'en', stateColumn: true, format: 'csv' });
    assert.equal(await hasHorizontalScroll(page), false);
    assert.ok((await english.boundingBox())!.x + (await english.boundingBox())!.width <= 911);
    assert.deepEqual(pageErrors(page), []);
  });

  test('"Xuất Excel", before "Xuất CSV" in the toolbar, exports what the list shows as an .xlsx workbook: the same filter with format xlsx, one download named as the export with its exact bytes; "Export Excel" in English', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    await page.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('nguyen thi');
    await page.locator('main p.muted', { hasText: 'bản ghi khớp với “nguyen thi”' }).waitFor();
    const excel = page.getByRole('button', { name: 'Xuất Excel' });
    const labels = await page.locator('main button').allInnerTexts();
    assert.ok(labels.indexOf('Xuất Excel') >= 0 && labels.indexOf('Xuất Excel') === labels.indexOf('Xuất CSV') - 1, labels.join(' | '));
    assert.equal(await excel.getAttribute('aria-describedby'), 'export-xlsx-about export-csv-outcome');
    assert.match(await page.locator('#export-xlsx-about').innerText(), /tệp Excel \(\.xlsx\) giữ nguyên các số 0 ở đầu/);

    const outcome = page.locator('#export-csv-outcome');
    const release = h.agent.hold('records.export');
    const download = page.waitForEvent('download');
    try {
      await excel.focus();
      await page.keyboard.press('Enter');
      await outcome.locator('text=Đang xuất tệp Excel…').waitFor();
    } finally {
      release();
    }
    const file = await download;
    const made = [...h.agent.exports.files.keys()].at(-1)!;
    assert.match(made, new RegExp(`^${BIRTHS}-\\d{8}T\\d{6}Z\\.xlsx$`));
    assert.equal(file.suggestedFilename(), made);
    assert.ok((await downloaded(file)).equals(h.agent.exports.files.get(made)!), "the agent's workbook, byte for byte");
    assert.deepEqual(h.agent.sent('records.export').at(-1), { dataset: BIRTHS, lang: 'vi', search: 'nguyen thi', stateColumn: true, format: 'xlsx' });
    await outcome.locator('.notice-ok p', { hasText: /^Đã xuất [\d.]+ bản ghi vào tệp .*\.xlsx\.$/ }).waitFor();
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Xuất Excel', 'the focus stays on the button');
    assert.deepEqual(await seriousViolations(page), []);

    await switchLanguage(page, 'en');
    await goTo(page, 'records');
    await page.locator('text=100,000 records.').waitFor();
    const english = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export Excel' }).click();
    assert.match((await english).suggestedFilename(), /\.xlsx$/);
    assert.deepEqual(h.agent.sent('records.export').at(-1), { dataset: BIRTHS, lang: 'en', stateColumn: true, format: 'xlsx' });
    assert.deepEqual(pageErrors(page), []);
  });

  test('the exported file reaches this computer: one download named as the export, with its exact bytes; progress for a large file; a failed transfer said in words and "Lưu tệp về máy…" from the keyboard gets it', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    const outcome = page.locator('#export-csv-outcome');
    const exportButton = page.getByRole('button', { name: 'Xuất CSV' });

    // The whole list: a file of several chunks; the ones after the first wait until the test has seen the progress.
    let releaseLater = (): void => undefined;
    const later = new Promise<void>((resolve) => (releaseLater = resolve));
    h.agent.exports.beforeRead = (offset) => (offset > 0 ? later : undefined);
    const readsBefore = h.agent.sent('exports.read').length;
    const first = page.waitForEvent('download');
    try {
      await exportButton.focus();
      await page.keyboard.press('Enter');
      const progress = outcome.locator('text=/^Đang chuẩn bị tệp… \\d+%$/');
      await progress.waitFor();
      const made = [...h.agent.exports.files.keys()].at(-1)!;
      const file = h.agent.exports.files.get(made)!;
      assert.ok(file.length > 2 * EXPORT_CHUNK_BYTES, `a file of ${file.length} bytes: three chunks`);
      // The first chunk came; the others wait.
      await outcome.getByText(`Đang chuẩn bị tệp… ${Math.floor((EXPORT_CHUNK_BYTES / file.length) * 100)}%`, { exact: true }).waitFor();
      assert.equal(await exportButton.getAttribute('aria-disabled'), 'true', 'no second export while the file comes');
      assert.equal(await page.getByRole('button', { name: 'Lưu tệp về máy…' }).getAttribute('aria-disabled'), 'true');
      releaseLater();
      const download = await first;
      assert.equal(download.suggestedFilename(), made);
      assert.ok((await downloaded(download)).equals(file), "the download is the agent's file, byte for byte");
      assert.deepEqual(
        h.agent.sent('exports.read').slice(readsBefore).map((r) => r.offset),
        [0, EXPORT_CHUNK_BYTES, 2 * EXPORT_CHUNK_BYTES],
        'a chunk at a time, in order',
      );
      await outcome.locator('text=Tệp đã được chuyển về máy này').waitFor();
      assert.equal(await page.evaluate('document.activeElement.textContent'), 'Xuất CSV', 'the focus stays on the button');
    } finally {
      releaseLater();
      h.agent.exports.beforeRead = null;
    }

    // The transfer fails (the export pruned meanwhile): said in words, and the button gets the file once it is there again.
    const name = [...h.agent.exports.files.keys()].at(-1)!;
    h.agent.exports.readFailure = { code: 'not_found', messages: { vi: `Không còn tệp xuất "${name}".`, en: `There is no export "${name}" any more.` } };
    const save = page.getByRole('button', { name: 'Lưu tệp về máy…' });
    assert.equal(await save.getAttribute('aria-describedby'), 'export-csv-save-about');
    await save.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: `Không còn tệp xuất "${name}".` }).waitFor();
    await outcome.locator('text=Chưa lưu được tệp về máy này. Bấm “Lưu tệp về máy…” để thử lại.').waitFor();
    assert.deepEqual(await seriousViolations(page), []);

    h.agent.exports.readFailure = null;
    const again = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    const download = await again;
    assert.equal(download.suggestedFilename(), name);
    assert.ok((await downloaded(download)).equals(h.agent.exports.files.get(name)!));
    await outcome.locator('text=Tệp đã được chuyển về máy này').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'the failure is gone');

    await switchLanguage(page, 'en');
    await goTo(page, 'records');
    await page.locator('text=100,000 records.').waitFor();
    const english = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    assert.match((await english).suggestedFilename(), new RegExp(`^${BIRTHS}-\\d{8}T\\d{6}Z(-\\d+)?\\.csv$`));
    await outcome.locator('text=The file was sent to this computer').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save file…' }).count(), 1);
    assert.deepEqual(pageErrors(page), []);
  });

  test("in the Electron window the file goes through the preload's saveFile (main's Save dialog) with the export's name and bytes, not a download; where it went, a cancel, a failure said in words", async () => {
    const page = await h.open('vi', { asWindow: true });
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await goTo(page, 'records');
    await page.locator('text=100.000 bản ghi.').waitFor();
    await page.getByRole('searchbox', { name: 'Tìm kiếm' }).fill('nguyen thi');
    await page.locator('main p.muted', { hasText: 'bản ghi khớp với “nguyen thi”' }).waitFor();
    const outcome = page.locator('#export-csv-outcome');

    await page.getByRole('button', { name: 'Xuất CSV' }).click();
    const saved = outcome.locator('.saved-file');
    await saved.waitFor();
    const made = [...h.agent.exports.files.keys()].at(-1)!;
    assert.deepEqual(await windowSaves(page), [{ args: 2, name: made, bytes: h.agent.exports.files.get(made)! }], "exactly (name, bytes): the agent's file, byte for byte");
    assert.equal(await saved.innerText(), `Đã lưu tệp vào C:\\Users\\lan\\Downloads\\${made}`);
    assert.equal(await saved.locator('code.saved-path').innerText(), `C:\\Users\\lan\\Downloads\\${made}`);
    assert.equal(await outcome.locator('text=Tệp đã được chuyển về máy này').count(), 0, "the browser's words are not the window's");

    // The person closes the Save dialog: not an error; "Lưu tệp về máy…" asks again.
    await answerNextSave(page, { saved: false });
    const save = page.getByRole('button', { name: 'Lưu tệp về máy…' });
    await save.click();
    await outcome.locator('text=Tệp chưa được lưu: hộp thoại chọn nơi lưu đã đóng.').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'a cancel is not an error');

    // main could not write it: its words, in the window's language.
    const error = { code: 'internal', messages: { vi: 'Không ghi được tệp vào D:\\x.csv: ổ đĩa đã đầy.', en: 'Could not write the file to D:\\x.csv: the disk is full.' } };
    await answerNextSave(page, { saved: false, error });
    await save.click();
    await page.getByRole('alert').filter({ hasText: 'Không ghi được tệp vào D:\\x.csv: ổ đĩa đã đầy.' }).waitFor();
    await outcome.locator('text=Chưa lưu được tệp về máy này. Bấm “Lưu tệp về máy…” để thử lại.').waitFor();
    assert.deepEqual(await seriousViolations(page), []);

    await switchLanguage(page, 'en');
    await answerNextSave(page, { saved: false, error });
    await goTo(page, 'records');
    await page.locator('text=100,000 records.').waitFor();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not write the file to D:\\x.csv: the disk is full.' }).waitFor();
    await page.getByRole('button', { name: 'Save file…' }).click();
    await outcome.locator('.saved-file', { hasText: /^Saved to C:\\Users\\lan\\Downloads\\civil-status-births-.*\.csv$/ }).waitFor();
    assert.equal((await windowSaves(page)).length, 5);
    assert.deepEqual(downloads, [], "no browser download in the window");
    assert.deepEqual(pageErrors(page), []);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Request } from 'playwright-core';
import { goTo, hasHorizontalScroll, pageErrors, seriousViolations, startHarness, TEST_PERSON } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { answerNextSave, windowSaves } from './support/window-bridge.js';
import { BIRTHS } from './support/fake-data.js';
import { excelSerial, XlsxSheetWriter, type XlsxCell } from '../../sync-engine/src/export/xlsx-writer.js';

const FILE = 'so-khai-sinh.csv';
const COLUMNS = ['registrationNumber', 'fullName', 'gender', 'birthDate', 'placeOfBirthCommuneCode', 'personalId', 'fatherName', 'motherName', 'registrationDate', 'registrar', 'provinceCode', 'communeCode'];

/** The x-edge-agent-user header of each records.import the page sent, with its dryRun. */
function watchImports(page: Page): Array<{ dryRun: boolean; user: string | undefined }> {
  const seen: Array<{ dryRun: boolean; user: string | undefined }> = [];
  page.on('request', (request: Request) => {
    if (!request.url().endsWith('/api/commands/records.import')) return;
    const body = JSON.parse(request.postData() ?? '{}') as { dryRun?: boolean };
    seen.push({ dryRun: body.dryRun === true, user: request.headers()['x-edge-agent-user'] });
  });
  return seen;
}

describe("the Records screen's import from Excel or CSV (built renderer against the fake admin API)", { timeout: 600_000 }, () => {
  let h: Harness;
  let csv: string;
  /** Another file of the same shape, for a test after the first imported its new rows. */
  let build: (first: number) => string;
  /** A new birth no record holds (from the fake's record `index`, numbered `n`). */
  let fresh: (index: number, n: number) => Record<string, unknown>;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
    // Two new births (generated ones with personal ID numbers no record holds), one already here, two refused.
    const births = h.agent.records.get(BIRTHS)!;
    const held = new Set(births.map((r) => String(r.data!.personalId)));
    fresh = (index: number, n: number) => {
      const data = { ...births[index]!.data! };
      let id = String(data.personalId);
      for (let k = n; held.has(id); k += 1) id = `${id.slice(0, 6)}${String(900_000 + k)}`;
      held.add(id);
      return { ...data, personalId: id, registrationNumber: `KS-NHAP-${n}` };
    };
    const row = (data: Record<string, unknown>) => COLUMNS.map((c) => String(data[c] ?? '')).join(',');
    build = (first) =>
      [
        COLUMNS.join(','),
        row(fresh(3, first)),
        row(fresh(4, first + 1)),
        row(births[5]!.data!),
        row({ ...fresh(6, first + 2), birthDate: '31/02/2020' }),
        row({ ...fresh(8, first + 3), personalId: '12345' }),
      ].join('\r\n');
    csv = build(1);
  });
  after(async () => {
    await h?.close();
  });

  const importsWritten = () => h.agent.sent('records.import').filter((s) => !s.dryRun).length;
  const refusalRows = (page: Page) =>
    page.locator('table.import-refusals tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));

  test('"Nhập từ tệp Excel/CSV" from the keyboard: a check that writes nothing (counts, refused rows by line and column), then "Nhập 2 bản ghi" under the person\'s name with the file as the source; the refused rows saved as a file; at 911×512', async () => {
    const page = await h.open();
    await page.setViewportSize({ width: 911, height: 512 });
    const sent = watchImports(page);
    await goTo(page, 'records');
    await page.locator('text=2.000 bản ghi.').waitFor();

    const button = page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' });
    assert.match(await page.locator('#import-csv-about').innerText(), /kiểm tra trước, chưa ghi gì/);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.press('Enter')]);
    assert.equal(chooser.isMultiple(), false);
    await chooser.setFiles({ name: FILE, mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`, 'utf8') });

    await page.getByRole('heading', { name: /Nhập từ tệp Excel\/CSV vào/ }).waitFor();
    const outcome = page.locator('.import-outcome');
    await outcome.locator('text=Kiểm tra xong, chưa ghi gì. Tệp có 5 dòng dữ liệu:').waitFor();
    assert.deepEqual(await outcome.locator('.import-counts li').allInnerTexts(), [
      '2 bản ghi sẽ được nhập;',
      '1 bản ghi đã có trên máy này, sẽ bỏ qua;',
      '2 dòng bị từ chối, sẽ không được nhập.',
    ]);
    assert.match(await outcome.locator('.import-next').innerText(), /^Bấm “Nhập 2 bản ghi” để nhập các dòng hợp lệ/);
    assert.equal(await page.evaluate('document.activeElement.className'), 'import-outcome', 'the check\'s outcome takes the focus, to be read out');
    const rows = await refusalRows(page);
    assert.deepEqual(
      rows.map(([line, column]) => [line, column]),
      [
        ['5', 'birthDate'],
        ['6', 'personalId'],
      ],
    );
    assert.match(rows[0]![2]!, /“31\/02\/2020” không phải một ngày có thật/);
    assert.deepEqual(await page.locator('table.import-refusals thead th').allInnerTexts(), ['Dòng', 'Cột', 'Lý do']);
    assert.equal(importsWritten(), 0, 'the check wrote nothing');
    assert.deepEqual(h.agent.sent('records.import').at(-1), { dataset: BIRTHS, csv, source: FILE, dryRun: true }, 'the file as text (its BOM dropped), named as the source');
    assert.equal(await page.getByRole('button', { name: 'Lưu các dòng bị từ chối' }).count(), 0, 'nothing to save before the import');
    assert.equal(await hasHorizontalScroll(page), false);
    assert.deepEqual(await seriousViolations(page), []);

    const confirm = page.getByRole('button', { name: 'Nhập 2 bản ghi' });
    await confirm.focus();
    await page.keyboard.press('Enter');
    await outcome.locator('text=Đã nhập xong tệp có 5 dòng dữ liệu:').waitFor();
    assert.deepEqual(await outcome.locator('.import-counts li').allInnerTexts(), ['đã nhập 2 bản ghi;', '1 bản ghi đã có trên máy này, đã bỏ qua;', '2 dòng bị từ chối, chưa được nhập.']);
    assert.equal(await page.evaluate('document.activeElement.className'), 'import-outcome', 'the result takes the focus');
    assert.deepEqual(h.agent.sent('records.import').at(-1), { dataset: BIRTHS, csv, source: FILE, dryRun: false });
    assert.deepEqual(sent, [
      { dryRun: true, user: encodeURIComponent(TEST_PERSON) },
      { dryRun: false, user: encodeURIComponent(TEST_PERSON) },
    ], 'both under the person\'s name, as the audit log records it');
    assert.equal(await confirm.count(), 0, 'one import per check');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lưu các dòng bị từ chối' }).click()]);
    assert.equal(download.suggestedFilename(), 'so-khai-sinh.refused.csv');
    const saved = await (await download.createReadStream()).toArray();
    const lines = csv.split('\r\n');
    assert.equal(Buffer.concat(saved).toString('utf8'), `\uFEFF${lines[0]}\r\n${lines[4]}\r\n${lines[5]}\r\n`);
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByRole('button', { name: 'Quay lại danh sách' }).click();
    await page.locator('text=2.002 bản ghi.').waitFor();
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Nhập từ tệp Excel/CSV', 'back where the import started');
    assert.deepEqual(pageErrors(page), []);
  });

  test('in English: the check in English; Cancel imports nothing and goes back to the button', async () => {
    const page = await h.open('en');
    await goTo(page, 'records');
    await page.locator('main p.muted', { hasText: / records\.$/ }).waitFor();
    const total = h.agent.records.get(BIRTHS)!.length;
    const written = importsWritten();
    await page.getByRole('button', { name: 'Import from Excel/CSV' }).waitFor();
    await page.locator('input[type="file"]').setInputFiles({ name: FILE, mimeType: 'text/csv', buffer: Buffer.from(build(11), 'utf8') });
    const outcome = page.locator('.import-outcome');
    await outcome.locator('text=Checked, nothing written yet. The file has 5 data rows:').waitFor();
    assert.deepEqual(await outcome.locator('.import-counts li').allInnerTexts(), [
      '2 records would be imported;',
      '1 record is already on this computer and would be skipped;',
      '2 rows are refused and would not be imported.',
    ]);
    assert.deepEqual(await page.locator('table.import-refusals thead th').allInnerTexts(), ['Line', 'Column', 'Reason']);
    const rows = await refusalRows(page);
    assert.match(rows[0]![2]!, /“31\/02\/2020” is not a real date/);

    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator(`text=${total.toLocaleString('en-GB')} records.`).waitFor();
    assert.equal(importsWritten(), written, 'Cancel wrote nothing');
    assert.equal(h.agent.records.get(BIRTHS)!.length, total);
    assert.equal(await page.evaluate('document.activeElement.textContent'), 'Import from Excel/CSV');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(pageErrors(page), []);
  });

  test('an Excel workbook (.xlsx) goes as base64 of its bytes: a date cell read as a date, refused rows by the sheet\'s row number, an ID Excel kept as a number refused with how to keep the column as Text; the refused rows saved as FILE.refused.csv', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' }).waitFor();
    const accept = (await page.locator('input[type="file"]').getAttribute('accept'))!.split(',');
    assert.ok(accept.includes('.xlsx'), accept.join(','));
    // An .xls is offered too, so the clerk picks it and is told how to save it again (not a greyed-out file).
    assert.ok(accept.includes('.xls') && accept.includes('application/vnd.ms-excel'), accept.join(','));
    const rows = [fresh(10, 30), fresh(11, 31), fresh(12, 32)];
    const cells = rows.map((data) =>
      COLUMNS.map((c): XlsxCell => {
        const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(data[c] ?? ''));
        return m ? { kind: 'date', serial: excelSerial(Number(m[1]), Number(m[2]), Number(m[3]))! } : { kind: 'text', text: String(data[c] ?? '') };
      }),
    );
    assert.ok(String(rows[1]!['personalId']).startsWith('0'));
    // Typed into a General column, Excel kept the second ID as a number: its leading zero gone.
    cells[1]![COLUMNS.indexOf('personalId')] = { kind: 'number', value: Number(rows[1]!['personalId']) };
    const parts: Uint8Array[] = [];
    const sheet = new XlsxSheetWriter(COLUMNS.map((title) => ({ title, kind: 'text' as const, width: 12 })), 'Sheet1', (b) => void parts.push(b));
    await sheet.addRows([cells[0]!, COLUMNS.map(() => null), cells[1]!, cells[2]!]);
    await sheet.finish();
    const workbook = Buffer.concat(parts);

    await page.locator('input[type="file"]').setInputFiles({ name: 'so-khai-sinh.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: workbook });
    await page.getByRole('heading', { name: /Nhập từ tệp Excel\/CSV vào/ }).waitFor();
    const outcome = page.locator('.import-outcome');
    await outcome.locator('text=Kiểm tra xong, chưa ghi gì. Tệp có 3 dòng dữ liệu:').waitFor();
    assert.deepEqual(h.agent.sent('records.import').at(-1), { dataset: BIRTHS, xlsx: workbook.toString('base64'), source: 'so-khai-sinh.xlsx', dryRun: true }, 'the bytes as base64, not text');
    const refused = await refusalRows(page);
    assert.deepEqual(refused.map(([line, column]) => [line, column]), [['4', 'personalId']], 'the sheet\'s row: the header row 1, a blank row 3');
    assert.match(refused[0]![2]!, /định dạng cột là Văn bản \(Text\), nhập lại các mã rồi lưu lại tệp Excel\./);

    await page.getByRole('button', { name: 'Nhập 2 bản ghi' }).click();
    await outcome.locator('text=Đã nhập xong tệp có 3 dòng dữ liệu:').waitFor();
    const held = h.agent.records.get(BIRTHS)!.map((r) => r.data);
    for (const i of [0, 2]) assert.equal(held.find((d) => d?.personalId === rows[i]!['personalId'])?.birthDate, rows[i]!['birthDate'], 'a date cell stored as its date');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lưu các dòng bị từ chối' }).click()]);
    assert.equal(download.suggestedFilename(), 'so-khai-sinh.refused.csv');
    const saved = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
    assert.ok(saved.startsWith(`\uFEFF${COLUMNS.join(',')}\r\n`), saved.slice(0, 80));
    assert.ok(saved.includes(`,${Number(rows[1]!['personalId'])},`), saved);
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(pageErrors(page), []);
  });

  test('a file that is not UTF-8 is refused in words before anything is sent; a header the dataset does not know, with the agent\'s own refusal', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' }).waitFor();
    const calls = h.agent.sent('records.import').length;
    // "Hồ" in Windows-1258, as Excel's plain "CSV" would save it.
    await page.locator('input[type="file"]').setInputFiles({ name: 'cp1258.csv', mimeType: 'text/csv', buffer: Buffer.from([0x48, 0xd4, 0xd2, 0x2c, 0x41, 0x0d, 0x0a]) });
    await page.locator('.import-outcome [role="alert"]', { hasText: 'Tệp cp1258.csv không phải văn bản UTF-8' }).waitFor();
    assert.equal(h.agent.sent('records.import').length, calls, 'nothing sent');
    assert.equal(await page.getByRole('button', { name: /^Nhập \d+ bản ghi$/ }).count(), 0);
    await page.getByRole('button', { name: 'Quay lại danh sách' }).click();

    await page.locator('input[type="file"]').setInputFiles({ name: 'khac.csv', mimeType: 'text/csv', buffer: Buffer.from('Mã hồ sơ,Ghi chú\r\n1,2\r\n', 'utf8') });
    await page.locator('.import-outcome [role="alert"]', { hasText: /^Chưa nhập gì: dòng tiêu đề của tệp không khớp với bộ dữ liệu/ }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Nhập \d+ bản ghi$/ }).count(), 0);
    assert.deepEqual(await seriousViolations(page), []);
  });

  test('an Excel 97–2003 file (.xls), or a workbook with a password, is refused in words before anything is sent, whatever its size (not told to split it); in English too', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' }).waitFor();
    const calls = h.agent.sent('records.import').length;
    // An OLE compound file, as Excel 97–2003 saves, larger than the 16 MiB a workbook may be.
    const ole = Buffer.alloc(16 * 1024 * 1024 + 16);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    await page.locator('input[type="file"]').setInputFiles({ name: 'so-khai-sinh-2019.xls', mimeType: 'application/vnd.ms-excel', buffer: ole });
    const refusal = page.locator('.import-outcome [role="alert"]');
    await refusal.waitFor();
    assert.equal(
      await refusal.textContent(),
      'Tệp so-khai-sinh-2019.xls là bảng tính Excel 97–2003 (.xls) hoặc sổ làm việc có đặt mật khẩu, tác tử không đọc được. Trong Excel, hãy bỏ mật khẩu nếu có, rồi chọn Lưu thành (Save As) kiểu "Sổ làm việc Excel (.xlsx)" hoặc "CSV UTF-8" và nhập lại.',
    );
    assert.equal(h.agent.sent('records.import').length, calls, 'nothing sent');
    await page.getByRole('button', { name: 'Quay lại danh sách' }).click();

    // Excel encrypts a workbook with a password into the same kind of file, still named .xlsx.
    const en = await h.open('en');
    await goTo(en, 'records');
    await en.getByRole('button', { name: 'Import from Excel/CSV' }).waitFor();
    await en.locator('input[type="file"]').setInputFiles({ name: 'locked.xlsx', mimeType: 'application/octet-stream', buffer: ole.subarray(0, 4096) });
    await en.locator('.import-outcome [role="alert"]', { hasText: /^The file locked\.xlsx is an Excel 97–2003 workbook \(\.xls\) or a workbook with a password, which the agent cannot read\./ }).waitFor();
    assert.equal(h.agent.sent('records.import').length, calls, 'nothing sent');
    assert.deepEqual(await seriousViolations(en), []);
  });

  test('in the web console with no name given, the check is sent at once (it writes nothing and records no one); the import itself asks who acts first', async () => {
    const page = await h.open('vi', { actingAs: null });
    const sent = watchImports(page);
    await goTo(page, 'records');
    await page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' }).waitFor();
    await page.locator('input[type="file"]').setInputFiles({ name: FILE, mimeType: 'text/csv', buffer: Buffer.from(build(31), 'utf8') });
    await page.locator('.import-outcome', { hasText: 'Kiểm tra xong, chưa ghi gì.' }).waitFor();
    assert.equal(await page.locator('dialog.name-dialog').count(), 0, 'the check asks for no name');
    assert.deepEqual(sent, [{ dryRun: true, user: undefined }]);

    await page.getByRole('button', { name: 'Nhập 2 bản ghi' }).click();
    await page.getByRole('dialog', { name: 'Ai đang thao tác?' }).waitFor();
    await page.locator('#acting-as-input').fill('Trần Văn Bình');
    await page.keyboard.press('Enter');
    await page.locator('.import-outcome', { hasText: 'đã nhập 2 bản ghi;' }).waitFor();
    assert.deepEqual(sent, [
      { dryRun: true, user: undefined },
      { dryRun: false, user: encodeURIComponent('Trần Văn Bình') },
    ]);
    await page.close();
  });

  test("in the Electron window the refused rows go through the preload's saveFile (main's Save dialog) with their name and bytes, not a download; where they went, or why not", async () => {
    const page = await h.open('vi', { asWindow: true });
    const downloads: string[] = [];
    page.on('download', (d) => downloads.push(d.suggestedFilename()));
    await goTo(page, 'records');
    await page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' }).waitFor();
    const file = build(21);
    await page.locator('input[type="file"]').setInputFiles({ name: FILE, mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
    await page.getByRole('button', { name: 'Nhập 2 bản ghi' }).click();
    await page.locator('.import-outcome', { hasText: 'đã nhập 2 bản ghi;' }).waitFor();
    await page.locator('text=Hoặc sửa các dòng bị từ chối ngay trong tệp gốc rồi nhập lại cả tệp').waitFor();
    assert.equal((await refusalRows(page)).length, 2, 'the refused rows stay in the table');

    const save = page.getByRole('button', { name: 'Lưu các dòng bị từ chối' });
    await save.click();
    const saved = page.locator('.import-refused-file .saved-file');
    await saved.waitFor();
    const lines = file.split('\r\n');
    assert.deepEqual(await windowSaves(page), [
      { args: 2, name: FILE.replace(/\.csv$/, '.refused.csv'), bytes: Buffer.from(`\uFEFF${lines[0]}\r\n${lines[4]}\r\n${lines[5]}\r\n`, 'utf8') },
    ]);
    assert.equal(await saved.innerText(), `Đã lưu tệp vào C:\\Users\\lan\\Downloads\\${FILE.replace(/\.csv$/, '.refused.csv')}`);

    await answerNextSave(page, { saved: false });
    await save.click();
    await page.locator('.import-refused-file', { hasText: 'Tệp chưa được lưu: hộp thoại chọn nơi lưu đã đóng.' }).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0, 'a cancel is not an error');

    await answerNextSave(page, { saved: false, error: { code: 'internal', messages: { vi: 'Không ghi được tệp vào E:\\: ổ đĩa đã đầy.', en: 'Could not write the file to E:\\: the disk is full.' } } });
    await save.click();
    await page.getByRole('alert').filter({ hasText: 'Không ghi được tệp vào E:\\: ổ đĩa đã đầy.' }).waitFor();
    // An answer that makes no sense: words of the window's own.
    await answerNextSave(page, { saved: 'perhaps' });
    await save.click();
    await page.getByRole('alert').filter({ hasText: 'Không lưu được tệp. Hãy thử lại.' }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(downloads, [], 'no browser download in the window');
    assert.deepEqual(pageErrors(page), []);
  });

  test('a read-only dataset (admin units) has no import; its export stays', async () => {
    const page = await h.open();
    await goTo(page, 'records');
    await page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' }).waitFor();
    await page.getByLabel('Bộ dữ liệu').selectOption('admin-units');
    await page.locator('text=Bộ dữ liệu này chỉ để tra cứu.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Nhập từ tệp Excel/CSV' }).count(), 0);
    assert.equal(await page.locator('input[type="file"]').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Xuất CSV' }).count(), 1);
  });
});

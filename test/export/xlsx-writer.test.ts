import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { readSheet } from 'read-excel-file/node';
import { MAX_CELL_CHARS, sheetName, XlsxSheetWriter, type XlsxCell } from '../../sync-engine/src/export/xlsx-writer.js';

async function workbook(rows: XlsxCell[][]): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const sheet = new XlsxSheetWriter([{ title: 'Ghi chú', kind: 'wrapText', width: 40 }], 'Sổ', (bytes) => void parts.push(bytes));
  await sheet.addRows(rows);
  await sheet.finish();
  return Buffer.concat(parts);
}

test("a text longer than an Excel cell holds (32,767 characters) is cut there, ending with '…', never inside a surrogate pair: a file Excel opens without repairing it", async () => {
  const long = 'Nguyễn Văn A. '.repeat(3_000);
  // An emoji's two code units straddle the cut: the pair is left out whole.
  const straddling = `${'x'.repeat(MAX_CELL_CHARS - 2)}😀${'y'.repeat(10)}`;
  const exact = 'z'.repeat(MAX_CELL_CHARS);
  const bytes = await workbook([[{ kind: 'text', text: long }], [{ kind: 'text', text: straddling }], [{ kind: 'text', text: exact }]]);
  const sheetXml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!);
  assert.equal(/[\ud800-\udbff](?![\udc00-\udfff])/.test(sheetXml), false, 'no lone surrogate');
  const [, first, second, third] = await readSheet(bytes);
  const cut = first![0] as string;
  assert.equal(cut.length, MAX_CELL_CHARS);
  assert.ok(cut.endsWith('…'));
  assert.ok(cut.slice(0, -1) === long.slice(0, MAX_CELL_CHARS - 1), 'the text up to the cut');
  assert.ok(second![0] === `${'x'.repeat(MAX_CELL_CHARS - 2)}…`, 'the emoji left out whole');
  assert.ok(third![0] === exact, 'a text of exactly the limit is kept whole');
});

test('a sheet name Excel refuses, "History" in any case (its change tracking keeps it), is another: "History (1)"; other names as they are', () => {
  assert.equal(sheetName('History', 'x'), 'History (1)');
  assert.equal(sheetName(' hiSTORY ', 'x'), 'hiSTORY (1)');
  assert.equal(sheetName('', 'history'), 'history (1)', 'the fallback too');
  assert.equal(sheetName('History of births', 'x'), 'History of births');
  assert.equal(sheetName('Khai sinh', 'x'), 'Khai sinh');
});

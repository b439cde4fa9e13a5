import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { XlsxSheetWriter } from '../../sync-engine/src/export/xlsx-writer.js';
import { readXlsx } from '../../sync-engine/src/import/xlsx-table.js';
import { CellError } from '../../sync-engine/src/import/xlsx-workbook.js';

/** A workbook as Excel itself writes one: shared strings, styles, sparse cells; `sheet1` the first sheet's <sheetData>. */
function excelWorkbook(sheet1: string, options: { date1904?: boolean; extraSheet?: boolean; states?: [string, string] } = {}): Uint8Array {
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
  const state = (i: number) => (options.states ? ` state="${options.states[i]}"` : '');
  const sheet = (data: string) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet ${ns}><sheetData>${data}</sheetData></worksheet>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    '_rels/.rels': strToU8(`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rel('rId1', 'officeDocument', 'xl/workbook.xml')}</Relationships>`),
    'xl/workbook.xml': strToU8(
      `<?xml version="1.0"?><workbook ${ns}><workbookPr${options.date1904 ? ' date1904="1"' : ''}/><sheets>` +
        `${options.extraSheet ? `<sheet name="Ghi chú" sheetId="2"${state(0)} r:id="rId9"/>` : ''}<sheet name="Sổ 2025" sheetId="1"${state(1)} r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `${rel('rId1', 'worksheet', 'worksheets/sheet1.xml')}${rel('rId9', 'worksheet', '/xl/worksheets/sheet2.xml')}${rel('rId3', 'styles', 'styles.xml')}${rel('rId4', 'sharedStrings', 'sharedStrings.xml')}</Relationships>`,
    ),
    // Style 0 General, 1 the built-in date 14, 2 a custom dd/mm/yyyy, 3 a custom number with text in quotes, 4 Text (@).
    'xl/styles.xml': strToU8(
      `<?xml version="1.0"?><styleSheet ${ns}><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/><numFmt numFmtId="165" formatCode="#,##0&quot; đ&quot;"/></numFmts>` +
        `<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>` +
        `<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="49"/></cellXfs></styleSheet>`,
    ),
    'xl/sharedStrings.xml': strToU8(
      `<?xml version="1.0"?><sst ${ns} count="5" uniqueCount="5"><si><t>Họ và tên</t></si><si><t>Ngày sinh</t></si><si><t>Ghi chú</t></si>` +
        `<si><r><rPr><b/></rPr><t>Nguyễn </t></r><r><t xml:space="preserve">Văn &amp; An </t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si><si><t>001190012345</t></si></sst>`,
    ),
    'xl/worksheets/sheet1.xml': strToU8(sheet(sheet1)),
    'xl/worksheets/sheet2.xml': strToU8(sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>khác</t></is></c></row>')),
  });
}

test("a workbook as Excel writes it: shared and rich-text strings (phonetic guides left out), built-in and custom date styles, numbers, TRUE/FALSE, a formula's text result, its error as Excel shows it, sparse cells and rows by their references", async () => {
  const read = await readXlsx(
    excelWorkbook(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>' +
        // A blank row Excel keeps for its formatting.
        '<row r="2"><c r="A2" s="4"/></row>' +
        '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3" s="1"><v>45740</v></c><c r="C3" s="3"><v>1500000</v></c><c r="D3" t="str"><f>A3&amp;"!"</f><v>x &lt; y</v></c></row>' +
        '<row r="5"><c r="A5" s="4" t="s"><v>4</v></c><c r="B5" s="2"><v>45740.6041666667</v></c><c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>',
    ),
  );
  assert.ok(read.ok, JSON.stringify(read));
  const { header, rows } = read.table;
  assert.deepEqual([header.line, header.cells], [1, ['Họ và tên', 'Ngày sinh', '', 'Ghi chú']]);
  assert.deepEqual(
    rows.map((r) => [r.line, r.cells]),
    [
      [3, ['Nguyễn Văn & An ', '24/03/2025', '1500000', 'x < y']],
      [5, ['001190012345', '24/03/2025 14:30', 'TRUE', '#DIV/0!']],
    ],
  );
  assert.deepEqual(rows[1]!.typed!.slice(1, 3), [new Date(Date.UTC(2025, 2, 24, 14, 30)), true], 'a date cell as its date and clock in UTC');
  assert.deepEqual(rows[1]!.typed![3], new CellError('#DIV/0!'), 'an error cell as the error, not an empty cell (the import refuses its row)');
  assert.equal(rows[0]!.raw, 'Nguyễn Văn & An ,24/03/2025,1500000,x < y', 'the row as a CSV line');
});

test('the 1904 date system; --sheet reads another sheet than the first, which is the first the workbook lists', async () => {
  const read = await readXlsx(excelWorkbook('<row r="1"><c r="A1" t="s"><v>1</v></c></row><row r="2"><c r="A2" s="2"><v>44278</v></c></row>', { date1904: true }));
  assert.ok(read.ok);
  assert.deepEqual(read.table.rows[0]!.cells, ['24/03/2025']);
  const first = await readXlsx(excelWorkbook('', { extraSheet: true }));
  assert.ok(first.ok);
  assert.deepEqual(first.table.header.cells, ['khác']);
  const named = await readXlsx(excelWorkbook('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', { extraSheet: true }), 'Sổ 2025');
  assert.ok(named.ok);
  assert.deepEqual(named.table.header.cells, ['Họ và tên']);
});

test('with no --sheet, the first sheet Excel does not hide (hidden or veryHidden: a lookup list first); --sheet may name a hidden one; every sheet hidden is refused in vi/en', async () => {
  const rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>';
  for (const hidden of ['hidden', 'veryHidden']) {
    const read = await readXlsx(excelWorkbook(rows, { extraSheet: true, states: [hidden, 'visible'] }));
    assert.ok(read.ok, JSON.stringify(read));
    assert.deepEqual(read.table.header.cells, ['Họ và tên'], hidden);
  }
  const named = await readXlsx(excelWorkbook(rows, { extraSheet: true, states: ['hidden', 'visible'] }), 'Ghi chú');
  assert.ok(named.ok);
  assert.deepEqual(named.table.header.cells, ['khác']);
  const all = await readXlsx(excelWorkbook(rows, { extraSheet: true, states: ['hidden', 'veryHidden'] }));
  assert.ok(!all.ok);
  assert.equal(all.messages.vi, 'Mọi trang tính của tệp đều đang bị ẩn ("Ghi chú", "Sổ 2025"): trong Excel, hãy bỏ ẩn trang tính cần nhập (nhấp phải vào tên một trang tính, chọn Bỏ ẩn) rồi lưu lại, và nhập lại.');
  assert.match(all.messages.en, /^Every sheet of the workbook is hidden \("Ghi chú", "Sổ 2025"\): in Excel, unhide the sheet/);
  const empty = await readXlsx(excelWorkbook('', { extraSheet: true, states: ['hidden', 'visible'] }));
  assert.ok(!empty.ok);
  assert.match(empty.messages.en, /^The sheet "Sổ 2025" is empty/, 'the sheet read named, not "the first sheet"');
});

test('a workbook whose zip declares less than its sheet unpacks to is stopped while inflating, past 64 MiB, in vi/en', async () => {
  // Whitespace between rows is valid XML: unpacked whole, the sheet would be read as an empty one.
  const honest = excelWorkbook(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>${' '.repeat(65 * 1024 * 1024)}`);
  const lying = declareSize(honest, 'xl/worksheets/sheet1.xml', 4096);
  const read = await readXlsx(lying);
  assert.ok(!read.ok);
  assert.equal(read.messages.vi, 'Chưa nhập gì: tệp Excel giải nén ra hơn 64 MiB. Hãy chia thành nhiều tệp.');
  assert.equal(read.messages.en, 'Nothing was imported: the Excel file unpacks to more than 64 MiB. Split it into several files.');
});

test('a sheet holding more text than the largest CSV (8 million characters) is refused whole, saying up to which row one file holds', async () => {
  const parts: Uint8Array[] = [];
  const writer = new XlsxSheetWriter([{ title: 'Họ và tên', kind: 'text', width: 10 }], 'Sheet1', (bytes) => void parts.push(bytes));
  // The header's 9 characters and 2,000 rows of 4,000: 8,000,009 characters; the first 1,999 rows (sheet rows 2 to 2000) fit.
  await writer.addRows(Array.from({ length: 2_000 }, () => [{ kind: 'text', text: 'A'.repeat(4_000) }]));
  await writer.finish();
  const read = await readXlsx(Buffer.concat(parts));
  assert.ok(!read.ok);
  assert.equal(
    read.messages.vi,
    'Chưa nhập gì: trang tính chứa hơn 8 triệu ký tự, nhiều hơn một lần nhập nhận (như với tệp CSV). Hãy chia thành nhiều tệp: các dòng đến dòng 2000 của trang tính vừa một tệp.',
  );
  assert.equal(
    read.messages.en,
    'Nothing was imported: the sheet holds more than 8 million characters, more than one import takes (as for a CSV). Split it into several files: the rows up to row 2000 of the sheet fit in one.',
  );
});

/** The zip with `name`'s uncompressed size rewritten to `size` in its local header and central directory entry. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = Uint8Array.from(zip);
  const view = new DataView(out.buffer);
  const wanted = Buffer.from(name);
  for (let i = 0; i + 46 < out.length; i += 1) {
    const sig = view.getUint32(i, true);
    const local = sig === 0x04034b50;
    if (!local && sig !== 0x02014b50) continue;
    const [nameAt, lengthAt, sizeAt] = local ? [30, 26, 22] : [46, 28, 24];
    const length = view.getUint16(i + lengthAt, true);
    if (length === wanted.length && Buffer.from(out.subarray(i + nameAt, i + nameAt + length)).equals(wanted)) view.setUint32(i + sizeAt, size, true);
  }
  return out;
}

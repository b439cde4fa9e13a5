import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XlsxSheetWriter, type XlsxCell, type XlsxColumn } from '../../sync-engine/src/export/xlsx-writer.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { fieldTitles } from '../../sync-engine/src/protocol/validation/index.js';
import { enrolledAgent, platformPerSuite, samples } from './support/agent-fixture.js';

const BIRTHS = 'civil-status-births';

/** A register kept in Excel often starts with its title over merged cells, then a blank row, then the columns' names. */
describe('records.import of a register whose header row is not its first row', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('a title and a blank row above the header: refused whole, naming the header\'s row and the rows to delete, in both languages (a CSV and a workbook)', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const fields = Object.keys(datasetByName(BIRTHS)!.schema['properties'] as Record<string, unknown>);
    const titles = fields.map((f) => fieldTitles(datasetByName(BIRTHS)!, f).vi);
    const record = samples(811).sample(BIRTHS, '01') as Record<string, unknown>;
    const values = fields.map((f) => (Array.isArray(record[f]) ? (record[f] as string[]).join('\n') : String(record[f] ?? '')));

    // "SỔ ĐĂNG KÝ KHAI SINH" folds to a column's title (Số đăng ký khai sinh): the refusal must not read it as a header.
    const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
    const csv = ['SỔ ĐĂNG KÝ KHAI SINH,,', '', titles.map(quote).join(','), values.map(quote).join(',')].map((l) => `${l}\r\n`).join('');
    const fromCsv = await agent.call('records.import', { dataset: BIRTHS, csv, source: 'so.csv', dryRun: true });
    assert.equal(fromCsv.ok, false);
    if (fromCsv.ok) return;
    assert.equal(fromCsv.error.code, 'invalid_input');
    assert.match(fromCsv.error.messages.vi, /dòng đầu tiên có chữ của tệp \(dòng 1\) phải là dòng tiêu đề ghi tên các cột, nhưng tên các cột nằm ở dòng 3\. Hãy xóa các dòng phía trên nó \(dòng 1 đến dòng 2: tên sổ, tiêu đề…\)/);
    assert.match(fromCsv.error.messages.en, /the columns are named on line 3\. Delete the rows above it \(lines 1 to 2: a title, a heading…\) in a copy of the file, then import that copy\./);

    const columns: XlsxColumn[] = fields.map((_, i) => ({ title: i === 0 ? 'SỔ ĐĂNG KÝ KHAI SINH' : '', kind: 'text', width: 14 }));
    const parts: Uint8Array[] = [];
    const sheet = new XlsxSheetWriter(columns, 'Sổ 2026', (bytes) => void parts.push(bytes));
    const text = (t: string): XlsxCell => ({ kind: 'text', text: t });
    await sheet.addRows([[text('Năm 2026')], [], titles.map(text), values.map(text)]);
    await sheet.finish();
    const xlsx = Buffer.concat(parts).toString('base64');
    const fromXlsx = await agent.call('records.import', { dataset: BIRTHS, xlsx, source: 'so.xlsx', dryRun: true });
    assert.equal(fromXlsx.ok, false);
    if (fromXlsx.ok) return;
    assert.match(fromXlsx.error.messages.en, /the file's first row with text \(line 1\) must be the header row naming the columns, but the columns are named on line 4\. Delete the rows above it \(lines 1 to 3/);

    // A header that names no field, with no header further down: the refusal lists the columns as before.
    const wrong = await agent.call('records.import', { dataset: BIRTHS, csv: `Tên,Ngày\r\n${values.slice(0, 2).map(quote).join(',')}\r\n`, source: 'x.csv', dryRun: true });
    assert.equal(wrong.ok, false);
    if (!wrong.ok) assert.match(wrong.error.messages.en, /the file's header row does not match the dataset\. Columns that are no field of the dataset: "Tên", "Ngày"\./);
    await agent.close();
  });
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readSheet } from 'read-excel-file/node';
import { enrolledAgent, ok, platformPerSuite, samples } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { registerXlsx, typedRow } from './support/register-xlsx.js';

const BIRTHS = 'civil-status-births';

/** `edge-agent records export --format xlsx` and `records import FILE.xlsx`: Excel's own format from the command line. */
describe('edge-agent records export and import, .xlsx', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('--format xlsx (or an --out named .xlsx) writes a workbook whose IDs keep their zeros; another office imports it (exit 0), and again adds nothing; no workbook to standard output', async () => {
    const first = await enrolledAgent(temp, env.p);
    const gen = samples(701);
    const rows = [{ ...gen.sample(BIRTHS, '01'), fullName: 'Hoàng Thị Mỹ Dung' }, gen.sample(BIRTHS, '01')];
    for (const data of rows) await ok(first.agent, 'records.put', { dataset: BIRTHS, data });
    await first.agent.close();
    const folder = temp.make('xlsx-');
    const file = join(folder, 'danh-sach.xlsx');

    const run = await cli(first.dataDir, ['--json', 'records', 'export', BIRTHS, '--format', 'xlsx', '--out', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.json.format, 'xlsx');
    const [header, ...data] = await readSheet(readFileSync(file));
    const ids = data.map((r) => r[header!.indexOf('Số định danh cá nhân')]);
    assert.deepEqual(ids.sort(), rows.map((r) => r['personalId']).sort(), 'text cells, leading zeros kept');

    const inferred = join(folder, 'theo-ten.xlsx');
    assert.equal((await cli(first.dataDir, ['records', 'export', BIRTHS, '--out', inferred])).code, 0);
    assert.deepEqual([...readFileSync(inferred).subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'an --out named .xlsx is a workbook');
    const toStdout = await cli(first.dataDir, ['--lang', 'en', 'records', 'export', BIRTHS, '--format', 'xlsx']);
    assert.equal(toStdout.code, 1);
    assert.match(toStdout.stderr, /An Excel workbook is not written to standard output: name the file to write with --out FILE\.xlsx\./);
    assert.equal((await cli(first.dataDir, ['records', 'export', BIRTHS, '--format', 'ods', '--out', file])).code, 1);
    // A workbook named .csv, or CSV text named .xlsx, is a file Excel refuses to open: refused before anything is written.
    const named = join(folder, 'danh-sach-2.csv');
    const xlsxAsCsv = await cli(first.dataDir, ['--lang', 'en', 'records', 'export', BIRTHS, '--format', 'xlsx', '--out', named]);
    assert.equal(xlsxAsCsv.code, 1);
    assert.match(xlsxAsCsv.stderr, /--format xlsx writes an Excel workbook \(\.xlsx\), but --out \S*danh-sach-2\.csv is named \.csv: Excel would not open it\. Name the file \.xlsx, or leave out --format\./);
    assert.equal(existsSync(named), false);
    const csvAsXlsx = await cli(first.dataDir, ['records', 'export', BIRTHS, '--format', 'csv', '--out', join(folder, 'csv.XLSX')]);
    assert.equal(csvAsXlsx.code, 1);
    assert.match(csvAsXlsx.stderr, /--format csv ghi tệp CSV \(\.csv\), nhưng --out \S*csv\.XLSX mang đuôi \.xlsx: Excel sẽ không mở được tệp này\./);

    const second = await enrolledAgent(temp, env.p);
    await second.agent.close();
    const imported = await cli(second.dataDir, ['records', 'import', BIRTHS, file]);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    assert.match(imported.stdout, /2 bản ghi đã nhập, 0 đã có sẵn \(bỏ qua\), 0 dòng bị từ chối, trên 2 dòng dữ liệu\./);
    const again = await cli(second.dataDir, ['--json', 'records', 'import', BIRTHS, file]);
    assert.deepEqual([again.code, again.json.imported, again.json.alreadyPresent], [0, 0, 2]);
  });

  test('a workbook (its sheet named with --sheet) with an ID Excel kept as a number: the row refused by its sheet row, written to FILE.refused.csv (a CSV) to fix and import again; exit 1', async () => {
    const { dataDir, agent } = await enrolledAgent(temp, env.p);
    await agent.close();
    const gen = samples(702);
    const rows = Array.from({ length: 3 }, () => gen.sample(BIRTHS, '01'));
    const cells = rows.map(typedRow);
    cells[1] = { ...cells[1]!, personalId: { kind: 'number', value: Number(rows[1]!['personalId']) } };
    const folder = temp.make('xlsx-');
    // No .xlsx in the name: the zip's first bytes say what it is.
    const file = join(folder, 'so-khai-sinh');
    writeFileSync(file, await registerXlsx(BIRTHS, cells));

    const run = await cli(dataDir, ['--lang', 'en', 'records', 'import', BIRTHS, file, '--sheet', 'Sheet1']);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /2 records imported, 0 already present \(skipped\), 1 rows refused, of 3 data rows\./);
    assert.match(run.stdout, / {2}Line 3, column "Số định danh cá nhân": .*format the column as Text, type the codes again and save the workbook again\./);
    const refusedFile = `${file}.refused.csv`;
    assert.ok(existsSync(refusedFile));
    const [head, line] = readFileSync(refusedFile, 'utf8').split('\r\n');
    assert.ok(head!.startsWith('\uFEFFSố đăng ký khai sinh,Họ và tên,'), head);
    assert.ok(line!.includes(`,${Number(rows[1]!['personalId'])},`), line);

    // An Excel 97–2003 file, or a workbook with a password (the same kind of file): said so, not "not UTF-8".
    const old = join(folder, 'so-cu.xls');
    writeFileSync(old, Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(4096)]));
    const xls = await cli(dataDir, ['--lang', 'en', 'records', 'import', BIRTHS, old]);
    assert.equal(xls.code, 1);
    assert.match(xls.stderr, /so-cu\.xls is an Excel 97–2003 workbook \(\.xls\) or a workbook with a password, which the agent cannot read: nothing was imported\. In Excel, remove the password/);
    assert.doesNotMatch(xls.stderr, /UTF-8 text/);

    writeFileSync(refusedFile, readFileSync(refusedFile, 'utf8').replace(`,${Number(rows[1]!['personalId'])},`, `,${String(rows[1]!['personalId'])},`));
    const fixed = await cli(dataDir, ['--json', 'records', 'import', BIRTHS, refusedFile]);
    assert.deepEqual([fixed.code, fixed.json.imported, fixed.json.refused], [0, 1, 0], JSON.stringify(fixed.json));
  });
});

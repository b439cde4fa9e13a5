import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readSheet } from 'read-excel-file/node';
import { XlsxSheetWriter, type XlsxCell } from '../../sync-engine/src/export/xlsx-writer.js';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { registerXlsx, typedRow } from './support/register-xlsx.js';

const BIRTHS = 'civil-status-births';
const HOUSEHOLDS = 'business-households';

/** records.export with format xlsx and records.import of an .xlsx: Excel's own format, which keeps the zeros that begin every personal ID number. */
describe('records as an Excel workbook (.xlsx)', () => {
  const env = platformPerSuite();
  const { temp } = env;
  let tablePut = false;
  /**
   * The communes' units (admin-units records). The whole table is put on the suite's platform once: the units
   * the platform and its agents validate by from then on; an agent caches them when it syncs.
   */
  const unitsOnPlatform = async (codes: unknown[]) => {
    const all = samples().adminUnitRecords();
    if (!tablePut) await env.p.platform.admin.putRecords('admin-units', all.map((data) => ({ data })));
    tablePut = true;
    return codes.map((code) => all.find((u) => u.communeCode === code)!);
  };

  test('the export: text cells (an ID keeps its leading zero), dates as dates, capital as a number, no formula anywhere; the sheet named after the dataset; the audit event says xlsx', async () => {
    const gen = samples(601);
    const household: Record<string, unknown> = { ...gen.sample(HOUSEHOLDS, '01'), businessName: '=HYPERLINK("http://example.invalid/","Bấm")', businessLines: ['Bán lẻ đồ uống', 'Ăn uống'] };
    // The household's commune among the units the agent caches (pulled at enrollment).
    const unit = (await unitsOnPlatform([household['communeCode']]))[0]!;
    const { agent } = await enrolledAgent(temp, env.p);
    await ok(agent, 'records.put', { dataset: HOUSEHOLDS, data: household });
    const made = await ok(agent, 'records.export', { dataset: HOUSEHOLDS, lang: 'vi', state: 'waiting', format: 'xlsx' });
    assert.match(made.name, /^business-households-\d{8}T\d{6}Z\.xlsx$/);
    const bytes = readFileSync(made.path);
    assert.equal(made.bytes, bytes.length);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip, as every .xlsx');

    const parts = unzipSync(bytes);
    const sheetXml = strFromU8(parts['xl/worksheets/sheet1.xml']!);
    assert.equal(/<f[ >]/.test(sheetXml), false, 'no cell is a formula');
    assert.match(strFromU8(parts['xl/workbook.xml']!), /<sheet name="Hộ kinh doanh"/);

    const [header, row, ...rest] = await readSheet(bytes);
    assert.equal(rest.length, 0);
    const col = (title: string) => header!.indexOf(title);
    assert.equal(header!.at(-1), 'Trạng thái đồng bộ');
    assert.equal(row![col('Số định danh cá nhân chủ hộ')], household.ownerPersonalId, 'a text cell, its leading zero kept');
    assert.equal(typeof row![col('Mã tỉnh')], 'string');
    assert.equal(row![col('Mã tỉnh')], '01');
    assert.deepEqual(header!.slice(col('Mã xã'), col('Mã xã') + 4), ['Mã xã', 'Mã xã — tên xã', 'Mã tỉnh', 'Mã tỉnh — tên tỉnh'], "each code followed by its unit's name");
    assert.equal(row![col('Mã xã')], household.communeCode, 'the code stays as it is');
    assert.equal(row![col('Mã xã — tên xã')], unit.communeName, "the commune's name from the cached units");
    assert.equal(row![col('Mã tỉnh — tên tỉnh')], unit.provinceName);
    assert.equal(row![col('Vốn kinh doanh (đồng)')], household.capitalVnd, 'a number');
    const registered = row![col('Ngày đăng ký')];
    assert.ok(registered instanceof Date, `a date cell: ${String(registered)}`);
    assert.equal(registered.toISOString().slice(0, 10), household.registeredAt);
    assert.match(strFromU8(parts['xl/styles.xml']!), /formatCode="dd\/mm\/yyyy"/, 'shown day/month/year');
    assert.equal(row![col('Tên hộ kinh doanh')], household.businessName, 'formula-like text as text, with no apostrophe');
    assert.equal(row![col('Ngành, nghề kinh doanh')], 'Bán lẻ đồ uống\nĂn uống', 'a list one item per line');
    assert.equal(row![col('Tình trạng hoạt động')], 'Đang hoạt động', 'a choice by its label');
    assert.equal(row!.at(-1), 'Chờ gửi');

    const read = await ok(agent, 'exports.read', { name: made.name, offset: 0 });
    assert.ok(Buffer.from(read.data, 'base64').equals(bytes), 'exports.read hands the workbook back for the window to save');

    const events = await agent.store.sql.all<{ details: string }>(`SELECT "details" FROM "audit_log" WHERE "action" = 'records.exported'`);
    assert.deepEqual(
      events.map((e) => (JSON.parse(e.details) as { format: string; file: string; records: number }).format),
      ['xlsx'],
    );
    await agent.close();
  });

  test("round trip: an .xlsx export records.import takes back into another office's agent, the same records field by field", async () => {
    const first = await enrolledAgent(temp, env.p);
    const gen = samples(602);
    const births = [
      { ...gen.sample(BIRTHS, '01'), fullName: 'Nguyễn Thị Hương', notes: 'Sổ 2, quyển "A"\ndòng 2' },
      { ...gen.sample(BIRTHS, '01'), notes: '=1+1' },
      { ...gen.sample(BIRTHS, '01'), notes: '-2 bản sao' },
    ];
    const households = [gen.sample(HOUSEHOLDS, '01'), { ...gen.sample(HOUSEHOLDS, '01'), status: 'suspended' }];
    await unitsOnPlatform(households.map((h) => h['communeCode']));
    await syncOk(first.agent);
    for (const data of births) await ok(first.agent, 'records.put', { dataset: BIRTHS, data });
    for (const data of households) await ok(first.agent, 'records.put', { dataset: HOUSEHOLDS, data });
    const madeBirths = await ok(first.agent, 'records.export', { dataset: BIRTHS, lang: 'en', state: 'waiting', format: 'xlsx' });
    const madeHouseholds = await ok(first.agent, 'records.export', { dataset: HOUSEHOLDS, lang: 'vi', state: 'waiting', format: 'xlsx' });
    await first.agent.close();
    // The units' names go out beside the codes: the import leaves them out.
    const [birthsHeader] = await readSheet(readFileSync(madeBirths.path));
    assert.ok(birthsHeader!.includes('Place of birth (commune code) — commune name') && birthsHeader!.includes('Province code — province name'), birthsHeader!.join(' | '));
    const [householdsHeader, ...householdRows] = await readSheet(readFileSync(madeHouseholds.path));
    const names = householdsHeader!.indexOf('Mã tỉnh — tên tỉnh');
    assert.ok(names > 0 && householdRows.every((r) => typeof r[names] === 'string' && r[names] !== ''), 'a province name in every row');

    const second = await enrolledAgent(temp, env.p);
    for (const [dataset, made, originals] of [
      [BIRTHS, madeBirths, births],
      [HOUSEHOLDS, madeHouseholds, households],
    ] as const) {
      const bytes = readFileSync(made.path);
      assert.deepEqual([...bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a workbook, not a CSV');
      const xlsx = bytes.toString('base64');
      const imported = await ok(second.agent, 'records.import', { dataset, xlsx, source: basename(made.path) });
      assert.deepEqual({ imported: imported.imported, refused: imported.refused, refusals: imported.refusals }, { imported: originals.length, refused: 0, refusals: [] }, dataset);
      const stored = (await ok(second.agent, 'records.list', { dataset, limit: 100 })).items.filter((r) => r.state === 'waiting');
      const key = dataset === BIRTHS ? 'personalId' : 'registrationNumber';
      const byKey = new Map(stored.map((r) => [String(r.data?.[key]), r.data]));
      for (const data of originals) assert.deepEqual(byKey.get(String((data as Record<string, unknown>)[key])), data);
      const again = await ok(second.agent, 'records.import', { dataset, xlsx, source: basename(made.path) });
      assert.deepEqual([again.imported, again.alreadyPresent], [0, originals.length], 'importing it again adds nothing');
    }
    await second.agent.close();
  });

  test("an Excel register: date cells read as dates; an ID Excel kept as a number refused with how to keep it as text; refused rows by the sheet's row number, as CSV lines", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(603);
    const rows = Array.from({ length: 4 }, () => gen.sample(BIRTHS, '01'));
    const cells = rows.map(typedRow);
    // Typed into a General column: Excel kept 001225214037 as the number 1225214037.
    cells[1] = { ...cells[1]!, personalId: { kind: 'number', value: Number(rows[1]!['personalId']) } };
    cells[2] = { ...cells[2]!, birthDate: { kind: 'text', text: '31/02/2025' } };
    const blank: Record<string, XlsxCell> = {};
    const xlsx = (await registerXlsx(BIRTHS, [cells[0]!, blank, cells[1]!, cells[2]!, cells[3]!])).toString('base64');

    const result = await ok(agent, 'records.import', { dataset: BIRTHS, xlsx, source: 'so-khai-sinh.xlsx' });
    assert.deepEqual([result.rows, result.imported, result.refused], [4, 2, 2]);
    assert.deepEqual(
      result.refusals.map((r) => [r.line, r.problems.map((p) => p.field)]),
      [
        [4, ['personalId']],
        [5, ['birthDate']],
      ],
      'lines are the sheet rows: the header row 1, a blank row 3 left out',
    );
    const zeros = result.refusals[0]!.problems[0]!;
    assert.match(zeros.messages.vi, /bỏ mất các số 0 ở đầu: trong Excel, hãy định dạng cột là Văn bản \(Text\), nhập lại các mã rồi lưu lại tệp Excel\./);
    assert.match(zeros.messages.en, /dropped its leading zeros: in Excel, format the column as Text, type the codes again and save the workbook again\./);
    assert.match(result.refusals[1]!.problems[0]!.messages.en, /“31\/02\/2025” is not a real date/);
    const refusedLines = result.refusedCsv!.split('\r\n');
    assert.ok(refusedLines[0]!.startsWith('Số đăng ký khai sinh,Họ và tên,'), refusedLines[0]);
    assert.ok(refusedLines[1]!.includes(`,${Number(rows[1]!['personalId'])},`), refusedLines[1]);
    assert.ok(refusedLines[2]!.includes(',31/02/2025,'), refusedLines[2]);

    const stored = (await ok(agent, 'records.list', { dataset: BIRTHS, limit: 100 })).items.map((r) => r.data);
    for (const i of [0, 3]) assert.deepEqual(stored.find((d) => d?.['personalId'] === rows[i]!['personalId']), rows[i], 'a date cell stored as its date');
    await agent.close();
  });

  test("a cell showing a formula's error (#N/A) refuses its row, naming the column and the error, rather than import the field as left empty; its CSV line shows the error", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(604);
    const rows = Array.from({ length: 2 }, () => gen.sample(BIRTHS, '01'));
    const cells = rows.map(typedRow);
    cells[0] = { ...cells[0]!, notes: { kind: 'text', text: 'FORMULA' } };
    const made = unzipSync(await registerXlsx(BIRTHS, cells));
    const sheetXml = strFromU8(made['xl/worksheets/sheet1.xml']!);
    // The optional notes column holds =VLOOKUP(...) that found nothing: Excel keeps the error as the cell's value.
    const withError = sheetXml.replace(/<c r="([A-Z]+2)"([^>]*) t="inlineStr"><is><t xml:space="preserve">FORMULA<\/t><\/is><\/c>/, '<c r="$1"$2 t="e"><f>VLOOKUP(A2,Sheet2!A:B,2,FALSE)</f><v>#N/A</v></c>');
    assert.notEqual(withError, sheetXml);
    made['xl/worksheets/sheet1.xml'] = strToU8(withError);
    const xlsx = Buffer.from(zipSync(made)).toString('base64');

    const result = await ok(agent, 'records.import', { dataset: BIRTHS, xlsx, source: 'so-khai-sinh.xlsx' });
    assert.deepEqual([result.rows, result.imported, result.refused], [2, 1, 1]);
    assert.deepEqual(result.refusals, [
      {
        line: 2,
        problems: [
          {
            field: 'notes',
            column: 'Ghi chú',
            code: 'formula_error',
            messages: {
              vi: 'Ô này hiện lỗi công thức #N/A của Excel; hãy sửa công thức hoặc nhập giá trị, rồi nhập lại.',
              en: "This cell shows Excel's formula error #N/A; fix the formula or type the value, then import again.",
            },
          },
        ],
      },
    ]);
    assert.ok(result.refusedCsv!.split('\r\n')[1]!.endsWith(',#N/A'), result.refusedCsv!);
    const stored = (await ok(agent, 'records.list', { dataset: BIRTHS, limit: 100 })).items.map((r) => r.data?.['personalId']);
    assert.deepEqual(stored, [rows[1]!['personalId']], 'the row with the error not written');
    await agent.close();
  });

  test('a file that is no workbook, an old .xls, a sheet without a header or not there (--sheet), one that unpacks to more than 64 MiB or holds more than 100,000 rows refuse the whole import in both languages; csv and xlsx together are refused', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const refused = async (input: { csv?: string; xlsx?: string; sheet?: string }) => {
      const called = await agent.call('records.import', { dataset: BIRTHS, ...input });
      assert.ok(!called.ok, JSON.stringify(called));
      assert.equal(called.error.code, 'invalid_input');
      return called.error.messages;
    };
    assert.match((await refused({ xlsx: Buffer.from('PK\x03\x04 not a zip').toString('base64') })).en, /not a valid Excel workbook \(\.xlsx\)/);
    assert.match((await refused({ xlsx: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).toString('base64') })).vi, /Excel 97–2003 \(\.xls\)/);
    assert.match((await refused({ xlsx: await emptySheet() })).en, /first sheet is empty/);
    assert.match((await refused({ csv: 'a', xlsx: 'UEs=' })).en, /Exactly one file/);
    const register = (await registerXlsx(BIRTHS, [])).toString('base64');
    assert.match((await refused({ xlsx: register, sheet: 'Sổ 2025' })).vi, /^Tệp không có trang tính "Sổ 2025"\. Các trang tính của tệp: "Sheet1"\.$/);
    assert.match((await refused({ csv: 'Họ và tên\r\n', sheet: 'Sheet1' })).en, /Only an Excel workbook has sheets/);
    // A small file that unpacks to more than 64 MiB: refused by the sizes the zip declares, before it is unpacked.
    const bomb = zipSync({ 'xl/worksheets/sheet1.xml': new Uint8Array(65 * 1024 * 1024) });
    assert.ok(bomb.length < 1024 * 1024);
    assert.match((await refused({ xlsx: Buffer.from(bomb).toString('base64') })).vi, /giải nén ra 65 MiB, quá 64 MiB/);
    const parts: Uint8Array[] = [];
    const many = new XlsxSheetWriter([{ title: 'Họ và tên', kind: 'text', width: 10 }], 'Sheet1', (bytes) => void parts.push(bytes));
    for (let i = 0; i < 100_001; i += 10_000) await many.addRows(Array.from({ length: Math.min(10_000, 100_001 - i) }, () => [{ kind: 'text', text: 'A' }]));
    await many.finish();
    assert.match((await refused({ xlsx: Buffer.concat(parts).toString('base64') })).en, /the file has 100001 data rows, more than the 100000 one import takes/);
    assert.match((await refused({})).vi, /Cần đúng một tệp/);
    await agent.close();
  });
});

async function emptySheet(): Promise<string> {
  const parts: Uint8Array[] = [];
  const sheet = new XlsxSheetWriter([{ title: '', kind: 'text', width: 10 }], 'Sheet1', (bytes) => void parts.push(bytes));
  await sheet.finish();
  return Buffer.concat(parts).toString('base64');
}

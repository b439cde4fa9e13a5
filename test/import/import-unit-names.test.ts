import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { importRecords, type ImportRequest, type ImportResult } from '../../sync-engine/src/import/record-import.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { AdminUnitsTable, bundledAdminUnits, type AdminUnitsIndex } from '../../sync-engine/src/protocol/reference-data/index.js';
import type { SiteScope } from '../../sync-engine/src/protocol/records.js';
import { validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import type { CreateOutcome, LocalCreates, NewRecord } from '../../sync-engine/src/records/local-creates.js';
import { recordProblems } from '../../sync-engine/src/records/record-checks.js';
import { registerCsv } from '../agent/support/register-csv.js';

// records import (and the window's "Nhập từ tệp Excel/CSV"): a register kept in Excel names the place of
// birth and the province by name ("Phường Hoàn Kiếm", "Hà Nội"), read as their codes as the form reads them
// (unit-names.test.ts); a name that names no single unit in force refuses the row, saying why.
const BIRTHS = datasetByName('civil-status-births')!;
const gen = createSampleGenerator(41);

/**
 * As LocalCreates.createMany, without a store: each row checked as records.put checks it (schema, rules, codes
 * in force), and with SCOPE as an office of that scope checks it (recordProblems).
 */
function checkingCreates(adminUnits: AdminUnitsIndex, written: NewRecord[], scope?: SiteScope): LocalCreates {
  const createMany = async (_: string, rows: readonly NewRecord[], options: { dryRun?: boolean } = {}): Promise<CreateOutcome[]> =>
    rows.map((row) => {
      const errors = scope ? recordProblems(BIRTHS, row.data, scope, adminUnits) : validateRecordData(BIRTHS, row.data, { adminUnits });
      if (errors.length > 0) return { kind: 'refused', errors };
      if (!options.dryRun) written.push(row);
      return { kind: 'created', id: `r${written.length}` };
    });
  return { createMany } as unknown as LocalCreates;
}

/** Birth registrations in Hà Nội, each with these cells instead of its codes. */
function births(cells: ReadonlyArray<Record<string, string>>): Array<Record<string, unknown>> {
  return cells.map((c) => ({ ...gen.sample(BIRTHS.name, '01', ['00004']), ...c }));
}

async function imported(csv: string, options: Partial<ImportRequest> = {}, scope?: SiteScope): Promise<{ result: ImportResult; written: NewRecord[] }> {
  const written: NewRecord[] = [];
  const units = options.adminUnits ?? bundledAdminUnits();
  const outcome = await importRecords(BIRTHS, checkingCreates(units, written, scope), { dataset: BIRTHS.name, csv, source: 'so-khai-sinh.csv', dryRun: false, ...options });
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return { result: outcome.result, written };
}

test('a commune or province written by its name, with or without accents or its kind, is stored as its code; a shared name narrowed by the row\'s province or the province after it', async () => {
  const rows = births([
    { placeOfBirthCommuneCode: 'Phường Hoàn Kiếm', provinceCode: 'Hà Nội', communeCode: 'ba dinh' },
    { placeOfBirthCommuneCode: 'phuong hoan kiem', provinceCode: 'Thành phố Hà Nội', communeCode: 'Ba Đình' },
    { placeOfBirthCommuneCode: 'Hoàn Kiếm', provinceCode: 'ha noi', communeCode: 'Phường Ba Đình' },
    { placeOfBirthCommuneCode: 'Ba Đình, Hà Nội', provinceCode: 'tinh thanh hoa', communeCode: 'Ba Đình' },
    { placeOfBirthCommuneCode: 'ba dinh thanh hoa', provinceCode: 'TP.HCM', communeCode: '25747' },
    { placeOfBirthCommuneCode: '00070', provinceCode: 'TP Hồ Chí Minh', communeCode: '25747' },
  ]);
  const { result, written } = await imported(registerCsv(BIRTHS.name, rows));
  assert.deepEqual(result.refusals, []);
  assert.equal(result.imported, 6);
  assert.deepEqual(
    written.map((w) => [w.data['placeOfBirthCommuneCode'], w.data['provinceCode'], w.data['communeCode']]),
    [
      ['00070', '01', '00004'],
      ['00070', '01', '00004'],
      ['00070', '01', '00004'],
      ['00004', '38', '16171'],
      ['16171', '79', '25747'],
      ['00070', '79', '25747'],
    ],
    "Ba Đình: Hà Nội's by the row's province, Thanh Hóa's by its own; a province written after the commune wins over the row's",
  );
});

test('a name that names no single unit refuses the row, saying why in both languages and naming the column; the other rows are imported, a dry run says the same', async () => {
  const rows = births([
    { provinceCode: 'Hà Giang' },
    { provinceCode: '02' },
    { placeOfBirthCommuneCode: 'ba dinh', provinceCode: '04', communeCode: '01792' },
    { placeOfBirthCommuneCode: 'tan hoa' },
    { provinceCode: 'ninh' },
    { placeOfBirthCommuneCode: 'khong co xa nay' },
    { provinceCode: 'Xứ Đoài' },
    { placeOfBirthCommuneCode: 'Hoàn Kiếm' },
  ]);
  const csv = registerCsv(BIRTHS.name, rows);
  // A Hà Nội office: a province kept as written is out of its scope too, and is told once, in the name's words.
  const hanoi = { provinceCode: '01' };
  const { result, written } = await imported(csv, {}, hanoi);
  assert.equal(result.imported, 1, 'the row naming one commune goes in');
  assert.equal(written[0]!.data['placeOfBirthCommuneCode'], '00070');
  /** The row's one problem besides its province being out of the office's scope. */
  const problem = (line: number) => {
    const refusal = result.refusals.find((r) => r.line === line);
    assert.ok(refusal, `line ${line} refused`);
    const problems = refusal.problems.filter((p) => p.code !== 'out_of_scope');
    assert.equal(problems.length, 1, JSON.stringify(refusal.problems));
    return problems[0]!;
  };

  assert.deepEqual(result.refusals.find((r) => r.line === 2)?.problems.length, 1, 'a name out of the scope as well is told once');
  assert.deepEqual(problem(2), {
    field: 'provinceCode',
    column: 'Mã tỉnh',
    code: 'province_merged',
    messages: {
      vi: 'Mã tỉnh “Hà Giang”: Tỉnh Hà Giang đã sáp nhập vào Tỉnh Tuyên Quang từ ngày 01/07/2025. Nếu đúng, hãy ghi mã tỉnh 08.',
      en: 'Province code “Hà Giang”: Tỉnh Hà Giang has been part of Tỉnh Tuyên Quang since 01/07/2025. If that is right, write the province code 08.',
    },
  });
  assert.deepEqual(result.refusals.find((r) => r.line === 3)?.problems.map((p) => p.code), ['province_code_former', 'out_of_scope']);
  assert.deepEqual(result.refusals.find((r) => r.line === 3)?.problems[0]?.messages, {
    vi: 'Mã tỉnh “02” là mã cũ của Tỉnh Hà Giang (trước ngày 01/07/2025). Từ ngày đó, mã tỉnh là 08 (Tỉnh Tuyên Quang).',
    en: 'Province code “02” is the old code of Tỉnh Hà Giang (before 01/07/2025). Since then the province code is 08 (Tỉnh Tuyên Quang).',
  });
  assert.deepEqual(problem(4), {
    field: 'placeOfBirthCommuneCode',
    column: 'Nơi sinh (mã xã)',
    code: 'commune_name_ambiguous',
    messages: {
      vi: 'Nơi sinh (mã xã) “ba dinh”: có 3 xã, phường tên này: 00004 Phường Ba Đình (Thành phố Hà Nội), 16171 Xã Ba Đình (Tỉnh Thanh Hóa), 21499 Xã Ba Dinh (Tỉnh Quảng Ngãi). Hãy ghi mã xã, hoặc ghi thêm tên tỉnh sau tên xã (“Ba Đình, Hà Nội”).',
      en: 'Place of birth (commune code) “ba dinh”: 3 communes have this name: 00004 Phường Ba Đình (Thành phố Hà Nội), 16171 Xã Ba Đình (Tỉnh Thanh Hóa), 21499 Xã Ba Dinh (Tỉnh Quảng Ngãi). Write the commune\'s code, or add the province\'s name after the commune\'s (“Ba Đình, Hà Nội”).',
    },
  });
  assert.match(problem(5).messages.vi, /^Nơi sinh \(mã xã\) “tan hoa”: có \d+ xã, phường tên này: (\d{5} [^,]+ \([^)]+\), ){4}\d{5} [^,]+ \([^)]+\) và \d+ xã, phường khác\. /);
  assert.match(problem(5).messages.en, /^Place of birth \(commune code\) “tan hoa”: \d+ communes have this name: .* and \d+ more\. /);
  assert.deepEqual(problem(6).messages, {
    vi: 'Mã tỉnh “ninh”: có 4 tỉnh, thành phố có “ninh” trong tên: 22 Tỉnh Quảng Ninh, 24 Tỉnh Bắc Ninh, 37 Tỉnh Ninh Bình, 80 Tỉnh Tây Ninh. Hãy ghi mã tỉnh, hoặc ghi đủ tên tỉnh.',
    en: 'Province code “ninh”: 4 provinces have “ninh” in their name: 22 Tỉnh Quảng Ninh, 24 Tỉnh Bắc Ninh, 37 Tỉnh Ninh Bình, 80 Tỉnh Tây Ninh. Write the province\'s code, or its whole name.',
  });
  assert.deepEqual(problem(7).messages, {
    vi: 'Nơi sinh (mã xã) “khong co xa nay”: không có xã, phường, đặc khu nào mang tên này trong danh mục hiện hành. Hãy ghi mã xã (5 chữ số) hoặc tên xã như trong danh mục.',
    en: 'Place of birth (commune code) “khong co xa nay”: no commune in the current list has this name. Write the commune\'s code (5 digits) or its name as the list has it.',
  });
  assert.equal(problem(8).code, 'province_name_unknown');
  assert.match(problem(8).messages.en, /^Province code “Xứ Đoài”: no province in the current list has this name\./);

  const dry = await imported(csv, { dryRun: true }, hanoi);
  assert.equal(dry.written.length, 0);
  assert.deepEqual({ ...dry.result, dryRun: false }, result, 'the dry run reports every refusal in the same words');
});

test("in the same column as names, a code cell is read as before: a code in force stored, a code that lost its zeros told so, an unknown code in the check's words", async () => {
  const rows = births([
    { provinceCode: '01', communeCode: '00004' },
    { provinceCode: 'Hà Nội', communeCode: '00004' },
    { provinceCode: '1' },
    { provinceCode: '99' },
    { placeOfBirthCommuneCode: '1.325E+11' },
  ]);
  const { result, written } = await imported(registerCsv(BIRTHS.name, rows));
  assert.deepEqual(written.map((w) => [w.data['provinceCode'], w.data['communeCode']]), [['01', '00004'], ['01', '00004']]);
  const messages = result.refusals.map((r) => r.problems.map((p) => `${p.code}: ${p.messages.vi}`));
  assert.deepEqual(messages, [
    [
      'province_code_format: Mã tỉnh phải gồm đúng 2 chữ số. Bảng tính có thể đã lưu ô này dưới dạng số nên bỏ mất các số 0 ở đầu: trong Excel, hãy định dạng cột là Văn bản (Text), nhập lại các mã rồi lưu lại tệp CSV.',
    ],
    ['unknown_province: Mã tỉnh “99” không có trong danh mục tỉnh, thành phố hiện hành.'],
    [
      'commune_code_format: Nơi sinh (mã xã) phải gồm đúng 5 chữ số. Bảng tính có thể đã lưu ô này dưới dạng số nên bỏ mất các số 0 ở đầu: trong Excel, hãy định dạng cột là Văn bản (Text), nhập lại các mã rồi lưu lại tệp CSV.',
    ],
  ]);
});

test('names are read against the units the row is checked by: a list the platform published, not only the bundled one', async () => {
  const bundled = bundledAdminUnits();
  const renamed = new AdminUnitsTable(
    bundled.provinces(),
    bundled.communes().map((c) => (c.code === '00070' ? { ...c, name: 'Phường Hồ Gươm' } : c)),
  );
  const rows = births([{ placeOfBirthCommuneCode: 'Phường Hồ Gươm' }, { placeOfBirthCommuneCode: 'Phường Hoàn Kiếm' }]);
  const { result, written } = await imported(registerCsv(BIRTHS.name, rows), { adminUnits: renamed });
  assert.deepEqual(written.map((w) => w.data['placeOfBirthCommuneCode']), ['00070']);
  assert.deepEqual(result.refusals.map((r) => [r.line, r.problems[0]!.code]), [[3, 'commune_name_unknown']]);
});

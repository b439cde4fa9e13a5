import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AgentService } from '../../sync-engine/src/index.js';
import { enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { registerCsv } from './support/register-csv.js';

const BIRTHS = 'civil-status-births';
const HOUSEHOLDS = 'business-households';

/** A personal ID number whose first three digits name no province (099): the personal ID rule refuses it. */
function badPersonalId(id: string): string {
  return `099${id.slice(3)}`;
}

async function counts(agent: AgentService, dataset: string): Promise<{ records: number; outbox: number; audit: number }> {
  const records = (await ok(agent, 'records.list', { dataset, limit: 1 })).total;
  const outbox = (await ok(agent, 'outbox.list', { limit: 1 })).total;
  const audit = (await ok(agent, 'audit.verify', {})).events;
  return { records, outbox, audit };
}

/** records.import: an office's spreadsheet register into a read-write dataset, through the same checks and writes as records.put. */
describe('records.import', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test("an Excel 'CSV UTF-8' with semicolons, a BOM, Vietnamese titles and dates day/month/year: valid rows imported, a bad personal ID refused by its line, the audit log says who and from which file", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(301);
    const rows = Array.from({ length: 5 }, () => gen.sample(BIRTHS, '01'));
    const bad = { ...rows[2]!, personalId: badPersonalId(String(rows[2]!['personalId'])) };
    const csv = registerCsv(BIRTHS, [rows[0]!, rows[1]!, bad, rows[3]!, rows[4]!]);
    assert.ok(csv.startsWith('\uFEFFSố đăng ký khai sinh;Họ và tên;Giới tính;Ngày sinh;'), 'the header as Excel saves it');

    const called = await agent.call('records.import', { dataset: BIRTHS, csv, source: 'so-khai-sinh-2025.csv' }, { user: 'Lê Thị Lan' });
    assert.ok(called.ok, JSON.stringify(called));
    const result = called.value;
    assert.deepEqual(
      { rows: result.rows, imported: result.imported, alreadyPresent: result.alreadyPresent, refused: result.refused, dryRun: result.dryRun },
      { rows: 5, imported: 4, alreadyPresent: 0, refused: 1, dryRun: false },
    );
    assert.equal(result.refusals.length, 1);
    const [refusal] = result.refusals;
    assert.equal(refusal!.line, 4, 'the header is line 1: the third record is on line 4');
    assert.ok(refusal!.problems.some((p) => p.field === 'personalId' && p.column === 'Số định danh cá nhân'), JSON.stringify(refusal));
    assert.match(refusal!.problems.find((p) => p.field === 'personalId')!.messages.vi, /Số định danh cá nhân/);
    const lines = csv.slice(1).split('\r\n');
    assert.equal(result.refusedCsv, `${lines[0]}\r\n${lines[3]}\r\n`, 'the header and the refused row as written, to fix and import again');

    const stored = (await ok(agent, 'records.list', { dataset: BIRTHS, limit: 100 })).items;
    assert.equal(stored.length, 4);
    assert.deepEqual(new Set(stored.map((r) => r.state)), new Set(['waiting']));
    const byId = new Map(stored.map((r) => [String(r.data?.['personalId']), r]));
    for (const row of [rows[0]!, rows[1]!, rows[3]!, rows[4]!]) {
      assert.deepEqual(byId.get(String(row['personalId']))?.data, row, 'dates read day/month/year, stored as the form stores them');
    }
    assert.equal(byId.has(bad.personalId), false, 'the refused row was not written');
    assert.equal((await ok(agent, 'outbox.list', {})).total, 4, 'one outbox entry per imported record');

    const history = await ok(agent, 'records.history', { dataset: BIRTHS, id: stored[0]!.id });
    assert.equal(history.items[0]?.actor, 'Lê Thị Lan', 'the audit log says who imported');
    const [event] = await agent.store.sql.all<{ actor: string; details: string }>(
      `SELECT "actor", "details" FROM "audit_log" WHERE "action" = 'local.put' AND "record_id" = ?`,
      [byId.get(String(rows[0]!['personalId']))!.id],
    );
    assert.equal(event?.actor, 'Lê Thị Lan');
    assert.deepEqual(JSON.parse(event!.details).import, { file: 'so-khai-sinh-2025.csv', line: 2 }, 'and that the record came from line 2 of that file');
    assert.deepEqual(await ok(agent, 'audit.verify', {}), { ok: true, events: (await counts(agent, BIRTHS)).audit, brokenAt: null });
    await agent.close();
  });

  test('importing the same file again adds nothing: every row is already present; a row repeating an earlier row of the file is refused, naming that line', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(302);
    const rows = Array.from({ length: 3 }, () => gen.sample(BIRTHS, '01'));
    const csv = registerCsv(BIRTHS, rows, { headers: 'en', delimiter: ',', bom: false });
    assert.equal((await ok(agent, 'records.import', { dataset: BIRTHS, csv })).imported, 3);
    const before = await counts(agent, BIRTHS);

    const again = await ok(agent, 'records.import', { dataset: BIRTHS, csv });
    assert.deepEqual({ imported: again.imported, alreadyPresent: again.alreadyPresent, refused: again.refused }, { imported: 0, alreadyPresent: 3, refused: 0 });
    assert.deepEqual(again.present.map((p) => [p.line, p.field]), [
      [2, 'personalId'],
      [3, 'personalId'],
      [4, 'personalId'],
    ]);
    assert.deepEqual(await counts(agent, BIRTHS), before, 'no record, outbox entry or audit event added');

    const fresh = gen.sample(BIRTHS, '01');
    const twin = { ...gen.sample(BIRTHS, '01'), personalId: fresh['personalId'] };
    const withTwin = await ok(agent, 'records.import', { dataset: BIRTHS, csv: registerCsv(BIRTHS, [fresh, twin]) });
    assert.equal(withTwin.imported, 1);
    assert.deepEqual(withTwin.refusals.map((r) => [r.line, r.problems.map((p) => [p.field, p.code])]), [[3, [['personalId', 'duplicate_in_file']]]]);
    assert.match(withTwin.refusals[0]!.problems[0]!.messages.vi, /dòng 2/);
    assert.match(withTwin.refusals[0]!.problems[0]!.messages.en, /line 2/);
    await agent.close();
  });

  test('a dry run checks every row and says what would happen, and writes nothing: no record, no outbox entry, no audit event', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(303);
    const rows = Array.from({ length: 4 }, () => gen.sample(BIRTHS, '01'));
    rows[1] = { ...rows[1]!, personalId: badPersonalId(String(rows[1]!['personalId'])) };
    const before = await counts(agent, BIRTHS);
    const dry = await ok(agent, 'records.import', { dataset: BIRTHS, csv: registerCsv(BIRTHS, rows), dryRun: true });
    assert.deepEqual({ dryRun: dry.dryRun, imported: dry.imported, refused: dry.refused }, { dryRun: true, imported: 3, refused: 1 });
    assert.equal(dry.refusals[0]?.line, 3);
    assert.deepEqual(await counts(agent, BIRTHS), before);
    assert.equal((await ok(agent, 'outbox.list', {})).total, 0, 'the outbox is empty');
    await agent.close();
  });

  test('a column that names no field, or a required column missing, refuses the whole file before anything is written, naming them and the columns expected', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(304);
    const rows = Array.from({ length: 3 }, () => gen.sample(BIRTHS, '01'));
    const before = await counts(agent, BIRTHS);

    const unknown = await agent.call('records.import', { dataset: BIRTHS, csv: registerCsv(BIRTHS, rows, { extraColumns: ['Số điện thoại'] }) });
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.code, 'invalid_input');
    assert.match(unknown.error.messages.vi, /Chưa nhập gì/);
    assert.match(unknown.error.messages.vi, /"Số điện thoại"/);
    assert.match(unknown.error.messages.vi, /Số định danh cá nhân \(personalId\)\*/, 'the expected columns are listed');
    assert.match(unknown.error.messages.en, /Personal ID number \(personalId\)\*/);

    const header = registerCsv(BIRTHS, rows).replace('Số định danh cá nhân;', 'Ghi chú thêm;');
    const missing = await agent.call('records.import', { dataset: BIRTHS, csv: header });
    assert.ok(!missing.ok);
    assert.match(missing.error.messages.vi, /"Ghi chú thêm"/);
    assert.match(missing.error.messages.vi, /Thiếu cột bắt buộc: "Số định danh cá nhân"/);
    assert.match(missing.error.messages.en, /Required columns missing: "Personal ID number"/);
    assert.deepEqual(await counts(agent, BIRTHS), before, 'nothing written');

    const readOnly = await agent.call('records.import', { dataset: 'admin-units', csv: 'code;name\r\n00004;Ba Đình\r\n' });
    assert.ok(!readOnly.ok);
    assert.equal(readOnly.error.code, 'read_only', 'the national list of administrative units takes no import');
    await agent.close();
  });

  test("a register's row-number column ('STT', 'Số thứ tự') is left out; the rows import as without it", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(309);
    const rows = Array.from({ length: 3 }, () => gen.sample(BIRTHS, '01'));
    const first = await ok(agent, 'records.import', { dataset: BIRTHS, csv: registerCsv(BIRTHS, rows.slice(0, 2), { rowNumberColumn: 'STT' }) });
    assert.deepEqual({ imported: first.imported, refused: first.refused }, { imported: 2, refused: 0 });
    const second = await ok(agent, 'records.import', { dataset: BIRTHS, csv: registerCsv(BIRTHS, rows.slice(2), { rowNumberColumn: 'Số thứ tự', headers: 'en' }) });
    assert.deepEqual({ imported: second.imported, refused: second.refused }, { imported: 1, refused: 0 });
    const stored = (await ok(agent, 'records.list', { dataset: BIRTHS })).items.map((item) => item.data?.['personalId']).sort();
    assert.deepEqual(stored, rows.map((row) => row['personalId']).sort());
    await agent.close();
  });

  test("headers match field names and titles without accents or case; a household's capital '1.500.000' and its status by its Vietnamese label", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const household = samples(305).sample(HOUSEHOLDS, '01');
    const csv = registerCsv(HOUSEHOLDS, [{ ...household, capitalVnd: '1.500.000', status: 'Đang hoạt động' }])
      .replace('Vốn kinh doanh (đồng)', 'von kinh doanh (dong)')
      .replace('Mã xã', 'communeCode');
    const result = await ok(agent, 'records.import', { dataset: HOUSEHOLDS, csv });
    assert.deepEqual(result.refusals, []);
    const [stored] = (await ok(agent, 'records.list', { dataset: HOUSEHOLDS })).items;
    assert.deepEqual(stored?.data, { ...household, capitalVnd: 1_500_000, status: 'active' });
    await agent.close();
  });

  test('a file of more rows than one batch: every batch written, refusals named by their line in whichever batch they fall, the audit chain whole', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(307);
    const rows = Array.from({ length: 1_050 }, () => gen.sample(BIRTHS, '01'));
    rows[699] = { ...rows[699]!, communeCode: '99999' };
    rows[1_019] = { ...rows[1_019]!, personalId: rows[9]!['personalId'] };
    const result = await ok(agent, 'records.import', { dataset: BIRTHS, csv: registerCsv(BIRTHS, rows) });
    assert.deepEqual([result.imported, result.refused, result.alreadyPresent], [1_048, 2, 0]);
    assert.deepEqual(result.refusals.map((r) => [r.line, r.problems[0]?.code]), [
      [701, 'unknown_commune'],
      [1_021, 'duplicate_in_file'],
    ]);
    assert.match(result.refusals[1]!.problems[0]!.messages.en, /repeats line 11 of the file/);
    assert.equal((await ok(agent, 'outbox.list', { limit: 1 })).total, 1_048);
    assert.deepEqual(await ok(agent, 'audit.verify', {}), { ok: true, events: (await counts(agent, BIRTHS)).audit, brokenAt: null });
    await agent.close();
  });

  test('a code or personal ID number a spreadsheet kept as a number, its leading zeros lost, is refused as it is, saying how to keep the column as text', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const row = samples(308).sample(BIRTHS, '01');
    const csv = registerCsv(BIRTHS, [{ ...row, provinceCode: '1', personalId: String(row['personalId']).replace(/^0+/, '') }]);
    const result = await ok(agent, 'records.import', { dataset: BIRTHS, csv });
    assert.equal(result.imported, 0);
    const problems = result.refusals[0]!.problems;
    for (const field of ['provinceCode', 'personalId']) {
      const problem = problems.find((p) => p.field === field);
      assert.ok(problem, `${field}: ${JSON.stringify(problems)}`);
      assert.match(problem.messages.vi, /bỏ mất các số 0 ở đầu: trong Excel, hãy định dạng cột là Văn bản \(Text\)/);
      assert.match(problem.messages.en, /dropped its leading zeros: in Excel, format the column as Text/);
    }
    await agent.close();
  });

  test("a register naming the place of birth and the province ('Phường Hoàn Kiếm', 'Hà Nội'): stored as their codes; a merged province ('Hà Giang') refused, saying which province it is part of; the dry run says the same", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(309);
    const rows = [
      { ...gen.sample(BIRTHS, '01', ['00004']), placeOfBirthCommuneCode: 'Phường Hoàn Kiếm', provinceCode: 'Hà Nội', communeCode: 'ba dinh' },
      { ...gen.sample(BIRTHS, '01', ['00004']), provinceCode: 'Hà Giang' },
    ];
    const csv = registerCsv(BIRTHS, rows);
    const dry = await ok(agent, 'records.import', { dataset: BIRTHS, csv, dryRun: true });
    const result = await ok(agent, 'records.import', { dataset: BIRTHS, csv });
    assert.deepEqual({ ...dry, dryRun: false }, result, 'the dry run reports what the import does');
    assert.deepEqual([result.imported, result.refused], [1, 1]);
    assert.deepEqual(result.refusals[0]!.problems.map((p) => [p.column, p.code, p.messages.vi]), [
      ['Mã tỉnh', 'province_merged', 'Mã tỉnh “Hà Giang”: Tỉnh Hà Giang đã sáp nhập vào Tỉnh Tuyên Quang từ ngày 01/07/2025. Nếu đúng, hãy ghi mã tỉnh 08.'],
    ]);
    const [stored] = (await ok(agent, 'records.list', { dataset: BIRTHS })).items;
    assert.deepEqual(stored?.data, { ...rows[0], placeOfBirthCommuneCode: '00070', provinceCode: '01', communeCode: '00004' });
    await agent.close();
  });

  test('imported records reach the national platform at the next sync', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(306);
    const rows = Array.from({ length: 3 }, () => gen.sample(BIRTHS, '01'));
    const result = await ok(agent, 'records.import', { dataset: BIRTHS, csv: registerCsv(BIRTHS, rows) });
    assert.equal(result.imported, 3);
    await syncOk(agent);
    const national = [...(await platformLive(env.p, BIRTHS)).values()].map((r) => r.data);
    for (const row of rows) assert.deepEqual(national.find((d) => d?.['personalId'] === row['personalId']), row, 'the platform holds the record as imported');
    assert.equal((await ok(agent, 'outbox.list', {})).total, 0);
    await agent.close();
  });
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import type { AgentService } from '../../sync-engine/src/index.js';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { fieldConflicts, pulledRecords } from './support/national-changes.js';

const BIRTHS = 'civil-status-births';
/** A note with a comma, quotes and a line break: one quoted cell. */
const TRICKY_NOTE = 'Sổ 2, quyển "A"\ndòng 2';

interface ExportedEvent {
  actor: string;
  dataset: string;
  details: { origin: string; file: string; format: string; records: number; bytes: number; filter: { search: string | null; state: string | null }; lang: string };
}

async function exportedEvents(agent: AgentService): Promise<ExportedEvent[]> {
  const rows = await agent.store.sql.all<{ actor: string; dataset: string; details: string }>(
    `SELECT "actor", "dataset", "details" FROM "audit_log" WHERE "action" = 'records.exported' ORDER BY "seq"`,
  );
  return rows.map((r) => ({ actor: r.actor, dataset: r.dataset, details: JSON.parse(r.details) as ExportedEvent['details'] }));
}

function rowsOf(text: string): string[][] {
  return parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
}

/** records.export: the Records list's records as a CSV people open in Excel and records.import takes back. */
describe('records.export', () => {
  const env = platformPerSuite();
  const { temp } = env;
  let tablePut = false;
  /** The whole table of units (admin-units records) on the suite's platform, put once: the units the platform and its agents validate by from then on. */
  const wholeTable = async () => {
    if (tablePut) return;
    await env.p.platform.admin.putRecords('admin-units', samples().adminUnitRecords().map((data) => ({ data })));
    tablePut = true;
  };
  const unitRecord = async (communeCode: unknown) => (await env.p.platform.admin.listRecords('admin-units')).find((r) => r.data?.['communeCode'] === communeCode)!;

  test('a BOM, the titles in Vietnamese, dates day/month/year, labels, diacritics, a quoted note; no deleted record; a conflict as this office has it; the audit log says who, what and where', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const gen = samples(401);
    const [national, conflicted, gone] = await pulledRecords(agent, env.p, BIRTHS, [
      { ...gen.sample(BIRTHS, '01'), fullName: 'Nguyễn Thị Hương' },
      gen.sample(BIRTHS, '01'),
      gen.sample(BIRTHS, '01'),
    ]);
    await fieldConflicts(agent, env.p, BIRTHS, [conflicted]);
    await ok(agent, 'records.delete', { dataset: BIRTHS, id: gone.id });
    const local: Record<string, unknown> = { ...gen.sample(BIRTHS, '01'), fullName: 'Đặng Văn Ấn', notes: TRICKY_NOTE };
    const written = await ok(agent, 'records.put', { dataset: BIRTHS, data: local });
    const twoLines: Record<string, unknown> = { ...gen.sample(BIRTHS, '01'), notes: 'Dòng 1\nDòng 2' };
    await ok(agent, 'records.put', { dataset: BIRTHS, data: twoLines });

    const called = await agent.call('records.export', { dataset: BIRTHS, lang: 'vi' }, { user: 'Lê Thị Lan' });
    assert.ok(called.ok, JSON.stringify(called));
    const made = called.value;
    assert.equal(made.records, 4, 'the national record, the conflict and the two local ones; not the deleted one');
    assert.equal(dirname(made.path), join(dataDir, 'exports'), 'into the data folder: the caller chooses no path');
    assert.match(basename(made.path), /^civil-status-births-\d{8}T\d{6}Z\.csv$/);
    const bytes = readFileSync(made.path);
    assert.equal(made.bytes, bytes.length);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark, for Excel');
    const text = bytes.toString('utf8');
    assert.ok(text.includes(`"Sổ 2, quyển ""A""\ndòng 2"`), 'a comma, quotes and a line break in one quoted cell, quotes doubled');
    assert.ok(text.includes(`,"Dòng 1\nDòng 2",`), 'a line break alone is quoted too');
    assert.ok(text.includes('\r\n'), 'CRLF lines');

    const [header, ...rows] = rowsOf(text);
    assert.deepEqual(header!.slice(0, 4), ['Số đăng ký khai sinh', 'Họ và tên', 'Giới tính', 'Ngày sinh']);
    assert.equal(header!.at(-1), 'Trạng thái đồng bộ');
    const col = (title: string) => header!.indexOf(title);
    const byId = new Map(rows.map((r) => [r[col('Số định danh cá nhân')]!, r]));
    assert.equal(byId.size, 4);
    assert.equal(byId.get(String(twoLines['personalId']))![col('Ghi chú')], 'Dòng 1\nDòng 2');
    assert.equal(byId.has(String(gone.data['personalId'])), false, 'a deleted record is not exported');

    const huong = byId.get(String(national.data['personalId']))!;
    assert.equal(huong[col('Họ và tên')], 'Nguyễn Thị Hương', 'Vietnamese letters intact');
    const [y, m, d] = String(national.data['birthDate']).split('-');
    assert.equal(huong[col('Ngày sinh')], `${d}/${m}/${y}`, 'dates day/month/year, as the form shows them');
    assert.equal(huong[col('Giới tính')], national.data['gender'] === 'female' ? 'Nữ' : 'Nam', 'a choice by its Vietnamese label');
    assert.equal(huong.at(-1), 'Đã đồng bộ');

    const conflict = byId.get(String(conflicted.data['personalId']))!;
    assert.equal(conflict[col('Công chức hộ tịch')], 'Cán bộ xã', "a conflict exports this office's current version");
    assert.equal(conflict.at(-1), 'Xung đột');

    const mine = byId.get(String(local['personalId']))!;
    assert.equal(mine[col('Họ và tên')], 'Đặng Văn Ấn');
    assert.equal(mine[col('Ghi chú')], TRICKY_NOTE, 'the note reads back as written');
    assert.equal(mine.at(-1), 'Chờ gửi');
    assert.ok(written.id);

    const events = await exportedEvents(agent);
    assert.deepEqual(events, [
      {
        actor: 'Lê Thị Lan',
        dataset: BIRTHS,
        details: { origin: 'window', file: made.path, format: 'csv', records: 4, bytes: made.bytes, filter: { search: null, state: null }, lang: 'vi' },
      },
    ]);
    assert.equal((await ok(agent, 'audit.verify', {})).ok, true);
    await agent.close();
  });

  test('English titles and labels; the search text and the state filter honoured, and said in the audit log', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(402);
    // The platform is the suite's: names no other test writes.
    await pulledRecords(agent, env.p, BIRTHS, [{ ...gen.sample(BIRTHS, '01'), fullName: 'Võ Thị Thu Hà' }, { ...gen.sample(BIRTHS, '01'), fullName: 'Trần Văn Nam' }]);
    await ok(agent, 'records.put', { dataset: BIRTHS, data: { ...gen.sample(BIRTHS, '01'), fullName: 'Võ Thị Thu Hà Lan' } });

    const found = await ok(agent, 'records.export', { dataset: BIRTHS, search: 'vo thi thu ha', lang: 'en' });
    const [header, ...rows] = rowsOf(readFileSync(found.path, 'utf8'));
    assert.deepEqual(header!.slice(0, 4), ['Registration number', 'Full name', 'Gender', 'Date of birth']);
    assert.equal(header!.at(-1), 'Sync state');
    assert.deepEqual(rows.map((r) => r[1]).sort(), ['Võ Thị Thu Hà', 'Võ Thị Thu Hà Lan'], 'typed without accents, as the Records list finds them');
    assert.ok(rows.every((r) => ['Male', 'Female'].includes(r[2]!)), 'choices by their English label');
    assert.equal(found.records, 2);

    const waiting = await ok(agent, 'records.export', { dataset: BIRTHS, search: 'vo thi', state: 'waiting', lang: 'en' });
    const [, ...waitingRows] = rowsOf(readFileSync(waiting.path, 'utf8'));
    assert.deepEqual(waitingRows.map((r) => [r[1], r.at(-1)]), [['Võ Thị Thu Hà Lan', 'Waiting']]);
    const synced = await ok(agent, 'records.export', { dataset: BIRTHS, state: 'synced', lang: 'en' });
    const listed = (await ok(agent, 'records.list', { dataset: BIRTHS, state: 'synced', limit: 1 })).total;
    assert.ok(listed >= 2);
    assert.equal(synced.records, listed, 'as many as the Records list counts for the state');
    const [, ...syncedRows] = rowsOf(readFileSync(synced.path, 'utf8'));
    assert.ok(syncedRows.every((r) => r.at(-1) === 'Synced'));
    assert.notEqual(synced.path, waiting.path, 'each export its own file');

    const events = await exportedEvents(agent);
    assert.deepEqual(
      events.map((e) => [e.details.records, e.details.filter, e.details.lang]),
      [
        [2, { search: 'vo thi thu ha', state: null }, 'en'],
        [1, { search: 'vo thi', state: 'waiting' }, 'en'],
        [listed, { search: null, state: 'synced' }, 'en'],
      ],
    );

    // The folder keeps the newest 20: copies of personal data do not pile up.
    for (let i = 0; i < 20; i += 1) await ok(agent, 'records.export', { dataset: BIRTHS, state: 'rejected' });
    const kept = readdirSync(dirname(found.path));
    assert.equal(kept.length, 20);
    assert.equal(kept.includes(basename(found.path)), false, `the oldest removed: ${basename(found.path)} in ${kept.join(' ')}`);
    assert.equal((await exportedEvents(agent)).length, 23, 'each one in the audit log, removed or not');
    await agent.close();
  });

  test("beside each commune and province code, the unit's name from this agent's cached units; a code the cache does not hold leaves the name empty", async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(404);
    const [known, other] = [gen.sample(BIRTHS, '01'), gen.sample(BIRTHS, '01')];
    const units = gen.adminUnitRecords();
    const unitOf = (code: unknown) => units.find((u) => u.communeCode === code)!;
    const registering = unitOf(known['communeCode']);
    // The platform's units as this agent caches them: one renamed there, so the name written is the cache's,
    // not the bundled table's; the other record's place of birth removed from the table after the platform took
    // the record (a reform): the record stays, its commune's name is unknown.
    assert.ok(![known['placeOfBirthCommuneCode'], known['communeCode']].includes(other['placeOfBirthCommuneCode']), 'a place of birth the cache will not hold');
    await wholeTable();
    const renamed = await unitRecord(known['placeOfBirthCommuneCode']);
    await env.p.platform.admin.putRecord('admin-units', { ...renamed.data, communeName: 'Xã Thử Nghiệm' }, { id: renamed.id });
    await env.p.platform.admin.putRecord(BIRTHS, other);
    const removed = await unitRecord(other['placeOfBirthCommuneCode']);
    await env.p.platform.admin.deleteRecord('admin-units', removed.id);
    await syncOk(agent);
    await ok(agent, 'records.put', { dataset: BIRTHS, data: known });

    const vi = await ok(agent, 'records.export', { dataset: BIRTHS, lang: 'vi' });
    const [header, ...rows] = rowsOf(readFileSync(vi.path, 'utf8'));
    assert.deepEqual(header!.slice(3, 7), ['Ngày sinh', 'Nơi sinh (mã xã)', 'Nơi sinh (mã xã) — tên xã', 'Số định danh cá nhân'], 'the name right after the code');
    assert.deepEqual(header!.slice(-6), ['Mã tỉnh', 'Mã tỉnh — tên tỉnh', 'Mã xã nơi đăng ký', 'Mã xã nơi đăng ký — tên xã', 'Ghi chú', 'Trạng thái đồng bộ']);
    const col = (title: string) => header!.indexOf(title);
    const byId = new Map(rows.map((r) => [r[col('Số định danh cá nhân')]!, r]));
    const first = byId.get(String(known['personalId']))!;
    assert.equal(first[col('Nơi sinh (mã xã)')], known['placeOfBirthCommuneCode'], 'the code stays as it is');
    assert.equal(first[col('Nơi sinh (mã xã) — tên xã')], 'Xã Thử Nghiệm');
    assert.equal(first[col('Mã tỉnh — tên tỉnh')], registering.provinceName);
    assert.equal(first[col('Mã xã nơi đăng ký — tên xã')], registering.communeName);
    assert.ok(registering.communeName !== '' && registering.provinceName !== '');
    const second = byId.get(String(other['personalId']))!;
    assert.equal(second[col('Nơi sinh (mã xã)')], other['placeOfBirthCommuneCode']);
    assert.equal(second[col('Nơi sinh (mã xã) — tên xã')], '', 'an unknown code: an empty name');

    const en = await ok(agent, 'records.export', { dataset: BIRTHS, lang: 'en', state: 'waiting', stateColumn: false });
    const [enHeader] = rowsOf(readFileSync(en.path, 'utf8'));
    assert.deepEqual(enHeader!.slice(4, 6), ['Place of birth (commune code)', 'Place of birth (commune code) — commune name']);
    assert.deepEqual(enHeader!.slice(-5), ['Province code', 'Province code — province name', 'Registering commune code', 'Registering commune code — commune name', 'Notes']);

    const ofUnits = await ok(agent, 'records.export', { dataset: 'admin-units', lang: 'vi', stateColumn: false });
    const [unitsHeader, ...unitRows] = rowsOf(readFileSync(ofUnits.path, 'utf8'));
    assert.deepEqual(unitsHeader, ['Mã tỉnh', 'Tên tỉnh', 'Loại đơn vị cấp tỉnh', 'Mã xã', 'Tên xã', 'Loại đơn vị cấp xã'], 'the units themselves: their names are columns already');
    assert.equal(unitRows.length, units.length - 1);
    await agent.close();
    // The table as it was, for the suite's next tests.
    await env.p.platform.admin.putRecord('admin-units', renamed.data!, { id: renamed.id });
    await env.p.platform.admin.putRecord('admin-units', removed.data!);
  });

  test("an export records.import takes back into another office's agent: the same records, field by field", async () => {
    const first = await enrolledAgent(temp, env.p);
    const gen = samples(403);
    const originals = [
      { ...gen.sample(BIRTHS, '01'), fullName: 'Nguyễn Thị Hương', notes: TRICKY_NOTE },
      { ...gen.sample(BIRTHS, '01'), fullName: 'Đặng Văn Ấn' },
      gen.sample(BIRTHS, '01'),
    ];
    // The first record's place of birth among the cached units: its name goes out beside the code.
    const unit = gen.adminUnitRecords().find((u) => u.communeCode === originals[0]!['placeOfBirthCommuneCode'])!;
    await wholeTable();
    await syncOk(first.agent);
    // Written here and never synced: the platform, and so the other office, never had them.
    for (const data of originals) await ok(first.agent, 'records.put', { dataset: BIRTHS, data });
    const made = await ok(first.agent, 'records.export', { dataset: BIRTHS, lang: 'vi', stateColumn: false });
    await first.agent.close();
    const csv = readFileSync(made.path, 'utf8');
    const [header, ...rows] = rowsOf(csv);
    const names = header!.indexOf('Nơi sinh (mã xã) — tên xã');
    assert.ok(names > 0, header!.join(' | '));
    assert.ok(rows.some((r) => r[names] === unit.communeName), 'a name written beside its code');

    const second = await enrolledAgent(temp, env.p);
    const imported = await ok(second.agent, 'records.import', { dataset: BIRTHS, csv, source: basename(made.path) });
    assert.deepEqual({ imported: imported.imported, refused: imported.refused, refusals: imported.refusals }, { imported: 3, refused: 0, refusals: [] }, 'the names left out, not refused as unknown columns');
    const stored = (await ok(second.agent, 'records.list', { dataset: BIRTHS, limit: 100 })).items;
    const byPersonalId = new Map(stored.map((r) => [String(r.data?.['personalId']), r.data]));
    for (const data of originals) assert.deepEqual(byPersonalId.get(String(data.personalId)), data);
    const again = await ok(second.agent, 'records.import', { dataset: BIRTHS, csv, source: basename(made.path) });
    assert.deepEqual([again.imported, again.alreadyPresent, again.refused], [0, rows.length, 0], 'importing it again adds nothing');
    await second.agent.close();
  });

  test("the window's export (with its sync state column) goes back in too, and a note a spreadsheet would run as a formula goes out with an apostrophe and comes back as typed", async () => {
    const first = await enrolledAgent(temp, env.p);
    const gen = samples(409);
    const formula = '=HYPERLINK("http://example.invalid/","Bấm vào đây")';
    const originals = [{ ...gen.sample(BIRTHS, '01'), notes: formula }, { ...gen.sample(BIRTHS, '01'), notes: '-2 bản sao' }, gen.sample(BIRTHS, '01')];
    for (const data of originals) await ok(first.agent, 'records.put', { dataset: BIRTHS, data });
    // The Records list filtered to this office's waiting changes: the platform's records pulled at enrollment stay out.
    const made = await ok(first.agent, 'records.export', { dataset: BIRTHS, lang: 'vi', state: 'waiting' });
    await first.agent.close();

    const text = readFileSync(made.path, 'utf8');
    const [header, ...rows] = rowsOf(text);
    assert.equal(header!.at(-1), 'Trạng thái đồng bộ');
    const notes = header!.indexOf('Ghi chú');
    assert.ok(notes >= 0, header!.join(' | '));
    // Excel and LibreOffice read a cell starting with = + - @ as a formula; the apostrophe makes it text.
    assert.deepEqual(rows.map((r) => r[notes]).sort(), [`'${formula}`, "'-2 bản sao", ''].sort());

    const second = await enrolledAgent(temp, env.p);
    const imported = await ok(second.agent, 'records.import', { dataset: BIRTHS, csv: text, source: basename(made.path) });
    assert.deepEqual({ imported: imported.imported, refused: imported.refused, refusals: imported.refusals }, { imported: 3, refused: 0, refusals: [] });
    const stored = (await ok(second.agent, 'records.list', { dataset: BIRTHS, limit: 100 })).items;
    const byPersonalId = new Map(stored.map((r) => [String(r.data?.['personalId']), r.data]));
    for (const data of originals) assert.deepEqual(byPersonalId.get(String(data.personalId)), data);
    await second.agent.close();
  });
});

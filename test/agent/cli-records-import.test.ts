import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { localUserName } from '../../sync-engine/src/service/local-user.js';
import { enrolledAgent, platformPerSuite, samples } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { registerCsv } from './support/register-csv.js';

const BIRTHS = 'civil-status-births';

/** `edge-agent records import`: local IT loads an office's spreadsheet register. */
describe('edge-agent records import', () => {
  const env = platformPerSuite();
  const { temp } = env;

  async function office(seed: number, count: number) {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    await agent.close();
    const gen = samples(seed);
    const rows = Array.from({ length: count }, () => gen.sample(BIRTHS, '01'));
    return { dataDir, rows, folder: temp.make('register-') };
  }

  test('imports the valid rows, lists the refused one by line, column and message, writes it to FILE.refused.csv to fix and import again; exit 1, then 0', async () => {
    const { dataDir, rows, folder } = await office(401, 4);
    const goodId = String(rows[1]!['personalId']);
    rows[1] = { ...rows[1]!, personalId: `099${goodId.slice(3)}` };
    const file = join(folder, 'so-khai-sinh.csv');
    writeFileSync(file, registerCsv(BIRTHS, rows));

    const run = await cli(dataDir, ['records', 'import', BIRTHS, file]);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines[0], `${file} → ${BIRTHS}: 3 bản ghi đã nhập, 0 đã có sẵn (bỏ qua), 1 dòng bị từ chối, trên 4 dòng dữ liệu.`);
    assert.ok(lines.some((l) => l.startsWith('  Dòng 3, cột "Số định danh cá nhân": ')), run.stdout);
    const refusedFile = join(folder, 'so-khai-sinh.refused.csv');
    assert.ok(lines.at(-1)!.startsWith(`Các dòng bị từ chối đã được ghi vào ${refusedFile}`));
    const written = readFileSync(refusedFile, 'utf8');
    const original = registerCsv(BIRTHS, rows).split('\r\n');
    assert.equal(written, `${original[0]}\r\n${original[2]}\r\n`, 'a BOM, the header and the refused row as written');

    const history = await cli(dataDir, ['--json', 'records', 'list', BIRTHS]);
    assert.equal(history.json.total, 3);
    const id = history.json.items[0].id;
    const events = await cli(dataDir, ['--json', 'records', 'history', BIRTHS, id]);
    assert.equal(events.json.items[0].actor, localUserName(), 'the audit log names the CLI’s user, as records put does');
    const line = events.json.items[0].imported.line;
    assert.deepEqual(events.json.items[0].imported, { file: 'so-khai-sinh.csv', line });
    const said = await cli(dataDir, ['records', 'history', BIRTHS, id]);
    assert.ok(said.stdout.includes(`  ${localUserName()}  Tạo bản ghi (nhập từ tệp so-khai-sinh.csv, dòng ${line})\n`), said.stdout);

    writeFileSync(refusedFile, written.replace(`099${goodId.slice(3)}`, goodId));
    const fixed = await cli(dataDir, ['--json', 'records', 'import', BIRTHS, refusedFile]);
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.deepEqual([fixed.json.imported, fixed.json.refused, fixed.json.refusedFile], [1, 0, null]);

    const again = await cli(dataDir, ['--lang', 'en', 'records', 'import', BIRTHS, file.replace('.csv', '.refused.csv')]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /0 records imported, 1 already present \(skipped\), 0 rows refused, of 1 data rows\./);
  });

  test('--dry-run --json says what would be imported and writes nothing: no record, no outbox entry, no refused file', async () => {
    const { dataDir, rows, folder } = await office(402, 3);
    rows[2] = { ...rows[2]!, birthDate: '31/02/2020' };
    const file = join(folder, 'register.csv');
    writeFileSync(file, registerCsv(BIRTHS, rows));
    const dry = await cli(dataDir, ['--json', 'records', 'import', BIRTHS, file, '--dry-run']);
    assert.equal(dry.code, 1, 'a row would be refused');
    assert.deepEqual([dry.json.dryRun, dry.json.imported, dry.json.refused, dry.json.refusedFile], [true, 2, 1, null]);
    assert.deepEqual(dry.json.refusals.map((r: { line: number; problems: Array<{ field: string }> }) => [r.line, r.problems[0]?.field]), [[4, 'birthDate']]);
    assert.match(dry.json.refusals[0].problems[0].messages.vi, /“31\/02\/2020” không phải một ngày có thật: hãy viết ngày\/tháng\/năm/, 'said in the forms a spreadsheet may use, not the stored YYYY-MM-DD');
    assert.equal(existsSync(join(folder, 'register.refused.csv')), false);
    assert.equal((await cli(dataDir, ['--json', 'outbox', 'list'])).json.total, 0);
    assert.equal((await cli(dataDir, ['--json', 'records', 'list', BIRTHS])).json.total, 0);
  });

  test('a file whose header names an unknown column is refused whole, exit 1, nothing written; a file that is not UTF-8 is said to be so', async () => {
    const { dataDir, rows, folder } = await office(403, 2);
    const file = join(folder, 'with-phone.csv');
    writeFileSync(file, registerCsv(BIRTHS, rows, { extraColumns: ['Điện thoại'] }));
    const run = await cli(dataDir, ['--lang', 'en', 'records', 'import', BIRTHS, file]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Nothing was imported: the file's header row does not match the dataset\. Columns that are no field of the dataset: "Điện thoại"\./);
    assert.equal(existsSync(join(folder, 'with-phone.refused.csv')), false);
    assert.equal((await cli(dataDir, ['--json', 'records', 'list', BIRTHS])).json.total, 0);

    const latin1 = join(folder, 'windows-1258.csv');
    writeFileSync(latin1, Buffer.from('Họ và tên\r\nNguyễn\r\n', 'latin1'));
    const wrong = await cli(dataDir, ['records', 'import', BIRTHS, latin1]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /không phải văn bản UTF-8/);
  });
});

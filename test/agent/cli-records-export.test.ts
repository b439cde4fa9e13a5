import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/index.js';
import { localUserName } from '../../sync-engine/src/service/local-user.js';
import { enrolledAgent, ok, platformPerSuite, samples } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const BIRTHS = 'civil-status-births';

/** `edge-agent records export`: a list out of the agent for a report, a printout or another system. */
describe('edge-agent records export', () => {
  const env = platformPerSuite();
  const { temp } = env;

  async function office(seed: number) {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const gen = samples(seed);
    await ok(agent, 'records.put', { dataset: BIRTHS, data: { ...gen.sample(BIRTHS, '01'), fullName: 'Hoàng Thị Mỹ Dung' } });
    await ok(agent, 'records.put', { dataset: BIRTHS, data: { ...gen.sample(BIRTHS, '01'), fullName: 'Lý Văn Đức' } });
    await agent.close();
    return { dataDir, folder: temp.make('export-') };
  }

  test('writes FILE in the chosen language; refuses to overwrite it (exit 1, the file untouched) unless --force; the audit log names the user and the file', async () => {
    const { dataDir, folder } = await office(501);
    const file = join(folder, 'danh-sach.csv');

    const run = await cli(dataDir, ['records', 'export', BIRTHS, '--out', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `Đã xuất 2 bản ghi của ${BIRTHS} vào ${file}.\n`);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.startsWith('\uFEFFSố đăng ký khai sinh,Họ và tên,'), text.slice(0, 60));
    assert.ok(text.includes(',Hoàng Thị Mỹ Dung,') && text.includes(',Lý Văn Đức,'));

    writeFileSync(file, 'kept\n');
    const refused = await cli(dataDir, ['records', 'export', BIRTHS, '--out', file]);
    assert.equal(refused.code, 1, 'an existing file is bad usage (docs/cli.md)');
    assert.equal(refused.stderr, `${file} đã có: chưa ghi gì. Hãy chọn tên tệp khác, hoặc thêm --force để ghi đè.\n`);
    assert.equal(readFileSync(file, 'utf8'), 'kept\n', 'the existing file is untouched');

    const forced = await cli(dataDir, ['--json', '--lang', 'en', 'records', 'export', BIRTHS, '--search', 'ly van duc', '--out', file, '--force']);
    assert.equal(forced.code, 0, forced.stdout);
    assert.deepEqual(forced.json, { dataset: BIRTHS, file, format: 'csv', records: 1, bytes: Buffer.byteLength(readFileSync(file)), lang: 'en' });
    const [header, row] = readFileSync(file, 'utf8').split('\r\n');
    assert.ok(header!.startsWith('\uFEFFRegistration number,Full name,'), header);
    assert.ok(header!.endsWith(',Sync state'));
    assert.ok(row!.includes(',Lý Văn Đức,') && row!.endsWith(',Waiting'), row);

    const agent = await createAgentService({ dataDir, onError: () => undefined });
    const audited = await agent.store.sql.all<{ actor: string; details: string }>(`SELECT "actor", "details" FROM "audit_log" WHERE "action" = 'records.exported' ORDER BY "seq"`);
    await agent.close();
    assert.deepEqual(
      audited.map((e) => ({ actor: e.actor, ...(JSON.parse(e.details) as object) })),
      [
        { actor: localUserName(), origin: 'cli', file, format: 'csv', records: 2, bytes: Buffer.byteLength(text), filter: { search: null, state: null }, lang: 'vi' },
        { actor: localUserName(), origin: 'cli', file, format: 'csv', records: 1, bytes: forced.json.bytes, filter: { search: 'ly van duc', state: null }, lang: 'en' },
      ],
      'the refused run wrote nothing to the log',
    );
  });

  test('--out - writes the CSV to standard output, the summary to standard error; an unknown dataset and a bad state are bad usage', async () => {
    const { dataDir } = await office(502);
    const run = await cli(dataDir, ['records', 'export', BIRTHS, '--state', 'waiting', '--no-state-column']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\r\n');
    assert.ok(lines[0]!.startsWith('\uFEFFSố đăng ký khai sinh,') && lines[0]!.endsWith(',Ghi chú'), 'no sync state column');
    assert.equal(lines.length, 4, 'the header, two records, the last line break');
    assert.equal(run.stderr, `Đã xuất 2 bản ghi của ${BIRTHS}.\n`);

    const unknown = await cli(dataDir, ['records', 'export', 'no-such-dataset', '--out', '-']);
    assert.equal(unknown.code, 1, unknown.stderr);
    assert.match(unknown.stderr, /no-such-dataset/);
    const badState = await cli(dataDir, ['records', 'export', BIRTHS, '--state', 'lost']);
    assert.equal(badState.code, 1);
    const jsonToStdout = await cli(dataDir, ['--json', 'records', 'export', BIRTHS]);
    assert.equal(jsonToStdout.code, 1);
    assert.equal(jsonToStdout.json.error.code, 'invalid_input');
  });
});

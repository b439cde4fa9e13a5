import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { recentLogLines, RotatingLog } from '../../sync-engine/src/adapters/log-file.js';
import { maskName, redact, redactText } from '../../sync-engine/src/ops/redaction.js';
import { enrolledAgent, ok, platformPerSuite, samples, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { damageStoreTable } from '../support/damage-store.js';

const DATASET = 'civil-status-births';
const PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIOx\n-----END PRIVATE KEY-----';

describe('redaction, structured logs and the diagnostics bundle', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('redact removes tokens, passwords, keys and signatures and masks 12-digit IDs and name fields, at any depth', () => {
    const out = redact({
      token: 'tok-secret-123456',
      settings: { proxy: 'http://clerk:s3cret@proxy.xa:3128', adminPort: 7420 },
      headers: { authorization: 'Bearer abc.def', signature: 'sig1=:AAAA:' },
      error: new Error('refused 001203004567 at push'),
      record: { fullName: 'Nguyễn Văn An', fatherName: 'Nguyễn Văn Bình', registrar: 'Trần Thị Cúc', personalId: '001203004567', idNumber: 1203004567, note: `key ${PEM}` },
      list: [{ motherName: 'Lê Thị Dung', applicantName: 'Phạm Văn Em', ownerName: 'Hoàng Văn Phúc', handler: 'Vũ Thị Giang' }],
      text: 'Basic Y2xlcms6czNjcmV0 and 9912030045678 stays (13 digits)',
    }) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const json = JSON.stringify(out);
    for (const secret of ['tok-secret-123456', 's3cret', 'abc.def', 'AAAA', '001203004567', 'MC4CAQAw', 'Y2xlcms6czNjcmV0', 'Văn An', 'Văn Bình', 'Thị Cúc', 'Thị Dung', 'Văn Em', 'Văn Phúc', 'Thị Giang']) {
      assert.ok(!json.includes(secret), `${secret} is gone`);
    }
    assert.equal(out['token'], '[removed]');
    assert.equal(out['settings'].proxy, 'http://clerk:***@proxy.xa:3128');
    assert.equal(out['record'].fullName, 'N. V. A.');
    assert.equal(out['record'].personalId, '**********67');
    assert.match(out['error'].message, /\*{10}67/);
    assert.match(out['text'], /9912030045678/, 'a 13-digit number is not an ID');
    assert.equal(maskName('  Lê   Thị  '), 'L. T.');
    assert.equal(redactText('sig1=:abc+/=:'), 'sig1=:[removed]:');
  });

  test('the log writes one redacted JSON object per line and rotates by size, keeping N files', () => {
    const dir = temp.make('logs-');
    let t = Date.parse('2026-11-26T00:00:00Z');
    const log = new RotatingLog({ dir, maxBytes: 400, maxFiles: 3, now: () => (t += 1000) });
    for (let i = 0; i < 20; i++) log.info('sync.finished', { run: i, token: 'secret-token-value', record: { fullName: 'Nguyễn Văn An', personalId: '001203004567' } });
    assert.deepEqual(readdirSync(dir).sort(), ['agent.log', 'agent.log.1', 'agent.log.2']);
    const all = readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8')).join('');
    assert.ok(!all.includes('secret-token-value') && !all.includes('001203004567') && !all.includes('Văn An'));
    for (const file of readdirSync(dir)) assert.ok(readFileSync(join(dir, file)).length <= 400, `${file} within size`);
    const recent = recentLogLines(dir, 3).map((l) => JSON.parse(l) as { run: number; level: string; event: string; time: string });
    assert.deepEqual(recent.map((l) => l.run), [17, 18, 19]);
    assert.equal(recent[0]?.level, 'info');
    assert.equal(recent[0]?.event, 'sync.finished');
  });

  test('the diagnostics bundle holds version, settings, health, sync runs, logs, doctor and integrity, with no secret or personal data', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const record = samples(41).sample(DATASET, '01');
    await ok(agent, 'records.put', { dataset: DATASET, data: record });
    await agent.close();
    const log = new RotatingLog({ dir: join(dataDir, 'logs') });
    log.warn('record.rejected', { record, token: 'enrollment-token-xyz' });
    assert.equal((await cli(dataDir, ['network', 'set', '--proxy', 'http://clerk:s3cret@127.0.0.1:9', '--bypass', 'localhost'])).code, 0);

    const file = join(temp.make('diag-'), 'diag.json');
    const result = await cli(dataDir, ['--json', 'diagnostics', file]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(file, 'utf8');
    const bundle = JSON.parse(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.equal(bundle['format'], 'ndxp-edge-agent-diagnostics');
    assert.match(bundle['agentVersion'], /^\d+\.\d+\.\d+/);
    assert.equal(bundle['database'].integrity, 'ok');
    assert.ok(Array.isArray(bundle['syncRuns']) && bundle['syncRuns'].length >= 1);
    assert.ok(bundle['status'].latency !== undefined && bundle['status'].health);
    assert.equal(bundle['settings'].proxy, 'http://clerk:***@127.0.0.1:9');
    assert.equal(bundle['doctor'].checks.find((c: { id: string }) => c.id === 'tcp').status, 'fail', 'doctor ran (the proxy refuses)');
    assert.equal(bundle['logs'].at(-1).event, 'record.rejected');
    assert.equal(bundle['logs'].at(-1).token, '[removed]');
    const ids = Object.values(record).filter((v): v is string => typeof v === 'string' && /^\d{12}$/.test(v));
    assert.ok(ids.length > 0, 'the sample carries a personal ID');
    for (const secret of ['s3cret', 'enrollment-token-xyz', 'PRIVATE KEY', ...ids, String(record['fullName'])]) {
      assert.ok(!text.includes(secret), `${secret} is not in the bundle`);
    }
  });

  test('a bundle made after a spell offline holds the spell as one row and the runs before it, from the CLI and from the window alike', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p); // run 1: ok
    await ok(agent, 'settings.update', { platformUrl: 'http://127.0.0.1:9' });
    for (let i = 0; i < 25; i += 1) assert.equal((await ok(agent, 'sync.now', {})).run?.status, 'failed'); // runs 2-26
    type Row = { id: number; status: string; repeats?: { count: number; firstId: number } };
    const spell = (rows: Row[]) => rows.map((r) => [r.id, r.status, r.repeats?.count ?? 1, r.repeats?.firstId ?? r.id]);
    const expected = [
      [26, 'failed', 25, 2],
      [1, 'ok', 1, 1],
    ];

    const made = await ok(agent, 'diagnostics.export', {});
    assert.deepEqual(spell((JSON.parse(readFileSync(made.path, 'utf8')) as { syncRuns: Row[] }).syncRuns), expected, "the window's bundle");
    await agent.close();
    const file = join(temp.make('diag-'), 'spell.json');
    assert.equal((await cli(dataDir, ['--json', 'diagnostics', file])).code, 0);
    assert.deepEqual(spell((JSON.parse(readFileSync(file, 'utf8')) as { syncRuns: Row[] }).syncRuns), expected, "the CLI's bundle");
  });
});

describe('diagnostics of a damaged folder', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a damaged database still yields a bundle whose integrity section reports the damage', async () => {
    const home = temp.make('broken-');
    writeFileSync(join(home, 'agent.sqlite'), Buffer.alloc(8192, 0x42));
    const file = join(temp.make('diag-'), 'd.json');
    const result = await cli(home, ['--json', 'diagnostics', file]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { database: { integrity: string }; doctor: { ok: boolean } };
    assert.equal(bundle.database.integrity, 'problems');
    assert.equal(bundle.doctor.ok, false);
  });

  test('a data file that opens but whose settings cannot be read (a damaged page) still yields a bundle, its doctor section naming the damaged file', async () => {
    const home = temp.make('late-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    const damaged = await damageStoreTable(home, 'settings');
    const file = join(temp.make('diag-'), 'd.json');
    const result = await cli(home, ['--json', 'diagnostics', file]);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as { database: { integrity: string }; doctor: { ok: boolean; checks: Array<{ id: string; messages: { en: string } }> } };
    assert.equal(bundle.database.integrity, 'problems');
    assert.equal(bundle.doctor.ok, false);
    assert.equal(bundle.doctor.checks[0]?.id, 'database');
    assert.ok(bundle.doctor.checks[0]?.messages.en.includes(`The agent's data file ${damaged} is damaged`), bundle.doctor.checks[0]?.messages.en);
  });
});

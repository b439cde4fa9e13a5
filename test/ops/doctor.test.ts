import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { addSite, enrolledAgent, startTestPlatform, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { writeCleanClose } from '../../sync-engine/src/store/clean-close.js';
import { damageStoreTable } from '../support/damage-store.js';
import { makeCertificates } from './support/certificates.js';
import { type Check, checkOf } from './support/doctor-checks.js';

describe('edge-agent doctor', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a stopped platform is diagnosed as a refused TCP connection with the fix, in both languages, exit 2', async () => {
    const p = await startTestPlatform(temp);
    const url = p.url;
    await p.close();
    const home = temp.make('agent-');
    assert.equal((await cli(home, ['init', '--platform', url, '--site', 'ANY'])).code, 0);

    const result = await cli(home, ['--json', 'doctor', '--timeout', '2000']);
    assert.equal(result.code, 2);
    assert.equal(result.json.ok, false);
    const tcp = checkOf(result.json, 'tcp');
    assert.equal(tcp.status, 'fail');
    assert.equal(tcp.detail?.['code'], 'ECONNREFUSED');
    assert.match(tcp.messages.en, /refuses connections.*check the address/);
    assert.match(tcp.messages.vi, /từ chối kết nối/);
    assert.equal(checkOf(result.json, 'dns').status, 'ok');
    assert.equal(checkOf(result.json, 'health').status, 'skipped');
  });

  test('a clock an hour behind is diagnosed as clock skew, and the signed catalog call is refused for it', async () => {
    const p = await startTestPlatform(temp);
    try {
      const { agent, dataDir } = await enrolledAgent(temp, p, { sync: false });
      await agent.close();
      const healthy = await cli(dataDir, ['--json', 'doctor']);
      assert.equal(healthy.code, 0, JSON.stringify(healthy.json));
      assert.equal(checkOf(healthy.json, 'credentials').status, 'ok');

      const wrongClock = { onError: () => undefined, now: () => Date.now() - 3_600_000 };
      const result = await cli(dataDir, ['--json', 'doctor'], { service: wrongClock });
      assert.equal(result.code, 3, 'a clock the platform refuses is not authorised (exit 3), as sync exits for clock_skew');
      const clock = checkOf(result.json, 'clock');
      assert.equal(clock.status, 'fail');
      assert.ok(Math.abs((clock.detail?.['skewSeconds'] as number) - 3600) < 30, `skew ~3600 s, got ${String(clock.detail?.['skewSeconds'])}`);
      assert.match(clock.messages.en, /^This computer's clock is 1 hour behind the platform's, so signatures are refused: .*NTP; Linux: sudo timedatectl set-ntp true/);
      assert.match(clock.messages.vi, /^Đồng hồ máy này chạy chậm 1 giờ so với nền tảng/);
      assert.match(clock.messages.vi, /NTP/);
      const credentials = checkOf(result.json, 'credentials');
      assert.equal(credentials.status, 'fail');
      assert.equal(credentials.detail?.['code'], 'clock_skew');
    } finally {
      await p.close();
    }
  });

  test('a platform certificate from an unknown CA is diagnosed as untrusted; with the CA file in the settings every check passes', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    try {
      assert.match(p.url, /^https:\/\/127\.0\.0\.1:/);
      const site = await addSite(p);
      const home = temp.make('agent-');
      assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);

      const untrusted = await cli(home, ['--json', 'doctor']);
      assert.equal(untrusted.code, 2);
      const tls = checkOf(untrusted.json, 'tls');
      assert.equal(tls.status, 'fail');
      assert.match(String(tls.detail?.['code']), /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER/);
      assert.match(tls.messages.en, /untrusted CA.*edge-agent network set --ca-file <file\.pem> \(in a provisioning file: caFiles\)/);

      assert.equal((await cli(home, ['network', 'set', '--ca-file', certs.caFile])).code, 0);
      const token = await p.platform.admin.createToken({ site });
      const enrolled = await cli(home, ['enroll', '--token', token]);
      assert.equal(enrolled.code, 0, enrolled.stderr);

      const trusted = await cli(home, ['--json', 'doctor']);
      assert.equal(trusted.code, 0, JSON.stringify(trusted.json, null, 2));
      assert.deepEqual(trusted.json.checks.map((c: Check) => [c.id, c.status]), [
        ['settings', 'ok'],
        ['dns', 'ok'],
        ['tcp', 'ok'],
        ['tls', 'ok'],
        ['health', 'ok'],
        ['clock', 'ok'],
        ['credentials', 'ok'],
      ]);
      assert.equal(checkOf(trusted.json, 'tls').detail?.['subject'], 'localhost');
    } finally {
      await p.close();
    }
  });

  test('a --timeout that is not a number of milliseconds is bad usage (exit 1) naming the option, not a crash', async () => {
    const home = temp.make('agent-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'ANY'])).code, 0);
    for (const timeout of ['abc', '0', '-5', '1.5']) {
      const result = await cli(home, ['--lang', 'en', 'doctor', '--timeout', timeout]);
      assert.equal(result.code, 1, `--timeout ${timeout}`);
      assert.match(result.stderr, /--timeout <ms>.*expected a whole number of milliseconds/, `--timeout ${timeout}`);
    }
  });

  test('a missing CA file is refused by network set, naming the file', async () => {
    const home = temp.make('agent-');
    const result = await cli(home, ['--lang', 'en', 'network', 'set', '--ca-file', '/nonexistent/ca.pem']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\/nonexistent\/ca\.pem/);
  });
});

describe('edge-agent doctor on a damaged folder', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a file that is not a database is diagnosed as the damaged data file with how to restore it, exit 4, not a crash', async () => {
    const home = temp.make('broken-');
    const file = join(home, 'agent.sqlite');
    writeFileSync(file, Buffer.alloc(8192, 0x42));
    const result = await cli(home, ['--json', 'doctor']);
    assert.equal(result.code, 4);
    assertDamaged(checkOf(result.json, 'database'), home, file);
  });

  test('a data file that opens but whose settings cannot be read (a damaged page) is diagnosed the same, in both languages, exit 4, not a stack trace', async () => {
    const home = temp.make('late-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    const file = await damageStoreTable(home, 'settings');

    const json = await cli(home, ['--json', 'doctor', '--timeout', '500']);
    assert.equal(json.code, 4, json.stderr);
    assert.equal(json.json.ok, false);
    assertDamaged(checkOf(json.json, 'database'), home, file);

    for (const lang of ['vi', 'en'] as const) {
      const human = await cli(home, ['--lang', lang, 'doctor', '--timeout', '500']);
      assert.equal(human.code, 4, human.stderr);
      assert.match(human.stdout, lang === 'vi' ? /✗ database +Tệp dữ liệu của tác tử .* bị hỏng/ : /✗ database +The agent's data file .* is damaged/);
      assert.doesNotMatch(human.stdout + human.stderr, /SqliteError|\n\s+at |Error: SQLITE_CORRUPT/);
    }
  });

  test('a data file damaged where doctor reads nothing (the records table), which run and status refuse, fails its database check the same, exit 4', async () => {
    const home = temp.make('records-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    const file = await damageStoreTable(home, 'records');
    const status = await cli(home, ['--lang', 'en', 'status']);
    assert.equal(status.code, 4, 'status refuses the file');
    assert.match(status.stderr, /is damaged/);

    const json = await cli(home, ['--json', 'doctor', '--timeout', '500']);
    assert.equal(json.code, 4, json.stdout);
    assert.equal(json.json.ok, false);
    assertDamaged(checkOf(json.json, 'database'), home, file);
  });

  test("doctor reads the whole file even when a clean close's note vouches for it (damage from the disk itself changes no time), exit 4", async () => {
    const home = temp.make('noted-');
    assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
    const file = await damageStoreTable(home, 'records');
    // As if the page had rotted after the agent's last clean close: the note matches the file as it is.
    assert.equal(writeCleanClose(file, Date.now(), Date.now()), true);

    const json = await cli(home, ['--json', 'doctor', '--timeout', '500']);
    assert.equal(json.code, 4, json.stdout);
    assertDamaged(checkOf(json.json, 'database'), home, file);
  });
});

/** The damaged-file wording `run` and the in-process commands use: the file, not to delete it, the restore command, where the backups are. */
function assertDamaged(check: Check, home: string, file: string): void {
  assert.equal(check.status, 'fail');
  const { vi, en } = check.messages;
  for (const part of [`Tệp dữ liệu của tác tử ${file} bị hỏng`, 'đừng xóa tệp này', `"edge-agent --home ${home} restore <tệp sao lưu>"`, `Bản sao lưu tự động nằm trong ${join(home, 'backups')}`]) {
    assert.ok(vi.includes(part), `${part} in: ${vi}`);
  }
  for (const part of [`The agent's data file ${file} is damaged`, 'do not delete it', `"edge-agent --home ${home} restore <backup file>"`]) {
    assert.ok(en.includes(part), `${part} in: ${en}`);
  }
}

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { formatDateTime } from '../../renderer/src/model/format.js';
import { createAdminApiClient, readAdminToken } from '../../sync-engine/src/admin-api/index.js';
import { runService } from '../../sync-engine/src/cli/commands/run.js';
import { adminApiUrl, readServiceFile } from '../../sync-engine/src/index.js';
import { addSite, platformLive, restartPlatform, samples, startTestPlatform, TempDirs, type TestPlatform } from './support/agent-fixture.js';
import { cli, cliProcess } from './support/cli-runner.js';
import { eventually } from './support/fake-time.js';

const DATASET = 'civil-status-births';

describe('the edge-agent command, end to end', () => {
  const temp = new TempDirs();
  let p: TestPlatform;
  let home: string;
  let site: string;
  let agentId: string;
  before(async () => {
    p = await startTestPlatform(temp);
    home = temp.make('cli-home-');
    site = await addSite(p);
  });
  after(async () => {
    await p.close();
    temp.cleanup();
  });

  test('init and enroll set the agent up; a used token is refused with exit code 3', async () => {
    const badSchedule = await cli(home, ['--json', 'init', '--platform', p.url, '--site', site, '--schedule', '61 * * * *']);
    assert.equal(badSchedule.code, 1);
    assert.equal(badSchedule.json.error.code, 'validation_failed');

    const init = await cli(home, ['--json', 'init', '--platform', p.url, '--site', site]);
    assert.equal(init.code, 0, init.stderr);
    assert.deepEqual({ platformUrl: init.json.platformUrl, siteCode: init.json.siteCode, schedule: init.json.schedule }, { platformUrl: p.url, siteCode: site, schedule: '*/5 * * * *' });

    const token = await p.platform.admin.createToken({ site });
    const enroll = await cli(home, ['--json', 'enroll', '--token', token]);
    assert.equal(enroll.code, 0, enroll.stdout + enroll.stderr);
    assert.equal(enroll.json.status, 'active');
    agentId = enroll.json.agentId;
    // Right after enrollment nothing has checked the connection: not known, so not said to be offline.
    const fresh = await cli(home, ['--json', 'status']);
    assert.equal(fresh.json.health.state, 'unchecked');
    assert.equal(fresh.json.health.code, 'never_checked');
    assert.match((await cli(home, ['status'])).stdout, /^Kết nối: Chưa kiểm tra — Chưa kiểm tra kết nối với nền tảng quốc gia\. Máy tự kiểm tra khi đồng bộ/m);

    const again = await cli(home, ['--lang', 'en', 'enroll', '--token', token]);
    assert.equal(again.code, 3);
    assert.match(again.stderr, /already been used/);
  });

  test('records put, sync and status speak JSON with stable shapes; invalid input exits 1', async () => {
    const file = join(temp.make(), 'birth.json');
    const data = samples(61).sample(DATASET, '01');
    writeFileSync(file, JSON.stringify(data));
    const put = await cli(home, ['--json', 'records', 'put', DATASET, file]);
    assert.equal(put.code, 0, put.stdout + put.stderr);
    assert.equal(put.json.state, 'waiting');

    const bad = join(temp.make(), 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...data, personalId: 'abc' }));
    const refused = await cli(home, ['--json', 'records', 'put', DATASET, bad]);
    assert.equal(refused.code, 1);
    assert.equal(refused.json.error.code, 'validation_failed');
    assert.ok(refused.json.error.fieldErrors.some((f: { path: string }) => f.path === '/personalId'));
    assert.equal((await cli(home, ['records', 'put', DATASET, join(home, 'missing.json')])).code, 1);
    assert.equal((await cli(home, ['records', 'list'])).code, 1, 'a missing argument is bad usage');
    const waiting = await cli(home, ['--json', 'outbox', 'list', '--status', 'queued', '--dataset', DATASET]);
    assert.deepEqual([waiting.code, waiting.json.total, waiting.json.items[0]?.recordId], [0, 1, put.json.id]);
    assert.equal((await cli(home, ['--json', 'outbox', 'list', '--status', 'quarantined'])).json.total, 0);
    const badStatus = await cli(home, ['outbox', 'list', '--status', 'stuck']);
    assert.equal(badStatus.code, 1, 'an unknown status is bad usage');
    assert.match(badStatus.stderr, /'stuck' của tùy chọn --status <status> không hợp lệ \(cần một trong: queued, in_flight, quarantined\)/);

    const sync = await cli(home, ['--json', 'sync']);
    assert.equal(sync.code, 0, sync.stdout + sync.stderr);
    assert.equal(sync.json.started, true);
    assert.equal(sync.json.run.status, 'ok');
    assert.equal(sync.json.run.trigger, 'cli');
    assert.equal(sync.json.run.pushed, 1);
    assert.equal(sync.json.outbox.depth, 0);
    assert.equal(sync.json.datasets.find((d: { dataset: string }) => d.dataset === DATASET).digest, 'match');
    assert.ok((await platformLive(p, DATASET)).has(put.json.id));

    const status = await cli(home, ['--json', 'status']);
    assert.equal(status.code, 0);
    assert.equal(status.json.enrollment, 'active');
    assert.equal(status.json.health.state, 'online');

    const human = await cli(home, ['--lang', 'vi', 'status']);
    assert.match(human.stdout, /Đăng ký: đang hoạt động/);
    const found = await cli(home, ['--json', 'records', 'list', DATASET, '--search', String(data['fullName']).normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D')]);
    assert.ok(found.json.items.some((r: { id: string }) => r.id === put.json.id), 'search folds accents');
    const got = await cli(home, ['--json', 'records', 'get', DATASET, put.json.id]);
    assert.deepEqual(got.json.data, data);
    assert.equal((await cli(home, ['--json', 'datasets', 'list'])).json.length, 4);
  });

  test('a conflict is listed, shown and settled from the command line, and the audit log verifies', async () => {
    const [record] = [...(await platformLive(p, DATASET)).entries()];
    const [id, current] = record!;
    await p.platform.admin.putRecord(DATASET, { ...current.data, registrar: 'Cán bộ quốc gia' }, { id, baseRev: current.rev });
    const edit = join(temp.make(), 'edit.json');
    writeFileSync(edit, JSON.stringify({ ...current.data, registrar: 'Cán bộ xã' }));
    assert.equal((await cli(home, ['records', 'put', DATASET, edit, '--id', id])).code, 0);

    const sync = await cli(home, ['--json', 'sync']);
    assert.equal(sync.code, 0, 'a run that found conflicts is done');
    assert.equal(sync.json.run.status, 'conflicts');
    const list = await cli(home, ['--json', 'conflicts', 'list']);
    assert.equal(list.json.total, 1);
    const conflictId = list.json.items[0].id;
    const show = await cli(home, ['--lang', 'en', 'conflicts', 'show', conflictId]);
    assert.match(show.stdout, /Registrar \(registrar\)\s+.*Cán bộ xã\s+Cán bộ quốc gia/);
    const noChoice = await cli(home, ['conflicts', 'resolve', conflictId]);
    assert.equal(noChoice.code, 1);
    const resolved = await cli(home, ['--json', 'conflicts', 'resolve', conflictId, '--field', 'registrar=national']);
    assert.equal(resolved.code, 0, resolved.stdout);
    // The settled one says when, by whom and which choice, in text as in --json.
    const settled = (await cli(home, ['--json', 'conflicts', 'list', '--resolved'])).json.items[0].settled;
    assert.equal(settled.choice, 'fields');
    for (const [lang, heading, choice] of [
      ['en', /Settled at\s+Settled by\s+Choice/, 'chosen field by field'],
      ['vi', /Giải quyết lúc\s+Người giải quyết\s+Đã chọn/, 'chọn từng trường'],
    ] as const) {
      const text = await cli(home, ['--lang', lang, 'conflicts', 'list', '--resolved']);
      assert.equal(text.code, 0, text.stderr);
      assert.match(text.stdout, heading);
      assert.ok(text.stdout.split('\n').some((line) => line.replace(/\s+/g, ' ').endsWith(`${formatDateTime(lang, settled.at)} ${settled.by} ${choice}`)), text.stdout);
    }
    // Shown once settled: its state, when, by whom and which choice in words, and no commands to settle it again.
    for (const [lang, state, line] of [
      ['en', '— settled', `Settled at ${formatDateTime('en', settled.at)} by ${settled.by}: chosen field by field.`],
      ['vi', '— đã giải quyết', `Đã giải quyết lúc ${formatDateTime('vi', settled.at)}, người giải quyết: ${settled.by}, đã chọn: chọn từng trường.`],
    ] as const) {
      const shown = await cli(home, ['--lang', lang, 'conflicts', 'show', conflictId]);
      assert.equal(shown.code, 0, shown.stderr);
      assert.ok(shown.stdout.split('\n')[0]!.endsWith(state), shown.stdout);
      assert.ok(shown.stdout.includes(line), shown.stdout);
      assert.doesNotMatch(shown.stdout, /conflicts resolve/);
    }
    const after = await cli(home, ['--json', 'sync']);
    assert.equal(after.json.run.status, 'ok');
    assert.equal(after.json.openConflicts, 0);
    assert.equal((await platformLive(p, DATASET)).get(id)?.data?.['registrar'], 'Cán bộ quốc gia');

    const audit = await cli(home, ['--json', 'audit', 'verify']);
    assert.equal(audit.code, 0);
    assert.equal(audit.json.ok, true);
    assert.ok(audit.json.events >= 3);
  });

  test('commands go to the running service through its admin API while it holds the folder', async () => {
    const stop = new AbortController();
    const running = runService({ home }, { env: {}, streams: { out: () => undefined, err: () => undefined }, service: { onError: () => undefined } }, { port: 0, syncAtStart: false }, stop.signal);
    await eventually(() => readServiceFile(home) !== null);
    assert.equal(await adminApiUrl(home), readServiceFile(home)?.url, 'the desktop shell finds the running service');
    try {
      const sync = await cli(home, ['--json', 'sync']);
      assert.equal(sync.code, 0, sync.stdout + sync.stderr);
      // The running service performed the run, and its history says the command line asked, not the window's button.
      assert.equal(sync.json.run.trigger, 'cli');
      const runs = await cli(home, ['--json', 'runs', 'list', '--limit', '1']);
      assert.deepEqual(runs.json.map((r: { id: number; trigger: string }) => [r.id, r.trigger]), [[sync.json.run.id, 'cli']]);
      const listed = await cli(home, ['--lang', 'vi', 'runs', 'list', '--limit', '1']);
      assert.match(listed.stdout, /Dòng lệnh/);
      assert.doesNotMatch(listed.stdout, /Bấm đồng bộ/);
      // The window's button (no trigger given) keeps its own; a trigger the history does not know is refused.
      const window = createAdminApiClient({ baseUrl: readServiceFile(home)!.url, token: readAdminToken(home)! });
      try {
        const pressed = await window.call('sync.now', {});
        assert.equal(pressed.ok ? pressed.value.run?.trigger : pressed.error.code, 'manual');
        const odd = await window.call('sync.now', { trigger: 'schedule' } as never);
        assert.equal(odd.ok ? 'ok' : odd.error.code, 'invalid_input');
      } finally {
        window.close();
      }
      const status = await cli(home, ['--lang', 'en', 'status']);
      assert.match(status.stdout, /through the background service/);
      assert.doesNotMatch(status.stdout, /No background service runs here/, 'the running service checks the connection itself');
    } finally {
      stop.abort();
      assert.equal(await running, 0);
    }
    assert.equal(readServiceFile(home), null, 'the service removes its address file when it stops');
    assert.equal(await adminApiUrl(home), 'http://127.0.0.1:7420', 'without a running service: the adminPort setting');
  });

  test('an unreachable platform exits 2, a revoked agent exits 3, through the real launcher', async () => {
    await p.close();
    const down = await cliProcess(home, ['--json', 'sync']);
    assert.equal(down.code, 2, down.stdout + down.stderr);
    assert.equal(down.json.run.error.code, 'network');
    p = await restartPlatform(p);

    await p.platform.admin.revokeAgent(agentId);
    const revoked = await cliProcess(home, ['--lang', 'en', 'sync']);
    assert.equal(revoked.code, 3, revoked.stdout + revoked.stderr);
    assert.match(revoked.stdout, /revoked/);
    const status = await cli(home, ['--json', 'status']);
    assert.equal(status.json.health.state, 'unauthorized');
    assert.equal(status.json.enrollment, 'revoked');
    const version = await cliProcess(home, ['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });
});

describe('edge-agent run --port', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a port that is not a whole number from 0 to 65535 is bad usage (exit 1) naming the option; nothing starts', async () => {
    for (const port of ['abc', '70000', '-1', '80.5']) {
      const home = temp.make('run-port-');
      const result = await cli(home, ['--lang', 'en', 'run', '--port', port]);
      assert.equal(result.code, 1, `--port ${port}: ${result.stderr}`);
      assert.match(result.stderr, /--port <port>.*expected a port number from 0 to 65535/, `--port ${port}`);
      assert.equal(readServiceFile(home), null, `--port ${port}`);
    }
  });
});

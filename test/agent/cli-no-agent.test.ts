import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../sync-engine/src/cli/program.js';
import { TempDirs } from './support/agent-fixture.js';
import { cli, cliProcess } from './support/cli-runner.js';

/** Every command that only reads or acts on an existing agent, with the arguments it needs to get that far. */
function readingCommands(elsewhere: string): string[][] {
  return [
    ['status'],
    ['sync'],
    ['datasets', 'list'],
    ['records', 'list', 'civil-status-births'],
    ['records', 'get', 'civil-status-births', 'some-id'],
    ['records', 'history', 'civil-status-births', 'some-id'],
    ['records', 'put', 'civil-status-births', join(elsewhere, 'record.json')],
    ['records', 'delete', 'civil-status-births', 'some-id'],
    ['outbox', 'list'],
    ['outbox', 'retry'],
    ['outbox', 'discard', '1'],
    ['conflicts', 'list'],
    ['conflicts', 'show', 'some-id'],
    ['conflicts', 'resolve', 'some-id', '--take', 'national'],
    ['audit', 'verify'],
    ['doctor'],
    ['network', 'show'],
    ['backup', join(elsewhere, 'backup.tar.gz')],
    ['diagnostics', join(elsewhere, 'diagnostics.json')],
  ];
}

const VI = (path: string) =>
  `Không có tác tử nào ở thư mục dữ liệu ${path}: ở đó không có tệp dữ liệu agent.sqlite của tác tử (hãy kiểm tra lại --home). Lệnh này không tạo gì và không thay đổi gì. ` +
  `Để cài đặt tác tử ở thư mục này: edge-agent --home ${path} provision TỆP_CẤU_HÌNH, hoặc edge-agent --home ${path} init rồi edge-agent --home ${path} enroll; để đưa lại một bản sao lưu: edge-agent --home ${path} restore TỆP.\n`;

describe('a data folder that holds no agent is refused by the commands that need one, and made by those that set one up', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a mistyped --home (no such folder) and an empty folder: every reading command exits 1 naming the path, in vi and en, and makes nothing', async () => {
    const root = temp.make('cli-no-agent-');
    const elsewhere = temp.make('cli-no-agent-out-');
    const missing = join(root, 'ndxp-edge-agnet', 'typo');
    const empty = temp.make('cli-no-agent-empty-');
    for (const home of [missing, empty]) {
      for (const args of readingCommands(elsewhere)) {
        const vi = await cli(home, args);
        assert.equal(vi.code, 1, `${args.join(' ')}: ${vi.stderr}`);
        assert.equal(vi.stderr, VI(home), args.join(' '));
        assert.equal(vi.stdout, '', args.join(' '));
        const en = await cli(home, ['--lang', 'en', '--json', ...args]);
        assert.equal(en.code, 1, args.join(' '));
        assert.equal(en.json.error.code, 'not_found', args.join(' '));
        assert.match(en.json.error.messages.en, /^There is no agent in the data folder .*: it holds no agent data file agent\.sqlite \(check --home\)\. This command made nothing and changed nothing\. To set up an agent in this folder: edge-agent --home .* provision FILE, or .* init then .* enroll; to put back a backup: .* restore FILE\.$/);
        assert.ok(en.json.error.messages.en.includes(home), 'names the path');
      }
    }
    assert.equal(existsSync(join(root, 'ndxp-edge-agnet')), false, 'no folder made for the mistyped path');
    assert.deepEqual(readdirSync(empty), [], 'nothing made in the empty folder');
    assert.deepEqual(readdirSync(elsewhere), [], 'no backup or bundle written');
  });

  test('the real launcher refuses too; EDGE_AGENT_HOME and the default folder are named as where the path came from', async () => {
    const root = temp.make('cli-no-agent-');
    const spawned = await cliProcess(join(root, 'typo'), ['--lang', 'en', 'status']);
    assert.equal(spawned.code, 1, spawned.stderr);
    assert.match(spawned.stderr, /^There is no agent in the data folder .*typo: .*\(check --home\)/);
    assert.equal(existsSync(join(root, 'typo')), false);

    const run = async (env: NodeJS.ProcessEnv) => {
      let stderr = '';
      const code = await runCli(['node', 'edge-agent', '--lang', 'en', 'status'], {
        env,
        streams: { out: () => undefined, err: (t) => void (stderr += t) },
        service: { onError: () => undefined },
      });
      return { code, stderr };
    };
    const fromEnv = await run({ PATH: process.env['PATH'], EDGE_AGENT_HOME: join(root, 'env-home') });
    assert.equal(fromEnv.code, 1);
    assert.match(fromEnv.stderr, /env-home: .*\(check the EDGE_AGENT_HOME variable, or name the right folder with --home DIR\)/);
    const byDefault = await run({ PATH: process.env['PATH'], HOME: root, XDG_DATA_HOME: join(root, 'xdg') });
    assert.equal(byDefault.code, 1);
    assert.match(byDefault.stderr, /xdg\/ndxp-edge-agent: .*\(this is the default folder; if the agent uses another, name it with --home DIR\)/);
    // Set but empty (a service file or shell left it blank): the default folder, not the current one.
    const blank = await run({ PATH: process.env['PATH'], HOME: root, XDG_DATA_HOME: join(root, 'xdg'), EDGE_AGENT_HOME: '' });
    assert.equal(blank.code, 1);
    assert.equal(blank.stderr, byDefault.stderr);
    assert.deepEqual(readdirSync(root), [], 'nothing made');
  });

  test('the commands that set an agent up still make it in a new or empty folder: init, network set, enroll, restore, run', async () => {
    const root = temp.make('cli-no-agent-');
    const inited = join(root, 'new', 'agent');
    const init = await cli(inited, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001']);
    assert.equal(init.code, 0, init.stderr);
    const status = await cli(inited, ['--json', 'status']);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.json.enrollment, 'not_enrolled');

    const proxied = temp.make('cli-no-agent-empty-');
    const network = await cli(proxied, ['network', 'set', '--proxy', 'http://proxy.xa.local:3128']);
    assert.equal(network.code, 0, network.stderr);
    assert.match((await cli(proxied, ['--json', 'network', 'show'])).json.proxy, /proxy\.xa\.local:3128/);

    // Nothing listens on port 9: the enrollment is tried (exit 2, unreachable), not refused for the folder.
    const enrolling = join(root, 'enroll-here');
    const enroll = await cli(enrolling, ['--json', 'enroll', '--token', 'one-time-token-0123456789', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001']);
    assert.equal(enroll.code, 2, enroll.stdout);
    assert.equal(enroll.json.error.code, 'unreachable');

    const file = join(temp.make('cli-no-agent-out-'), 'backup.tar.gz');
    assert.equal((await cli(inited, ['backup', file])).code, 0);
    const restored = join(root, 'restored');
    const restore = await cli(restored, ['restore', file]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal((await cli(restored, ['--json', 'status'])).json.siteCode, 'HN-001');

    const served = temp.make('cli-no-agent-empty-');
    const stop = new AbortController();
    const service = await cli(served, ['--json', 'run', '--port', '0', '--no-sync-at-start'], { stopSignal: stop.signal, serviceStarted: () => stop.abort() });
    assert.equal(service.code, 0, service.stderr);
    assert.ok(existsSync(join(served, 'agent.sqlite')), 'run made the store');
  });
});

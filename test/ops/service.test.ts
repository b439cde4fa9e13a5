import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { installService, serviceStatus, uninstallService, type CommandRunner } from '../../sync-engine/src/adapters/service-installer.js';
import { serviceFileOf } from '../../sync-engine/src/ops/service-definitions.js';
import { TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const HAS_SYSTEMD_ANALYZE = hasCommand('systemd-analyze');

describe('edge-agent service', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test(
    HAS_SYSTEMD_ANALYZE
      ? 'the systemd unit runs as ndxp-agent, restarts on failure, is hardened, and passes systemd-analyze verify'
      : 'the systemd unit runs as ndxp-agent, restarts on failure and is hardened (content only: systemd-analyze is not installed here)',
    async () => {
      const out = temp.make('unit-');
      const home = temp.make('home-');
      const result = await cli(home, ['--json', 'service', 'install', '--os', 'linux', '--exec', process.execPath, '--output', out]);
      assert.equal(result.code, 0, result.stderr);
      const file = join(out, 'ndxp-edge-agent.service');
      const unit = readFileSync(file, 'utf8');
      for (const line of [
        'User=ndxp-agent',
        'Restart=on-failure',
        'NoNewPrivileges=yes',
        'ProtectSystem=strict',
        'ProtectHome=yes',
        'PrivateTmp=yes',
        'ReadWritePaths=/var/lib/ndxp-edge-agent',
        `ExecStart=${process.execPath} --home /var/lib/ndxp-edge-agent run`,
        'Environment="NODE_OPTIONS=--max-old-space-size=192 --max-semi-space-size=4"',
        'WantedBy=multi-user.target',
      ]) {
        assert.ok(unit.split('\n').includes(line), `unit has ${line}`);
      }
      if (HAS_SYSTEMD_ANALYZE) execFileSync('systemd-analyze', ['verify', file], { stdio: 'pipe' });
    },
  );

  test('--dry-run prints the Windows WinSW definition and the macOS launchd plist with the program-data folders, touching nothing', async () => {
    const home = temp.make('home-');
    const windows = await cli(home, ['--json', 'service', 'install', '--os', 'windows', '--dry-run']);
    assert.equal(windows.code, 0);
    assert.match(windows.json.content, /<id>ndxp-edge-agent<\/id>/);
    assert.match(windows.json.content, /<arguments>--home "C:\\ProgramData\\NDXP Edge Agent" run<\/arguments>/);
    assert.match(windows.json.content, /<onfailure action="restart"/);
    assert.match(windows.json.content, /<env name="NODE_OPTIONS" value="--max-old-space-size=192 --max-semi-space-size=4"\/>/);
    const mac = await cli(home, ['--json', 'service', 'install', '--os', 'macos', '--dry-run']);
    assert.equal(mac.code, 0);
    assert.equal(mac.json.path, '/Library/LaunchDaemons/vn.gov.ndxp.edge-agent.plist');
    assert.match(mac.json.content, /<string>\/Library\/Application Support\/NDXP Edge Agent<\/string>/);
    assert.match(mac.json.content, /<key>KeepAlive<\/key><dict><key>SuccessfulExit<\/key><false\/><\/dict>/);
    assert.match(mac.json.content, /<key>NODE_OPTIONS<\/key><string>--max-old-space-size=192 --max-semi-space-size=4<\/string>/);
    if (hasCommand('xmllint')) {
      const plist = join(temp.make('plist-'), 'a.plist');
      writeFileSync(plist, mac.json.content);
      execFileSync('xmllint', ['--noout', plist]);
    }
  });

  test('install writes the unit and calls useradd, daemon-reload and enable --now through the runner; an existing user is fine; uninstall removes it', async () => {
    const dir = temp.make('etc-');
    const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent' }), path: join(dir, 'ndxp-edge-agent.service') };
    const calls: string[] = [];
    const runner: CommandRunner = async (argv) => {
      calls.push(argv.join(' '));
      if (argv[0] === 'useradd') return { code: 9, stdout: '', stderr: "useradd: user 'ndxp-agent' already exists" };
      if (argv[1] === 'is-active') return { code: 0, stdout: 'active\n', stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    };
    const outcome = await installService('linux', file, '/var/lib/ndxp-edge-agent', runner);
    assert.equal(outcome.ok, true);
    assert.match(readFileSync(file.path, 'utf8'), /User=ndxp-agent/);
    assert.deepEqual(calls, [
      'useradd --system --home-dir /var/lib/ndxp-edge-agent --shell /usr/sbin/nologin ndxp-agent',
      'systemctl daemon-reload',
      'systemctl enable --now ndxp-edge-agent.service',
    ]);
    assert.deepEqual(await serviceStatus('linux', file, runner), { installed: true, running: true, detail: 'active' });
    await uninstallService('linux', file, runner);
    assert.deepEqual(calls.slice(-2), ['systemctl disable --now ndxp-edge-agent.service', 'systemctl daemon-reload']);
    assert.equal((await serviceStatus('linux', file, async () => ({ code: 3, stdout: 'inactive', stderr: '' }))).installed, false);
  });

  test('a failing systemctl stops the install and reports the step', async () => {
    const dir = temp.make('etc-');
    const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent' }), path: join(dir, 'u.service') };
    const outcome = await installService('linux', file, '/var/lib/x', async (argv) => (argv[1] === 'enable' ? { code: 1, stdout: '', stderr: 'Access denied' } : { code: 0, stdout: '', stderr: '' }));
    assert.equal(outcome.ok, false);
    assert.deepEqual(outcome.steps.at(-1), { argv: ['systemctl', 'enable', '--now', 'ndxp-edge-agent.service'], code: 1, stderr: 'Access denied' });
  });
});

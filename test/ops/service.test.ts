import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { installService, serviceStatus, uninstallService, type CommandRunner } from '../../sync-engine/src/adapters/service-installer.js';
import { installFailure, serviceStatusText } from '../../sync-engine/src/cli/commands/service.js';
import { DEFAULT_EXEC, defaultExecutable, LINUX_DESKTOP_EXEC, serviceFileOf, systemdUnit } from '../../sync-engine/src/ops/service-definitions.js';
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

/** systemd-analyze verify's complaints about a unit file (it also exits 0 on settings it ignores). */
function verifyComplaints(file: string): string {
  try {
    return execFileSync('systemd-analyze', ['verify', file], { stdio: 'pipe', encoding: 'utf8' }).trim();
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
}

const OK: CommandRunner = async () => ({ code: 0, stdout: '', stderr: '' });

/**
 * Data folders for Linux installs, made where a server's would be: not under /tmp or /var/tmp, which the unit's
 * PrivateTmp hides from the service, so install refuses them. The project's .tmp/ (else the home folder, when the
 * project itself sits under /tmp).
 */
class DataFolders {
  private readonly dirs: string[] = [];
  make(prefix: string): string {
    const hidden = (dir: string) => /^\/(var\/)?tmp(\/|$)/.test(dir);
    const root = [resolve(import.meta.dirname, '../../.tmp/service-data'), join(homedir(), '.cache', 'ndxp-service-test')].find((dir) => !hidden(dir))!;
    mkdirSync(root, { recursive: true });
    const dir = mkdtempSync(join(root, prefix));
    this.dirs.push(dir);
    return dir;
  }
  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

describe('edge-agent service', () => {
  const temp = new TempDirs();
  const dataFolders = new DataFolders();
  after(() => {
    temp.cleanup();
    dataFolders.cleanup();
  });

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
        'StateDirectory=ndxp-edge-agent',
        'StateDirectoryMode=0700',
        'Environment=EDGE_AGENT_HOME=/var/lib/ndxp-edge-agent',
        `ExecStart=${process.execPath} --home /var/lib/ndxp-edge-agent run`,
        'Environment="NODE_OPTIONS=--max-old-space-size=192 --max-semi-space-size=4"',
        'WantedBy=multi-user.target',
      ]) {
        assert.ok(unit.split('\n').includes(line), `unit has ${line}`);
      }
      if (HAS_SYSTEMD_ANALYZE) assert.equal(verifyComplaints(file), '');
    },
  );

  test(
    HAS_SYSTEMD_ANALYZE
      ? 'a data folder outside /var/lib and paths with spaces, quotes, % and $ are quoted for systemd, with no StateDirectory=; systemd-analyze verify has no complaint'
      : 'a data folder outside /var/lib and paths with spaces, quotes, % and $ are quoted for systemd, with no StateDirectory= (content only: systemd-analyze is not installed here)',
    () => {
      const dir = temp.make('unit-');
      mkdirSync(join(dir, 'NDXP Edge Agent'));
      const exec = join(dir, 'NDXP Edge Agent', 'edge agent');
      writeFileSync(exec, '#!/bin/sh\n');
      chmodSync(exec, 0o755);
      const unit = systemdUnit(exec, '/srv/ndxp data/"x" 100%$y');
      const lines = unit.split('\n');
      for (const line of [
        'Environment="EDGE_AGENT_HOME=/srv/ndxp data/\\"x\\" 100%%$y"',
        `ExecStart="${exec}" --home "/srv/ndxp data/\\"x\\" 100%%$$y" run`,
        'ReadWritePaths="/srv/ndxp data/\\"x\\" 100%%$y"',
        'ProtectHome=yes',
      ]) {
        assert.ok(lines.includes(line), `unit has ${line}\n${unit}`);
      }
      assert.ok(!lines.some((l) => l.startsWith('StateDirectory')), 'systemd ignores an absolute StateDirectory=: none is written');
      const home = systemdUnit(exec, '/home/it/ndxp-edge-agent').split('\n');
      assert.ok(home.includes('ProtectHome=read-only') && home.includes('ReadWritePaths=/home/it/ndxp-edge-agent'), 'a data folder under /home stays reachable');
      assert.ok(systemdUnit(exec, '/var/lib/ndxp/agent').split('\n').includes('StateDirectory=ndxp/agent'));
      assert.ok(!systemdUnit(exec, '/var/lib/../srv/x').includes('StateDirectory'));
      if (HAS_SYSTEMD_ANALYZE) {
        for (const [name, content] of [['a.service', unit], ['b.service', systemdUnit(exec, '/home/it/ndxp data')]] as const) {
          writeFileSync(join(dir, name), content);
          assert.equal(verifyComplaints(join(dir, name)), '', name);
        }
      }
    },
  );

  test('without --exec the service runs the edge-agent of the package that is installed: the headless one, else the desktop one', () => {
    assert.equal(defaultExecutable('linux', (p) => p === DEFAULT_EXEC.linux || p === LINUX_DESKTOP_EXEC), '/usr/bin/edge-agent');
    assert.equal(defaultExecutable('linux', (p) => p === LINUX_DESKTOP_EXEC), '/opt/NDXP Edge Agent/resources/edge-agent');
    assert.equal(defaultExecutable('linux', () => false), '/usr/bin/edge-agent');
    assert.equal(defaultExecutable('macos', () => false), DEFAULT_EXEC.macos);
  });

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

  test('install writes the unit, creates the data folder and gives it to ndxp-agent before enable --now; an existing user is fine; uninstall removes it', async () => {
    const dir = temp.make('etc-');
    const data = join(dataFolders.make('data-'), 'srv data');
    const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent', dataDir: data }), path: join(dir, 'ndxp-edge-agent.service'), packaged: join(dir, 'lib', 'none.service') };
    const calls: string[] = [];
    const runner: CommandRunner = async (argv) => {
      calls.push(argv.join(' '));
      if (argv[0] === 'useradd') return { code: 9, stdout: '', stderr: "useradd: user 'ndxp-agent' already exists" };
      if (argv[1] === 'is-active') return { code: 0, stdout: 'active\n', stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    };
    const outcome = await installService('linux', file, data, runner);
    assert.equal(outcome.ok, true);
    assert.equal(outcome.file, file.path);
    assert.match(readFileSync(file.path, 'utf8'), /User=ndxp-agent/);
    assert.equal(statSync(data).mode & 0o777, 0o700, 'the data folder exists, private');
    assert.deepEqual(calls, [
      'useradd --system --home-dir /var/lib/ndxp-edge-agent --shell /usr/sbin/nologin ndxp-agent',
      `chown -R -h ndxp-agent:ndxp-agent ${data}`,
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
    const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent' }), path: join(dir, 'u.service'), packaged: join(dir, 'none.service') };
    const outcome = await installService('linux', file, join(dataFolders.make('data-'), 'data'), async (argv) => (argv[1] === 'enable' ? { code: 1, stdout: '', stderr: 'Access denied' } : { code: 0, stdout: '', stderr: '' }));
    assert.equal(outcome.ok, false);
    assert.deepEqual(outcome.steps.at(-1), { argv: ['systemctl', 'enable', '--now', 'ndxp-edge-agent.service'], code: 1, stderr: 'Access denied' });
  });

  test('on a computer without systemd, a failed install undoes what it created (the account its useradd made, the unit, the data folder it made) and says so; what cannot be undone is named', async () => {
    const noSystemd = 'System has not been booted with systemd as init system (PID 1). Can\'t operate.';
    const attempt = async (userdel: number, existing: boolean) => {
      const dir = temp.make('etc-');
      const data = join(dataFolders.make('data-'), 'ndxp');
      if (existing) mkdirSync(data);
      const owner = existing ? `${statSync(data).uid}:${statSync(data).gid}` : '';
      const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent', dataDir: data }), path: join(dir, 'ndxp-edge-agent.service'), packaged: join(dir, 'none.service') };
      const calls: string[] = [];
      const outcome = await installService('linux', file, data, async (argv) => {
        calls.push(argv.join(' '));
        if (argv[0] === 'systemctl') return { code: 1, stdout: '', stderr: noSystemd };
        if (argv[0] === 'userdel') return { code: userdel, stdout: '', stderr: userdel === 0 ? '' : "userdel: user ndxp-agent is currently used by process 4242" };
        return { code: 0, stdout: '', stderr: '' };
      });
      return { outcome, calls, file, data, owner };
    };

    const clean = await attempt(0, true);
    assert.equal(clean.outcome.ok, false);
    assert.deepEqual(clean.calls.slice(3), [`chown -R -h ${clean.owner} ${clean.data}`, 'userdel ndxp-agent'], 'the data folder given back before the account goes; daemon-reload failed, so it is not run again');
    assert.equal(existsSync(clean.file.path), false, 'the unit it wrote is removed');
    assert.ok(existsSync(clean.data), 'the data folder that was there stays');
    const said = installFailure(clean.outcome);
    assert.match(said.en, /^Service install failed at: systemctl daemon-reload \(1\) — System has not been booted with systemd/);
    assert.ok(said.en.endsWith(`What this install had done was undone: the file ${clean.file.path} (written), the owner of ${clean.data} (changed), the account ndxp-agent (created).`), said.en);
    assert.match(said.vi, /Đã gỡ lại những gì lần cài này đã làm: tệp .* \(đã ghi\), chủ sở hữu của .* \(đã đổi\), tài khoản ndxp-agent \(đã tạo\)\.$/);

    const stuck = await attempt(8, false);
    assert.equal(existsSync(stuck.data), false, 'the empty data folder it created is removed');
    const left = installFailure(stuck.outcome);
    assert.match(left.en, /undone: the file .* \(written\), the folder .* \(created\)\. Could not undo the account ndxp-agent \(created\) \(userdel ndxp-agent \(8\) — userdel: user ndxp-agent is currently used by process 4242\): undo it by hand\.$/);
    assert.match(left.vi, /Không gỡ lại được tài khoản ndxp-agent \(đã tạo\) \(userdel ndxp-agent \(8\) — .*\): hãy gỡ bằng tay\.$/);
  });

  test('a failed install keeps an account that was there before, and puts back a unit it replaced', async () => {
    const dir = temp.make('etc-');
    const data = join(dataFolders.make('data-'), 'ndxp');
    const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent', dataDir: data }), path: join(dir, 'ndxp-edge-agent.service'), packaged: join(dir, 'none.service') };
    writeFileSync(file.path, 'the unit of an earlier install');
    const calls: string[] = [];
    const outcome = await installService('linux', file, data, async (argv) => {
      calls.push(argv.join(' '));
      if (argv[0] === 'useradd') return { code: 9, stdout: '', stderr: "useradd: user 'ndxp-agent' already exists" };
      if (argv[1] === 'enable') return { code: 1, stdout: '', stderr: 'Access denied' };
      return { code: 0, stdout: '', stderr: '' };
    });
    assert.equal(outcome.ok, false);
    assert.equal(readFileSync(file.path, 'utf8'), 'the unit of an earlier install');
    assert.ok(!calls.some((c) => c.startsWith('userdel')), 'an account it did not create stays');
    assert.equal(calls.at(-1), 'systemctl daemon-reload', 'systemd reads the earlier unit again');
  });

  test("the headless .deb's own unit is used as is: no /etc copy shadows it (an old one is removed); a different unit still goes to /etc", async () => {
    const dir = temp.make('units-');
    const data = join(dataFolders.make('data-'), 'data');
    const packaged = join(dir, 'lib', 'ndxp-edge-agent.service');
    mkdirSync(join(dir, 'lib'));
    const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent', dataDir: data }), path: join(dir, 'etc', 'ndxp-edge-agent.service'), packaged };
    writeFileSync(packaged, file.content);
    mkdirSync(join(dir, 'etc'));
    writeFileSync(file.path, 'an older copy');
    const same = await installService('linux', file, data, OK);
    assert.equal(same.ok, true);
    assert.equal(same.file, packaged);
    assert.ok(!existsSync(file.path), 'no /etc copy');
    assert.equal((await serviceStatus('linux', file, OK)).installed, true);

    const other = { ...serviceFileOf({ os: 'linux', executable: '/opt/NDXP Edge Agent/resources/edge-agent', dataDir: data }), path: file.path, packaged };
    const custom = await installService('linux', other, data, OK);
    assert.equal(custom.file, file.path);
    assert.equal(readFileSync(file.path, 'utf8'), other.content);
  });

  test('macOS: install creates the data folder and its logs/ for launchd, gives them to _ndxpagent, and installs again over a loaded job', async () => {
    const dir = temp.make('daemons-');
    const data = join(temp.make('appsupport-'), 'NDXP Edge Agent');
    const file = { ...serviceFileOf({ os: 'macos', executable: DEFAULT_EXEC.macos, dataDir: data }), path: join(dir, 'vn.gov.ndxp.edge-agent.plist') };
    assert.match(file.content, /<key>UserName<\/key><string>_ndxpagent<\/string>/);
    assert.ok(file.content.includes(`<key>StandardErrorPath</key><string>${data}/logs/launchd.err.log</string>`));
    const calls: string[] = [];
    const runner: CommandRunner = async (argv) => {
      calls.push(argv.join(' '));
      // Nothing loaded yet: launchctl bootout fails (3: No such process).
      return argv[1] === 'bootout' ? { code: 3, stdout: '', stderr: 'Boot-out failed: 3: No such process' } : { code: 0, stdout: '', stderr: '' };
    };
    const outcome = await installService('macos', file, data, runner);
    assert.equal(outcome.ok, true, JSON.stringify(outcome.steps));
    assert.ok(statSync(join(data, 'logs')).isDirectory(), 'logs/ exists before launchd opens its files there');
    assert.deepEqual(calls, [`chown -R -h _ndxpagent ${data}`, 'launchctl bootout system/vn.gov.ndxp.edge-agent', `launchctl bootstrap system ${file.path}`]);
    assert.equal(readFileSync(file.path, 'utf8'), file.content);

    const denied = await installService('macos', file, data, async (argv) => (argv[0] === 'chown' ? { code: 1, stdout: '', stderr: 'chown: _ndxpagent: illegal user name' } : { code: 0, stdout: '', stderr: '' }));
    assert.equal(denied.ok, false);
    assert.deepEqual(denied.steps.at(-1), { argv: ['chown', '-R', '-h', '_ndxpagent', data], code: 1, stderr: 'chown: _ndxpagent: illegal user name' });
  });

  test('--dry-run and --output refuse the data folder install would refuse, in both languages, writing nothing (exit 1)', async () => {
    const home = temp.make('home-');
    const out = join(temp.make('out-'), 'unit');
    for (const data of ['/var/lib', '/srv', '/home/it']) {
      const dry = await cli(home, ['--lang', 'en', 'service', 'install', '--os', 'linux', '--dry-run', '--data', data]);
      assert.equal(dry.code, 1, data);
      assert.equal(dry.stdout, '', 'no definition printed');
      assert.match(dry.stderr, new RegExp(`The data folder ${data} cannot be used for the service: give an absolute path to a folder of the agent's own`));
      const written = await cli(home, ['--json', 'service', 'install', '--os', 'linux', '--output', out, '--data', data]);
      assert.equal(written.code, 1, data);
      assert.equal(written.json.error.code, 'invalid_input');
      assert.match(written.json.error.messages.vi, /thư mục riêng của tác tử/);
      assert.ok(!existsSync(out), 'nothing written');
    }
    const own = await cli(home, ['service', 'install', '--os', 'linux', '--dry-run', '--data', '/srv/ndxp-edge-agent']);
    assert.equal(own.code, 0, own.stderr);
    assert.match(own.stdout, /ReadWritePaths=\/srv\/ndxp-edge-agent/);
  });

  test('a Linux data folder under /tmp or /var/tmp, which the unit\'s PrivateTmp hides from the service, is refused in both languages, writing nothing', async () => {
    const home = temp.make('home-');
    assert.match(systemdUnit('/usr/bin/edge-agent', '/srv/ndxp-edge-agent'), /^PrivateTmp=yes$/m, 'the rule holds while the unit has its own /tmp');
    for (const [data, tmp] of [['/tmp/ndxp', '/tmp'], ['/tmp/a/b', '/tmp'], ['/var/tmp/ndxp-edge-agent', '/var/tmp'], ['/tmp/../tmp/x', '/tmp']] as const) {
      const dry = await cli(home, ['--lang', 'en', 'service', 'install', '--os', 'linux', '--dry-run', '--data', data]);
      assert.equal(dry.code, 1, data);
      assert.equal(dry.stdout, '', 'no definition printed');
      // The command names the folder as the service would get it (made absolute, `..` resolved).
      assert.match(dry.stderr, new RegExp(`The data folder ${posix.normalize(data).replace(/\./g, '\\.')} is under ${tmp}: the agent's systemd service \\(PrivateTmp=yes\\) has a ${tmp} of its own, empty at each start, so it would not see this folder`));
      assert.match(dry.stderr, /Choose a folder outside \/tmp and \/var\/tmp, e\.g\. \/var\/lib\/ndxp-edge-agent \(the default\)/);
      const vi = await cli(home, ['--json', 'service', 'install', '--os', 'linux', '--dry-run', '--data', data]);
      assert.equal(vi.json.error.code, 'invalid_input');
      assert.match(vi.json.error.messages.vi, new RegExp(`nằm trong ${tmp}: dịch vụ systemd của tác tử \\(PrivateTmp=yes\\) có ${tmp} riêng, trống mỗi lần khởi động`));

      const dir = temp.make('etc-');
      const calls: string[] = [];
      const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent', dataDir: data }), path: join(dir, 'u.service'), packaged: join(dir, 'none') };
      const outcome = await installService('linux', file, data, async (argv) => (calls.push(argv.join(' ')), { code: 0, stdout: '', stderr: '' }));
      assert.equal(outcome.ok, false, data);
      assert.match(outcome.reason!.en, /PrivateTmp=yes/);
      assert.deepEqual(calls, [], 'nothing run');
      assert.ok(!existsSync(file.path), 'no unit written');
    }
    // Only /tmp and /var/tmp themselves: a folder whose name begins alike is the agent's own.
    for (const data of ['/tmpdata/ndxp', '/var/tmpfiles/ndxp']) {
      const own = await cli(home, ['service', 'install', '--os', 'linux', '--dry-run', '--data', data]);
      assert.equal(own.code, 0, own.stderr);
    }
  });

  test('install refuses a data folder that is a system folder or relative, before changing anything', async () => {
    const dir = temp.make('etc-');
    for (const data of ['/srv', '/', 'relative/data', '/var/lib', '/var/lib/', '/usr/local', '/etc/ndxp', '/home/it', '/Library/Application Support', '/Users/it']) {
      const calls: string[] = [];
      const file = { ...serviceFileOf({ os: 'linux', executable: '/usr/bin/edge-agent', dataDir: data }), path: join(dir, 'u.service'), packaged: join(dir, 'none') };
      const outcome = await installService('linux', file, data, async (argv) => (calls.push(argv.join(' ')), { code: 0, stdout: '', stderr: '' }));
      assert.equal(outcome.ok, false, data);
      assert.match(outcome.reason!.en, /absolute path to a folder of the agent's own/);
      assert.match(outcome.reason!.vi, /thư mục riêng của tác tử/);
      assert.deepEqual(calls, []);
      assert.ok(!existsSync(file.path));
    }
  });

  test('service status says installed and running in words, with what the OS answered on its own lines, in both languages', () => {
    // What systemctl says on a computer without systemd (a container): it used to follow "Đã cài: false; đang chạy: false " on the same line.
    const noSystemd = "System has not been booted with systemd as init system (PID 1). Can't operate.\nFailed to connect to bus: Host is down";
    const absent = serviceStatusText({ installed: false, running: false, detail: noSystemd });
    assert.deepEqual(absent.vi.split('\n'), ['Dịch vụ hệ thống: chưa cài.', 'Hệ điều hành trả lời:', ...noSystemd.split('\n')]);
    assert.deepEqual(absent.en.split('\n'), ['OS service: not installed.', 'The OS answered:', ...noSystemd.split('\n')]);
    assert.deepEqual(serviceStatusText({ installed: true, running: true, detail: '' }), { vi: 'Dịch vụ hệ thống: đã cài, đang chạy.', en: 'OS service: installed, running.' });
    const stopped = serviceStatusText({ installed: true, running: false, detail: 'inactive\n' });
    assert.equal(stopped.vi, 'Dịch vụ hệ thống: đã cài, không chạy.\nHệ điều hành trả lời:\ninactive');
    assert.equal(stopped.en, 'OS service: installed, not running.\nThe OS answered:\ninactive');
    for (const text of [absent, stopped]) assert.ok(!/\b(true|false)\b/.test(text.vi + text.en));
  });
});

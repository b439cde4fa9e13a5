import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { installService, serviceStatus, uninstallService, type CommandRunner } from '../../sync-engine/src/adapters/service-installer.js';
import { serviceFileOf, winswSourceOf } from '../../sync-engine/src/ops/service-definitions.js';
// @ts-expect-error: a plain .mjs build script without type declarations
import { checkWinsw } from '../../installers/winsw/check-winsw.mjs';
import { TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

const ROOT = resolve(import.meta.dirname, '../..');
const WINSW_BYTES = 'MZ stand-in for WinSW 2.12.0';

/** Records every command (WinSW ones by their verb); `status` answers as WinSW 2.x does (exit 0, one word). */
function fakeWinsw(state: { registered: boolean; started: boolean }) {
  const calls: string[] = [];
  const runner: CommandRunner = async (argv) => {
    calls.push(argv[0] === 'icacls' ? argv.join(' ') : argv.slice(1).join(' '));
    const verb = argv[1];
    if (verb === 'status') return { code: 0, stdout: `${!state.registered ? 'NonExistent' : state.started ? 'Started' : 'Stopped'}\r\n`, stderr: '' };
    if (verb === 'install') state.registered = true;
    if (verb === 'start') state.started = true;
    if (verb === 'stopwait') state.started = false;
    if (verb === 'uninstall') state.registered = false;
    return { code: 0, stdout: '', stderr: '' };
  };
  return { calls, runner };
}

describe('the Windows service (WinSW 2.x)', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  /** The service XML and wrapper in a temporary folder instead of %ProgramData%. */
  function layout() {
    const data = temp.make('programdata-');
    const file = { ...serviceFileOf({ os: 'windows', executable: 'C:\\Program Files\\NDXP Edge Agent\\resources\\edge-agent.cmd' }), path: join(data, 'service', 'ndxp-edge-agent.xml') };
    const winsw = join(temp.make('resources-'), 'WinSW-x64.exe');
    return { data, file, winsw, wrapper: join(data, 'service', 'ndxp-edge-agent.exe') };
  }

  test('the XML runs as LocalService in WinSW 2.x syntax (<domain>/<user>, not 3.x <username>)', () => {
    const { content } = serviceFileOf({ os: 'windows', executable: 'C:\\x\\edge-agent.cmd' });
    assert.match(content, /<serviceaccount><domain>NT AUTHORITY<\/domain><user>LocalService<\/user><\/serviceaccount>/);
    assert.doesNotMatch(content, /<username>/);
  });

  test('the package puts WinSW beside the edge-agent command; install copies it beside the XML as ndxp-edge-agent.exe, then installs and starts', async () => {
    assert.equal(winswSourceOf('D:\\Apps\\NDXP Edge Agent\\resources\\edge-agent.cmd'), 'D:\\Apps\\NDXP Edge Agent\\resources\\WinSW-x64.exe');
    const { data, file, winsw, wrapper } = layout();
    writeFileSync(winsw, WINSW_BYTES);
    const { calls, runner } = fakeWinsw({ registered: false, started: false });
    const outcome = await installService('windows', file, data, runner, { winsw });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(readFileSync(wrapper, 'utf8'), WINSW_BYTES);
    assert.match(readFileSync(file.path, 'utf8'), /<id>ndxp-edge-agent<\/id>/);
    assert.deepEqual(calls.filter((c) => !c.startsWith('icacls')), ['install', 'start']);
    assert.ok(outcome.steps.filter((s) => s.argv[1] === 'install').every((s) => s.argv[0] === wrapper), 'WinSW runs as the copy beside the XML');
  });

  test('LocalService may modify the data folder the elevated installer created; the service folder only administrators and SYSTEM may change', async () => {
    const { data, file, winsw } = layout();
    writeFileSync(winsw, WINSW_BYTES);
    const { calls, runner } = fakeWinsw({ registered: false, started: false });
    const outcome = await installService('windows', file, data, runner, { winsw });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(calls, [
      `icacls ${data} /grant *S-1-5-19:(OI)(CI)M`,
      `icacls ${join(data, 'service')} /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-19:(OI)(CI)RX *S-1-5-32-545:(OI)(CI)RX`,
      'install',
      'start',
    ]);
    const denied = await installService('windows', file, data, async (argv) => (argv[0] === 'icacls' ? { code: 5, stdout: '', stderr: 'Access is denied.' } : { code: 0, stdout: 'Stopped', stderr: '' }), { winsw });
    assert.equal(denied.ok, false);
    assert.deepEqual(denied.steps.at(-1), { argv: ['icacls', data, '/grant', '*S-1-5-19:(OI)(CI)M'], code: 5, stderr: 'Access is denied.' });
  });

  test('without WinSW the install stops before any command and says so in Vietnamese and English, not "run as administrator"', async () => {
    const { data, file, winsw, wrapper } = layout();
    const { calls, runner } = fakeWinsw({ registered: false, started: false });
    const outcome = await installService('windows', file, data, runner, { winsw });
    assert.equal(outcome.ok, false);
    assert.deepEqual(calls, []);
    assert.ok(outcome.reason!.vi.includes(winsw) && outcome.reason!.en.includes(winsw), 'names where WinSW was looked for');
    assert.match(outcome.reason!.vi, /WinSW.*không phải lỗi quyền/);
    assert.match(outcome.reason!.en, /WinSW.*not a permissions problem/);
    assert.ok(outcome.reason!.en.includes(wrapper));
  });

  test('the CLI reports a missing WinSW with its real cause and exits 4', async () => {
    const data = temp.make('programdata-');
    const result = await cli(temp.make('home-'), ['--lang', 'en', 'service', 'install', '--os', 'windows', '--data', data, '--exec', 'C:\\nowhere\\edge-agent.cmd']);
    assert.equal(result.code, 4);
    assert.match(result.stdout, /WinSW \(the Windows service wrapper\) is not at C:\\nowhere\\WinSW-x64\.exe/);
    assert.doesNotMatch(result.stdout, /Run as administrator/);
  });

  test('run again on a running service (an upgrade), it stops it, replaces the wrapper and XML, and starts it without registering it twice', async () => {
    const { data, file, winsw, wrapper } = layout();
    mkdirSync(join(data, 'service'));
    writeFileSync(wrapper, 'old WinSW');
    writeFileSync(file.path, '<service>old</service>');
    writeFileSync(winsw, WINSW_BYTES);
    const { calls, runner } = fakeWinsw({ registered: true, started: true });
    const outcome = await installService('windows', file, data, runner, { winsw });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(calls.filter((c) => !c.startsWith('icacls')), ['status', 'stopwait', 'start']);
    assert.equal(readFileSync(wrapper, 'utf8'), WINSW_BYTES);
    assert.match(readFileSync(file.path, 'utf8'), /<id>ndxp-edge-agent<\/id>/);
  });

  test('status reads WinSW 2.x words (it exits 0 when stopped too); uninstall waits for the stop, unregisters and removes the XML and wrapper', async () => {
    const { data, file, winsw, wrapper } = layout();
    writeFileSync(winsw, WINSW_BYTES);
    const state = { registered: false, started: false };
    const { calls, runner } = fakeWinsw(state);
    assert.deepEqual(await serviceStatus('windows', file, runner), { installed: false, running: false, detail: 'NonExistent' });
    await installService('windows', file, data, runner, { winsw });
    assert.equal((await serviceStatus('windows', file, runner)).running, true);
    state.started = false;
    assert.deepEqual(await serviceStatus('windows', file, runner), { installed: true, running: false, detail: 'Stopped' });
    calls.length = 0;
    await uninstallService('windows', file, runner);
    assert.deepEqual(calls, ['stopwait', 'uninstall']);
    assert.ok(!existsSync(file.path) && !existsSync(wrapper));
  });
});

describe('WinSW as a build input', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('the build takes the pinned WinSW 2.x from installers/winsw/ and ships it beside edge-agent.cmd', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'installers/winsw/winsw.json'), 'utf8')) as { version: string; file: string; sha256: string };
    assert.match(manifest.version, /^2\./, 'the XML is written in WinSW 2.x syntax');
    assert.match(manifest.sha256, /^[0-9a-f]{64}$/);
    const config = readFileSync(join(ROOT, 'installers/electron-builder.yml'), 'utf8');
    assert.match(config, /^beforePack: \.\/installers\/winsw\/check-winsw\.mjs$/m);
    const win = config.slice(config.indexOf('\nwin:'), config.indexOf('\nnsis:'));
    assert.match(win, /- from: installers\/winsw\/WinSW-x64\.exe\n\s+to: WinSW-x64\.exe/);
  });

  test('a missing or different WinSW stops the build with what to download and where to put it', () => {
    const dir = temp.make('winsw-');
    const sha256 = createHash('sha256').update(WINSW_BYTES).digest('hex');
    writeFileSync(join(dir, 'winsw.json'), JSON.stringify({ version: '2.12.0', file: 'WinSW-x64.exe', sha256, url: 'https://example.test/WinSW-x64.exe' }));
    assert.throws(() => checkWinsw(dir), (e: Error) => e.message.includes('WinSW 2.12.0 is missing: download https://example.test/WinSW-x64.exe') && e.message.includes(join(dir, 'WinSW-x64.exe')) && /Thiếu WinSW/.test(e.message));
    writeFileSync(join(dir, 'WinSW-x64.exe'), 'something else');
    assert.throws(() => checkWinsw(dir), (e: Error) => e.message.includes(`expected ${sha256}`));
    writeFileSync(join(dir, 'WinSW-x64.exe'), WINSW_BYTES);
    assert.deepEqual(checkWinsw(dir), { file: join(dir, 'WinSW-x64.exe'), version: '2.12.0' });
  });
});

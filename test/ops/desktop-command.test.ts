import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { TempDirs } from '../agent/support/agent-fixture.js';

const run = promisify(execFile);
const WRAPPER = resolve(import.meta.dirname, '../../installers/resources/edge-agent.sh');

/** A stand-in for the Electron executable: prints ELECTRON_RUN_AS_NODE and its arguments, one a line. */
function fakeElectron(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '#!/bin/sh\necho "ELECTRON_RUN_AS_NODE=$ELECTRON_RUN_AS_NODE"\nfor a in "$@"; do echo "$a"; done\n');
  chmodSync(path, 0o755);
}

/** A `readlink` like macOS's before 12.3: no -f. */
function oldMacReadlink(dir: string): NodeJS.ProcessEnv {
  mkdirSync(dir, { recursive: true });
  const real = execFileSync('sh', ['-c', 'command -v readlink'], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'readlink'), `#!/bin/sh\ncase "$1" in -*) echo "readlink: illegal option -- \${1#-}" >&2; exit 1 ;; esac\nexec ${real} "$@"\n`);
  chmodSync(join(dir, 'readlink'), 0o755);
  return { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` };
}

function placeWrapper(resources: string): string {
  mkdirSync(resources, { recursive: true });
  const wrapper = join(resources, 'edge-agent');
  copyFileSync(WRAPPER, wrapper);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

describe("the desktop packages' edge-agent command (installers/resources/edge-agent.sh)", () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('in a macOS app it runs Contents/MacOS/<productName> on the CLI in Contents/Resources/app.asar, reached through a chain of relative links, without readlink -f', async () => {
    const root = realpathSync(temp.make('mac-'));
    const contents = join(root, 'Applications', 'NDXP Edge Agent.app', 'Contents');
    fakeElectron(join(contents, 'MacOS', 'NDXP Edge Agent'));
    writeFileSync(join(contents, 'Info.plist'), '<plist/>');
    const wrapper = placeWrapper(join(contents, 'Resources'));
    mkdirSync(join(root, 'usr', 'local', 'bin'), { recursive: true });
    mkdirSync(join(root, 'links'));
    symlinkSync('../Applications/NDXP Edge Agent.app/Contents/Resources/edge-agent', join(root, 'links', 'edge-agent'));
    symlinkSync('../../../links/edge-agent', join(root, 'usr', 'local', 'bin', 'edge-agent'));

    const expected = ['ELECTRON_RUN_AS_NODE=1', join(contents, 'Resources', 'app.asar', 'dist', 'cli', 'bin', 'edge-agent.mjs'), '--home', '/Library/Application Support/NDXP Edge Agent', 'status'];
    const args = ['--home', '/Library/Application Support/NDXP Edge Agent', 'status'];
    const env = oldMacReadlink(join(root, 'old-readlink'));
    for (const start of [wrapper, join(root, 'usr', 'local', 'bin', 'edge-agent')]) {
      const viaSh = await run('sh', [start, ...args], { env });
      assert.deepEqual(viaSh.stdout.trimEnd().split('\n'), expected, `sh ${start}`);
      const direct = await run(start, args, { env });
      assert.deepEqual(direct.stdout.trimEnd().split('\n'), expected, start);
    }
  });

  test('in the Linux desktop package (/opt/<productName>/resources/edge-agent) it runs /opt/<productName>/ndxp-edge-agent', async () => {
    const root = realpathSync(temp.make('linux-'));
    const app = join(root, 'opt', 'NDXP Edge Agent');
    fakeElectron(join(app, 'ndxp-edge-agent'));
    placeWrapper(join(app, 'resources'));
    mkdirSync(join(root, 'bin'));
    symlinkSync(join(app, 'resources', 'edge-agent'), join(root, 'bin', 'edge-agent'));
    const result = await run('sh', [join(root, 'bin', 'edge-agent'), '--version']);
    assert.deepEqual(result.stdout.trimEnd().split('\n'), ['ELECTRON_RUN_AS_NODE=1', join(app, 'resources', 'app.asar', 'dist', 'cli', 'bin', 'edge-agent.mjs'), '--version']);
  });
});

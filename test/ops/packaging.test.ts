import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { defaultExecutable, PROGRAM_DATA, serviceFileOf } from '../../sync-engine/src/ops/service-definitions.js';
import { addSite, startTestPlatform, TempDirs } from '../agent/support/agent-fixture.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const ELECTRON_VERSION = '45.5.0';

/** A stand-in Electron distribution: electron-builder copies it and renames `electron`; nothing is downloaded. */
function standInElectron(dir: string): string {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  writeFileSync(join(dir, 'electron'), '#!/bin/sh\necho "stand-in electron"\n');
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), `${ELECTRON_VERSION}\n`);
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<html></html>\n');
  return dir;
}

describe('packaging', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('electron-builder packs a Linux app directory offline with main, preload, renderer, CLI, production dependencies only and the unpacked sqlite3 binary', async () => {
    await run(process.execPath, ['scripts/build-main.mjs'], { cwd: ROOT });
    await run(process.execPath, ['installers/build-cli.mjs'], { cwd: ROOT });
    if (!existsSync(join(ROOT, 'renderer/dist/index.html'))) await run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts'], { cwd: ROOT });
    const out = temp.make('eb-out-');
    const electronDist = standInElectron(temp.make('electron-dist-'));
    await run(
      process.execPath,
      [
        'node_modules/electron-builder/cli.js',
        '--config', 'installers/electron-builder.yml',
        `-c.directories.output=${out}`,
        `-c.electronDist=${electronDist}`,
        `-c.electronVersion=${ELECTRON_VERSION}`,
        '--linux', 'dir',
        '--publish', 'never',
      ],
      { cwd: ROOT, env: { ...process.env, ELECTRON_BUILDER_OFFLINE: 'true', CI: 'true' }, maxBuffer: 32 * 1024 * 1024 },
    );
    const app = join(out, 'linux-unpacked');
    assert.ok(statSync(join(app, 'ndxp-edge-agent')).mode & 0o111, 'the renamed Electron executable');
    for (const resource of ['edge-agent', 'edge-agent.cmd', 'provisioning.example.json', 'docs/operations.md']) assert.ok(existsSync(join(app, 'resources', resource)), resource);

    const files = new Set(listPackage(join(app, 'resources/app.asar'), { isPack: false }).map((f) => f.replace(/\\/g, '/')));
    for (const file of ['/package.json', '/dist/electron/main.mjs', '/dist/electron/preload.cjs', '/renderer/dist/index.html', '/dist/cli/bin/edge-agent.mjs']) assert.ok(files.has(file), `${file} in the asar`);
    for (const dependency of ['typeorm', 'sqlite3', 'got', 'zod', 'https-proxy-agent', 'react']) assert.ok(files.has(`/node_modules/${dependency}/package.json`), `${dependency} in the asar`);
    for (const devOnly of ['electron-builder', 'eslint', 'typescript', 'vite', 'tsx', 'electron', 'playwright-core', 'fast-check']) {
      assert.ok(!files.has(`/node_modules/${devOnly}/package.json`), `${devOnly} is not in the asar`);
    }
    assert.ok(![...files].some((f) => f.startsWith('/test/') || f.startsWith('/sync-engine/') || f.endsWith('.map')), 'no tests, sources or source maps');
    assert.ok(existsSync(join(app, 'resources/app.asar.unpacked/node_modules/sqlite3/build/Release/node_sqlite3.node')), 'sqlite3 binary unpacked');
  });

  test('the headless .deb holds the edge-agent command, the app and its systemd unit; extracted, it prints its version and syncs with a real platform', async () => {
    const out = temp.make('deb-out-');
    // Built under a private umask, as on a hardened build machine: what dpkg unpacks must not depend on it.
    await run('sh', ['-c', 'umask 077 && exec "$0" "$@"', process.execPath, '--import', 'tsx', 'installers/deb/build.mjs', '--out', out], { cwd: ROOT, maxBuffer: 8 * 1024 * 1024 });
    const debs = readdirSync(out).filter((n) => n.endsWith('.deb'));
    assert.equal(debs.length, 1);
    const deb = join(out, debs[0]!);
    // Debian policy's modes: dpkg makes or meets /, /usr, /opt, /lib… with these entries; the root "./" was packed 0700.
    const listing = (await run('dpkg-deb', ['-c', deb], { maxBuffer: 64 * 1024 * 1024 })).stdout.trim().split('\n');
    const entries = listing.map((line) => {
      const [mode, owner, , , , name] = line.split(/\s+/);
      return { mode: mode!, owner: owner!, name: name! };
    });
    assert.ok(entries.some((e) => e.name === './'), 'the listing has the root entry');
    const odd = entries.filter((e) => e.owner !== 'root/root' || !(e.mode.startsWith('d') ? e.mode === 'drwxr-xr-x' : ['-rw-r--r--', '-rwxr-xr-x', 'lrwxrwxrwx'].includes(e.mode)));
    assert.deepEqual(odd.slice(0, 10), [], 'every directory drwxr-xr-x root/root, every file 0644 or 0755');
    assert.equal(entries.find((e) => e.name === './usr/bin/edge-agent')?.mode, '-rwxr-xr-x');
    const info = (await run('dpkg-deb', ['--field', deb, 'Package', 'Depends'])).stdout;
    assert.match(info, /Package: ndxp-edge-agent/);
    assert.match(info, /Depends: nodejs \(>= 20\.10\)/);
    const tree = temp.make('deb-x-');
    await run('dpkg-deb', ['-x', deb, tree]);
    // The unit `provision` would generate here is the packaged one, so it writes no /etc copy that would shadow it.
    const generated = serviceFileOf({ os: 'linux', executable: defaultExecutable('linux', (path) => path === '/usr/bin/edge-agent'), dataDir: PROGRAM_DATA.linux });
    assert.equal(readFileSync(join(tree, 'lib/systemd/system/ndxp-edge-agent.service'), 'utf8'), generated.content);
    const control = temp.make('deb-control-');
    await run('dpkg-deb', ['-e', deb, control]);
    assert.match(readFileSync(join(control, 'postinst'), 'utf8'), /chown -R -h ndxp-agent:ndxp-agent \/var\/lib\/ndxp-edge-agent/, 'an upgrade heals root-owned files in the data folder');
    assert.ok(existsSync(join(tree, 'opt/ndxp-edge-agent/node_modules/sqlite3/build/Release/node_sqlite3.node')));
    for (const devOnly of ['electron-builder', 'eslint', 'typescript', 'vite', 'electron']) assert.ok(!existsSync(join(tree, 'opt/ndxp-edge-agent/node_modules', devOnly)), `${devOnly} not shipped`);

    const edgeAgent = join(tree, 'usr/bin/edge-agent');
    const env = { ...process.env, EDGE_AGENT_HOME: '' };
    const version = await run(edgeAgent, ['--version'], { env });
    assert.equal(version.stdout.trim(), '0.1.0');

    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const token = await p.platform.admin.createToken({ site });
      const home = temp.make('deb-home-');
      await run(edgeAgent, ['--home', home, 'init', '--platform', p.url, '--site', site], { env });
      await run(edgeAgent, ['--home', home, 'enroll', '--token', token], { env });
      const sync = await run(edgeAgent, ['--home', home, '--json', 'sync'], { env });
      const summary = JSON.parse(sync.stdout) as { run: { status: string } };
      assert.equal(summary.run.status, 'ok');
      const doctor = await run(edgeAgent, ['--home', home, '--json', 'doctor'], { env });
      assert.equal((JSON.parse(doctor.stdout) as { ok: boolean }).ok, true);
    } finally {
      await p.close();
    }
  });
});

#!/usr/bin/env node
// `npm start`: builds the desktop app and opens it in Electron.
//   1. Is there an Electron binary? The `electron` npm package's index.js DOWNLOADS the binary
//      when it is missing, so it is required only after node_modules/electron/path.txt and the
//      file it names exist (main/src/electron-binary.ts holds the same check for the tests).
//      Without one, say so in one sentence and exit 1: `npm start` did not do its job, so a
//      script chaining on it must not go on as if the window were open.
//   2. tsc -b (typecheck; stops on errors), the renderer's Vite build when the renderer has one,
//      scripts/build-main.mjs (bundles main + the sandboxed preload).
//   3. Electron on dist/electron/main.mjs; extra arguments pass through (e.g. --data-dir <dir>).
// `node scripts/start.mjs --build-only` builds without launching (used by the Electron e2e test).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const buildOnly = args.includes('--build-only');
const passThrough = args.filter((a) => a !== '--build-only');

function findElectronBinary() {
  const packageDir = join(root, 'node_modules', 'electron');
  let relative = null;
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    relative = null;
  }
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(overridden) ? overridden : null;
  }
  if (!relative || !existsSync(join(packageDir, 'dist', relative))) return null;
  const resolved = createRequire(join(root, 'package.json'))('electron');
  return typeof resolved === 'string' && existsSync(resolved) ? resolved : null;
}

function run(label, command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${label} failed; not starting.`);
    process.exit(result.status ?? 1);
  }
}

const electron = buildOnly ? null : findElectronBinary();
if (!buildOnly && electron === null) {
  console.error('Electron is not installed on this machine; run `npm run agent -- run`, then open the web console at the address `npm run agent -- console` prints.');
  process.exit(1);
}

run('typecheck (tsc -b)', process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.json']);
const viteConfig = join(root, 'renderer', 'vite.config.ts');
if (existsSync(viteConfig)) {
  run('renderer build', process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', viteConfig, '--logLevel', 'warn']);
}
run('main and preload bundle', process.execPath, [join(root, 'scripts', 'build-main.mjs')]);
if (buildOnly) process.exit(0);

const child = spawnSync(electron, [join(root, 'dist', 'electron', 'main.mjs'), ...passThrough], { cwd: root, stdio: 'inherit' });
process.exit(child.status ?? 1);

#!/usr/bin/env node
// Runs every *.test.ts under test/ with node's test runner (through tsx), or only
// the files/folders given as arguments. Prints node's pass/fail summary.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
function collect(path, out) {
  const st = statSync(path);
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    collect(join(path, name), out);
  }
  return out;
}
const args = process.argv.slice(2);
const targets = args.length ? args.map((a) => resolve(a)) : [join(root, 'test')];
const files = targets.flatMap((t) => collect(t, []));
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}

// The browser tests serve the built renderer. It is built once here, before any
// test starts, and named to them in NDXP_TEST_CONSOLE_BUILD (they only read it);
// a test file run without this script builds its own (test/renderer/support/browser.ts).
const env = { ...process.env };
let consoleBuild = null;
const browserFolders = ['renderer', 'e2e'].map((name) => join(root, 'test', name) + sep);
if (!env.NDXP_TEST_CONSOLE_BUILD && files.some((file) => browserFolders.some((folder) => file.startsWith(folder)))) {
  consoleBuild = mkdtempSync(join(tmpdir(), 'renderer-build-'));
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'renderer/vite.config.ts', '--outDir', consoleBuild, '--emptyOutDir', '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: root,
  });
  if (built.status !== 0) {
    rmSync(consoleBuild, { recursive: true, force: true });
    console.error('the renderer did not build: the browser tests cannot run');
    process.exit(1);
  }
  env.NDXP_TEST_CONSOLE_BUILD = consoleBuild;
}

const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: 'inherit', cwd: root, env },
);
child.on('exit', (code, signal) => {
  if (consoleBuild) rmSync(consoleBuild, { recursive: true, force: true });
  process.exit(signal ? 1 : (code ?? 1));
});

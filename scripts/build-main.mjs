#!/usr/bin/env node
// Bundles the Electron shell with esbuild (installed as tsx's dependency):
//   dist/electron/main.mjs     main process, ESM; npm packages and 'electron' stay external
//                              (typeorm, sqlite3 and the rest load from node_modules at run time)
//   dist/electron/preload.cjs  the sandboxed preload: ONE CommonJS file whose only require is
//                              'electron' (a sandboxed preload can require nothing else)
// tsc -b still typechecks main/ (and emits dist/main), but Electron runs these bundles: they
// resolve sync-engine's TypeScript sources at build time, so no path layout has to line up.
// Usage: node scripts/build-main.mjs [--outdir <dir>]
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const at = process.argv.indexOf('--outdir');
const outdir = at === -1 ? join(root, 'dist', 'electron') : resolve(process.argv[at + 1] ?? '');

// Electron 45 runs Node 22 and Chromium 140.
await build({
  absWorkingDir: root,
  entryPoints: { main: 'main/src/index.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
});

await build({
  absWorkingDir: root,
  entryPoints: { preload: 'main/src/preload.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'chrome140',
  external: ['electron'],
  sourcemap: 'inline',
  logLevel: 'warning',
});

// The sandbox would refuse any other require at run time; refuse it at build time instead.
const preload = readFileSync(join(outdir, 'preload.cjs'), 'utf8');
const requires = [...preload.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
const foreign = requires.filter((name) => name !== 'electron');
if (foreign.length > 0) {
  console.error(`preload.cjs requires ${foreign.join(', ')}: a sandboxed preload may require only 'electron'`);
  process.exit(1);
}
console.log(`built ${join(outdir, 'main.mjs')} and ${join(outdir, 'preload.cjs')}`);

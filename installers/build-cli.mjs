#!/usr/bin/env node
// Bundles the `edge-agent` command for the desktop packages: dist/cli/bin/edge-agent.mjs (ESM,
// npm packages external, loaded from the app's node_modules). The desktop app has no tsx (a
// devDependency), so it cannot run bin/edge-agent.js. The bundle sits three folders below the
// app root, like sync-engine/src/cli/program.ts, so its package.json lookup finds the app's.
// Usage: node installers/build-cli.mjs [--outdir <dir>]
import { build } from 'esbuild';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const at = process.argv.indexOf('--outdir');
const outdir = at === -1 ? join(root, 'dist', 'cli', 'bin') : resolve(process.argv[at + 1] ?? '');

await build({
  absWorkingDir: root,
  entryPoints: { 'edge-agent': 'sync-engine/src/cli/main.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
console.log(`built ${join(outdir, 'edge-agent.mjs')}`);

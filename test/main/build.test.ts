import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the sandboxed preload bundles to one file whose only require is electron, without zod or the engine', (t) => {
  const outdir = mkdtempSync(join(tmpdir(), 'build-main-'));
  t.after(() => rmSync(outdir, { recursive: true, force: true }));
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build-main.mjs'), '--outdir', outdir], { cwd: root, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);

  const preload = readFileSync(join(outdir, 'preload.cjs'), 'utf8');
  const requires = [...preload.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
  assert.deepEqual(requires, ['electron']);
  assert.doesNotMatch(preload, /\bzod\b|safeParse|sync-engine\/src\/(?!api)/);
  assert.match(preload, /exposeInMainWorld/);
  assert.match(preload, /edge-agent:/);

  assert.ok(existsSync(join(outdir, 'main.mjs')));
  const main = readFileSync(join(outdir, 'main.mjs'), 'utf8');
  assert.match(main, /from "electron"/);
  assert.doesNotMatch(main, /from "\.{1,2}\//, 'main bundles its own sources: no relative imports left to resolve at run time');
});

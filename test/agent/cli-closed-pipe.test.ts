import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const ROOT = resolve(import.meta.dirname, '../..');
const temp = new TempDirs();
test.after(() => temp.cleanup());

/** Runs a launcher from bin/ with its stdout closed before it writes (as `… | head` closes it): its exit code and stderr. */
function withStdoutClosed(launcher: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'bin', launcher), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

test('edge-agent whose reader went away (`… | head`) finishes its command and exits with its own code, without a stack trace', async () => {
  const home = temp.make();
  // status reads an agent: a folder holding none is refused (exit 1).
  assert.equal((await cli(home, ['init', '--platform', 'http://127.0.0.1:9', '--site', 'HN-001'])).code, 0);
  for (const args of [['--help'], ['--home', home, '--lang', 'en', 'status'], ['--home', home, '--json', 'status']]) {
    const run = await withStdoutClosed('edge-agent.js', args);
    assert.equal(run.stderr, '', `${args.join(' ')}: nothing on stderr`);
    assert.equal(run.code, 0, args.join(' '));
  }
});

test('national-platform whose reader went away exits with its own code, without a stack trace', async () => {
  const run = await withStdoutClosed('national-platform.js', ['--help']);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
});

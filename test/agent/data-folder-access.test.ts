import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { TempDirs } from './support/agent-fixture.js';
import { cli, cliProcessAs, type CliResult } from './support/cli-runner.js';

/** Run as root, the child drops to `nobody`, for whom root's 0555 folder is as read-only as for anyone else. */
const NOBODY = 65_534;

/** The real launcher as an account that may read the data folder but not write to it. */
function cliWithoutWriteRight(home: string, args: string[]): Promise<CliResult> {
  return cliProcessAs(process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}, home, args);
}

describe('a data folder the account running the agent may not write', () => {
  const temp = new TempDirs();
  const locked: string[] = [];
  after(() => {
    for (const dir of locked) {
      chmodSync(dir, 0o755);
      for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
    }
    temp.cleanup();
  });

  /** An agent's folder (set up as the test's own account), then made read-only: as a service account meets a folder root set up. */
  async function readOnlyAgentFolder(): Promise<string> {
    const home = temp.make('agent-ro-');
    assert.equal((await cli(home, ['init', '--platform', 'https://ndxp.example.gov.vn', '--site', 'HN-BA-DINH'])).code, 0);
    for (const name of readdirSync(home)) chmodSync(join(home, name), 0o444);
    chmodSync(home, 0o555);
    locked.push(home);
    return home;
  }

  test('run says which account may not write the folder and the chown to type, exit 4, instead of crashing on SQLITE_READONLY', async () => {
    const home = await readOnlyAgentFolder();
    const run = await cliWithoutWriteRight(home, ['--lang', 'en', 'run', '--port', '0', '--no-sync-at-start']);
    assert.equal(run.code, 4, run.stderr);
    assert.match(run.stderr, new RegExp(`may not write to ${home}.*so the agent's data cannot be opened\\. The data is not damaged`));
    assert.match(run.stderr, new RegExp(`"sudo chown -R [^:]+: ${home}"`));
    assert.match(run.stderr, new RegExp(`The Linux background service runs as ndxp-agent: "sudo chown -R ndxp-agent: ${home}", then "sudo systemctl restart ndxp-edge-agent"`));
    assert.doesNotMatch(run.stderr, /SQLITE_|\n\s+at /, 'no driver code, no stack');
    assert.equal(existsSync(join(home, 'admin-api.json')), false, 'nothing started');

    const vi = await cliWithoutWriteRight(home, ['run', '--port', '0', '--no-sync-at-start']);
    assert.equal(vi.code, 4, vi.stderr);
    assert.match(vi.stderr, new RegExp(`không có quyền ghi vào ${home}.*Dữ liệu không bị hỏng.*"sudo chown -R ndxp-agent: ${home}"`));
  });

  test('status and doctor say the same (exit 4), not "Cannot open the agent\'s data: SQLITE_READONLY"', async () => {
    const home = await readOnlyAgentFolder();
    const status = await cliWithoutWriteRight(home, ['--lang', 'en', 'status']);
    assert.equal(status.code, 4, status.stderr);
    assert.match(status.stderr, new RegExp(`may not write to ${home}.*"sudo chown -R ndxp-agent: ${home}"`));

    const doctor = await cliWithoutWriteRight(home, ['--json', 'doctor']);
    assert.equal(doctor.code, 4, doctor.stdout);
    const database = (doctor.json as { checks: { id: string; status: string; messages: { vi: string; en: string } }[] }).checks.find((c) => c.id === 'database');
    assert.equal(database?.status, 'fail');
    assert.match(database?.messages.en ?? '', /may not write to .*sudo chown -R/);
    assert.match(database?.messages.vi ?? '', /không có quyền ghi vào .*sudo chown -R/);
  });
});

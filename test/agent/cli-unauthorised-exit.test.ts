import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runService } from '../../sync-engine/src/cli/commands/run.js';
import { readServiceFile } from '../../sync-engine/src/index.js';
import { addSite, startTestPlatform, TempDirs, type TestPlatform } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { eventually } from './support/fake-time.js';

/**
 * docs/cli.md, "Exit codes": 3 is "not authorised" (not set up or not enrolled, agent revoked, awaiting approval,
 * unknown agent, signature or clock refused), whichever command meets it. This pins the code of each command that
 * asks the platform about this agent, against a real platform: `sync` (in-process and through a running service),
 * `doctor`, `enroll` and `provision`, in text and in --json. The commands that only read this computer (`status`, records) go
 * on working for a revoked agent: exit 0.
 */
describe('a revoked or not enrolled agent exits 3 with every command that meets it', () => {
  const temp = new TempDirs();
  let p: TestPlatform;
  let site: string;
  before(async () => {
    p = await startTestPlatform(temp);
    site = await addSite(p);
  });
  after(async () => {
    await p.close();
    temp.cleanup();
  });

  /** Each command's exit code, by its command line. */
  async function codes(home: string, commands: string[][]): Promise<Record<string, number>> {
    const table: Record<string, number> = {};
    for (const args of commands) {
      const result = await cli(home, ['--lang', 'en', ...args]);
      table[args.join(' ')] = result.code;
    }
    return table;
  }

  test('revoked: sync, doctor, enroll and provision with its used token exit 3; status and datasets list still 0', async () => {
    const home = temp.make('revoked-');
    assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
    const token = await p.platform.admin.createToken({ site });
    const enrolled = await cli(home, ['--json', 'enroll', '--token', token]);
    assert.equal(enrolled.code, 0, enrolled.stderr);
    assert.equal((await cli(home, ['sync'])).code, 0);
    await p.platform.admin.revokeAgent(enrolled.json.agentId);

    assert.deepEqual(await codes(home, [['sync'], ['--json', 'sync'], ['doctor'], ['--json', 'doctor'], ['enroll', '--token', token], ['status'], ['--json', 'status'], ['datasets', 'list']]), {
      sync: 3,
      '--json sync': 3,
      doctor: 3,
      '--json doctor': 3,
      [`enroll --token ${token}`]: 3,
      status: 0,
      '--json status': 0,
      'datasets list': 0,
    });
    // Provisioning again once the folder knows it is revoked (the sync above) enrolls again, with the used token here.
    const file = join(temp.make('provision-'), 'provisioning.json');
    writeFileSync(file, JSON.stringify({ platformUrl: p.url, siteCode: site, token, installService: false }));
    assert.equal((await cli(home, ['provision', file])).code, 3);
    const doctor = await cli(home, ['--lang', 'en', 'doctor']);
    assert.match(doctor.stdout, /✗ credentials The platform revoked this computer/);
  });

  test('revoked, through the running service: sync exits 3 as in-process', async () => {
    const home = temp.make('revoked-service-');
    assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
    const enrolled = await cli(home, ['--json', 'enroll', '--token', await p.platform.admin.createToken({ site })]);
    await p.platform.admin.revokeAgent(enrolled.json.agentId);
    const stop = new AbortController();
    const running = runService({ home }, { env: {}, streams: { out: () => undefined, err: () => undefined }, service: { onError: () => undefined } }, { port: 0, syncAtStart: false }, stop.signal);
    await eventually(() => readServiceFile(home) !== null);
    try {
      const sync = await cli(home, ['--json', 'sync']);
      // The running service made the run (a sync in this process could not take the folder's lease from it and
      // would not start, exit 4); it records the command line as who asked.
      assert.equal(sync.json.started, true);
      assert.equal(sync.json.run.trigger, 'cli');
      assert.equal(sync.json.run.error.code, 'agent_revoked');
      assert.equal(sync.code, 3);
    } finally {
      stop.abort();
      assert.equal(await running, 0);
    }
  });

  test('not enrolled (init only) and not set up (no platform address): sync and doctor exit 3', async () => {
    const initialised = temp.make('not-enrolled-');
    assert.equal((await cli(initialised, ['init', '--platform', p.url, '--site', site])).code, 0);
    assert.deepEqual(await codes(initialised, [['sync'], ['doctor'], ['--json', 'doctor']]), { sync: 3, doctor: 3, '--json doctor': 3 });

    // `network set` makes the data file (a proxy may be needed before enrolling) and no platform address.
    const bare = temp.make('not-set-up-');
    assert.equal((await cli(bare, ['network', 'set', '--bypass', 'localhost'])).code, 0);
    assert.deepEqual(await codes(bare, [['sync'], ['doctor']]), { sync: 3, doctor: 3 });
  });

  test('a platform that does not answer is still exit 2 for doctor and sync, not 3', async () => {
    const home = temp.make('unreachable-');
    const down = await startTestPlatform(temp);
    const downSite = await addSite(down);
    assert.equal((await cli(home, ['init', '--platform', down.url, '--site', downSite])).code, 0);
    assert.equal((await cli(home, ['enroll', '--token', await down.platform.admin.createToken({ site: downSite })])).code, 0);
    await down.close();
    assert.deepEqual(await codes(home, [['sync'], ['doctor', '--timeout', '2000']]), { sync: 2, 'doctor --timeout 2000': 2 });
  });
});

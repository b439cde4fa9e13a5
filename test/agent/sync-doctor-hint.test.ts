import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { enrolledAgent, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/** `sync` run by local IT: a run that failed for a cause on this computer or its network names the doctor command that finds it. */
describe('a failed sync points at doctor', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('the platform unreachable: the summary names `edge-agent --home DIR doctor` in either language, exit 2; a good run does not', async () => {
    const p = await startTestPlatform(temp);
    const { agent, dataDir } = await enrolledAgent(temp, p, { sync: false });
    await agent.close();
    const good = await cli(dataDir, ['sync']);
    assert.equal(good.code, 0, good.stderr);
    assert.doesNotMatch(good.stdout, /doctor/);
    await p.close();

    const vi = await cli(dataDir, ['sync']);
    assert.equal(vi.code, 2, vi.stdout + vi.stderr);
    assert.ok(vi.stdout.includes(`Để biết nguyên nhân (địa chỉ, proxy, chứng chỉ, đồng hồ, khóa của máy) và cách khắc phục: edge-agent --home ${dataDir} doctor\n`), vi.stdout);
    const en = await cli(dataDir, ['--lang', 'en', 'sync']);
    assert.equal(en.code, 2);
    assert.ok(en.stdout.includes(`To find the cause (address, proxy, certificate, clock, this computer's key) and the fix: edge-agent --home ${dataDir} doctor\n`), en.stdout);
  });

  test('status while the platform cannot be reached names the doctor command under the connection line, once; a good connection only as the way to check it now', async () => {
    const p = await startTestPlatform(temp);
    let open = true;
    try {
      const { agent, dataDir } = await enrolledAgent(temp, p);
      await agent.close();
      const good = await cli(dataDir, ['--lang', 'en', 'status']);
      assert.equal(good.code, 0, good.stderr);
      assert.match(good.stdout, /\nConnection: Online/);
      // No service runs here: the state is the last one stored, and doctor is named only to check it now.
      assert.doesNotMatch(good.stdout, /To find the cause/);
      assert.ok(good.stdout.includes(`this is the last check stored. To check it now: edge-agent --home ${dataDir} doctor\nLast sync: `), good.stdout);
      await p.close();
      open = false;

      assert.equal((await cli(dataDir, ['sync'])).code, 2);
      const en = await cli(dataDir, ['--lang', 'en', 'status']);
      assert.equal(en.code, 0, en.stderr);
      assert.ok(en.stdout.includes(`\nConnection: Offline — Cannot reach the national platform.`), en.stdout);
      // The cause's hint names doctor; the line saying the state is not checked now does not name it again.
      assert.ok(
        en.stdout.includes(
          `\n  No background service runs here, so the connection is not being checked now: this is the last check stored.\n  To find the cause (address, proxy, certificate, clock, this computer's key) and the fix: edge-agent --home ${dataDir} doctor\nLast sync: `,
        ),
        en.stdout,
      );
      assert.equal(en.stdout.match(/doctor/g)?.length, 1, en.stdout);
      const vi = await cli(dataDir, ['status']);
      assert.ok(vi.stdout.includes(`\n  Để biết nguyên nhân (địa chỉ, proxy, chứng chỉ, đồng hồ, khóa của máy) và cách khắc phục: edge-agent --home ${dataDir} doctor\n`), vi.stdout);
      assert.equal(vi.stdout.match(/doctor/g)?.length, 1, vi.stdout);
    } finally {
      // A failed check above must not leave the platform listening (the test file would never end).
      if (open) await p.close();
    }
  });
});

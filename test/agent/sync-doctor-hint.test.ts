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

  test('status while the platform cannot be reached names the doctor command under the connection line; a good connection does not', async () => {
    const p = await startTestPlatform(temp);
    const { agent, dataDir } = await enrolledAgent(temp, p);
    await agent.close();
    const good = await cli(dataDir, ['--lang', 'en', 'status']);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /\nConnection: Online/);
    assert.doesNotMatch(good.stdout, /doctor/);
    await p.close();

    assert.equal((await cli(dataDir, ['sync'])).code, 2);
    const en = await cli(dataDir, ['--lang', 'en', 'status']);
    assert.equal(en.code, 0, en.stderr);
    assert.ok(en.stdout.includes(`\nConnection: Offline — Cannot reach the national platform.`), en.stdout);
    assert.ok(en.stdout.includes(`\n  To find the cause (address, proxy, certificate, clock, this computer's key) and the fix: edge-agent --home ${dataDir} doctor\nLast sync: `), en.stdout);
    const vi = await cli(dataDir, ['status']);
    assert.ok(vi.stdout.includes(`\n  Để biết nguyên nhân (địa chỉ, proxy, chứng chỉ, đồng hồ, khóa của máy) và cách khắc phục: edge-agent --home ${dataDir} doctor\n`), vi.stdout);
  });
});

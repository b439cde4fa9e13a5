import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startPlatform } from '../../national-platform/src/index.js';
import type { DigestResponse } from '../../sync-engine/src/protocol/pull.js';
import type { PlatformClient } from '../../sync-engine/src/sync/ports.js';
import { SyncRun } from '../../sync-engine/src/sync/sync-run.js';
import { validBirth } from '../datasets/fixtures.js';
import { TestClock } from './support/engine-fixture.js';
import { enrolledAgent } from './support/enrolled-agent.js';

const DS = 'civil-status-births';

/** The real client, counting calls; `staleDigest` (when set) is what the next digest call of DS answers. */
class WatchedClient implements PlatformClient {
  calls: string[] = [];
  staleDigest: DigestResponse | null = null;
  constructor(private readonly inner: PlatformClient) {}
  health: PlatformClient['health'] = () => this.inner.health();
  catalog: PlatformClient['catalog'] = () => (this.calls.push('catalog'), this.inner.catalog());
  pull: PlatformClient['pull'] = (d, s, l) => (this.calls.push(`pull ${d}`), this.inner.pull(d, s, l));
  push: PlatformClient['push'] = (m) => (this.calls.push('push'), this.inner.push(m));
  digest: PlatformClient['digest'] = async (d) => {
    this.calls.push(`digest ${d}`);
    const stale = d === DS ? this.staleDigest : null;
    if (d === DS) this.staleDigest = null;
    return stale ?? this.inner.digest(d);
  };
}

test('a digest asked for alongside the pull is used only when it names the head the pull ended at', async () => {
  const clock = new TestClock();
  const dir = mkdtempSync(join(tmpdir(), 'early-digest-'));
  const platform = await startPlatform({ db: join(dir, 'platform.sqlite'), rateLimit: false, now: () => new Date(clock.now()), log: () => undefined });
  await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
  const agent = await enrolledAgent(platform, 'HN-A', clock);
  try {
    await platform.admin.putRecords(DS, [{ data: validBirth({ personalId: '001301077001' }) }]);
    const client = new WatchedClient(agent.client);
    const run = () => new SyncRun({ ctx: agent.ctx, client }).run('test');
    assert.equal((await run()).digests[DS]?.status, 'match');

    // Nothing changed: one digest call per dataset, answered alongside the pull, and it matches.
    client.calls = [];
    const quiet = await run();
    assert.equal(quiet.digests[DS]?.status, 'match');
    assert.equal(client.calls.filter((c) => c === `digest ${DS}`).length, 1);
    const datasets = Object.keys(quiet.digests).length;
    assert.equal(client.calls.length, 1 + 2 * datasets, 'catalog, then one pull and one digest per dataset');

    // The early answer describes an older head (a change landed in between): it is not used, the digest is asked again.
    client.staleDigest = await agent.client.digest(DS);
    await platform.admin.putRecords(DS, [{ data: validBirth({ personalId: '001301077002' }) }]);
    client.calls = [];
    const moved = await run();
    assert.equal(moved.pulled, 1);
    assert.equal(moved.digests[DS]?.status, 'match', 'compared with the fresh answer, not the stale one');
    assert.equal(client.calls.filter((c) => c === `digest ${DS}`).length, 2, JSON.stringify(client.calls));
    assert.equal(client.calls.filter((c) => c === `pull ${DS}`).length, 1, 'no catch-up pull: the stale answer was never compared');
  } finally {
    await agent.close();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

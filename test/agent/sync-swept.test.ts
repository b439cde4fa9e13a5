import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { enrolledAgent, ok, platformPerSuite, samples } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

/**
 * A resync (here 410 resync_required after the platform purged the tombstones of records it deleted) sweeps
 * the synced records its snapshot no longer holds off this computer: `edge-agent sync` and the Sync history
 * say how many, as they say how many changes were sent again after a restore.
 */
describe('the records a resync removed are counted in the run and said by `sync`', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('a resync that sweeps N records reports N (vi and en text, --json, the history row); a run without one says nothing', async () => {
    const { agent, dataDir } = await enrolledAgent(temp, env.p);
    const gen = samples(43);
    const put = () => env.p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01'));
    const ids = [];
    for (let i = 0; i < 7; i += 1) ids.push((await put()).id);
    await ok(agent, 'sync.now', {});
    await agent.close();
    /** The platform deletes these records and purges the deletions: this office's cursor is then behind its horizon. */
    const deleteAndPurge = async (doomed: string[]) => {
      for (const id of doomed) await env.p.platform.admin.deleteRecord(DATASET, id);
      assert.ok(await env.p.platform.admin.purgeTombstones(0));
    };

    await deleteAndPurge(ids.slice(0, 3));
    const vi = await cli(dataDir, ['sync']);
    assert.equal(vi.code, 0, vi.stdout + vi.stderr);
    assert.ok(
      vi.stdout.includes(
        '  3 bản ghi mà nền tảng quốc gia không còn giữ cho đơn vị này (đã bị xóa ở đó, hoặc đã ra ngoài phạm vi của đơn vị) đã được xóa khỏi máy này khi nhận lại toàn bộ dữ liệu.\n',
      ),
      vi.stdout,
    );

    await deleteAndPurge(ids.slice(3, 4));
    const en = await cli(dataDir, ['--lang', 'en', 'sync']);
    assert.equal(en.code, 0, en.stdout + en.stderr);
    assert.ok(
      en.stdout.includes(
        "  1 record(s) the national platform no longer holds for this office (deleted there, or moved out of this office's scope) were removed from this computer when all the data was received again.\n",
      ),
      en.stdout,
    );

    await deleteAndPurge(ids.slice(4, 6));
    const json = await cli(dataDir, ['--json', 'sync']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((json.json as { run: { swept?: number } }).run.swept, 2);

    const quiet = await cli(dataDir, ['--json', 'sync']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal((quiet.json as { run: { swept?: number } }).run.swept, undefined, 'no resync, nothing removed: absent');
    assert.doesNotMatch((await cli(dataDir, ['sync'])).stdout, /đã được xóa khỏi máy này/);

    const reopened = await createAgentService({ dataDir, onError: () => undefined });
    try {
      const history = await ok(reopened, 'syncRuns.list', { limit: 5 });
      assert.deepEqual(
        history.map((run) => run.swept),
        [undefined, undefined, 2, 1, 3],
        'the history rows keep the count',
      );
      for (const [i, id] of ids.entries()) {
        const here = await ok(reopened, 'records.get', { dataset: DATASET, id });
        assert.equal(here !== null, i === 6, `record ${i}: swept unless the platform still holds it`);
      }
    } finally {
      await reopened.close();
    }
  });
});

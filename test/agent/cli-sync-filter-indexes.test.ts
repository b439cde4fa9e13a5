import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import { filterIndexes, presentFilterIndexes } from '../../sync-engine/src/records/record-filter.js';
import { openAgentStore } from '../../sync-engine/src/store/agent-store.js';
import { enrolledAgent, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const temp = new TempDirs();
after(() => temp.cleanup());

// With no background service, `edge-agent sync` in its own process is what syncs the folder. The Records filters'
// indexes are built after a run; that command's close stopped the build, so such a folder never got them (each
// sync spending CPU on a build thrown away). The command now lets the build finish before it closes.
test('a one-shot edge-agent sync leaves the Records filters indexes of the datasets it caught up built', async () => {
  const p = await startTestPlatform(temp);
  try {
    const { agent, dataDir } = await enrolledAgent(temp, p, { sync: false });
    await agent.close();
    const sync = await cli(dataDir, ['--json', 'sync']);
    assert.equal(sync.code, 0, sync.stdout + sync.stderr);

    const store = await openAgentStore(dataDir);
    try {
      const caughtUp = (await store.sql.all<{ dataset: string }>(`SELECT "dataset" FROM "cursors" WHERE "caught_up_at" IS NOT NULL`)).map((r) => r.dataset);
      const wanted = DATASETS.filter((d) => caughtUp.includes(d.name)).flatMap(filterIndexes).map((i) => i.name).sort();
      assert.ok(wanted.length >= 4, `the births' and dossiers' filters at least: ${wanted.join(', ')}`);
      assert.deepEqual((await presentFilterIndexes(store.sql)).sort(), wanted);
    } finally {
      await store.close();
    }
  } finally {
    await p.close();
  }
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { createAgentService } from '../../sync-engine/src/index.js';
import { addSite, ok, platformLive, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { mulberry32 as seeded } from '../../national-platform/src/seed/seeded-random.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CHILD = resolve(import.meta.dirname, 'support/crash-child.ts');
const DATASET = 'civil-status-births';
const TOTAL = Number(process.env['CRASH_RECORDS'] ?? 2000);
const KILLS = Number(process.env['CRASH_KILLS'] ?? 20);
const SEED = Number(process.env['CRASH_SEED'] ?? 4242);

interface ChildRun {
  child: ChildProcess;
  lines: string[];
  /** Resolves on the first line equal to `line`. */
  seen(line: string): Promise<void>;
  exited: Promise<number | null>;
}

function startChild(args: string[]): ChildRun {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ line: string; done: () => void }> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      lines.push(line);
      for (const w of waiters.filter((x) => x.line === line)) w.done();
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return {
    child,
    lines,
    exited,
    seen: (line) =>
      new Promise<void>((done, fail) => {
        if (lines.includes(line)) return done();
        waiters.push({ line, done });
        void exited.then((code) => fail(new Error(`the agent exited (${code}) before "${line}": ${stderr.slice(-2000)}`)));
      }),
  };
}

describe('the agent killed at random moments', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test(`SIGKILL ${KILLS} times while writing ${TOTAL} records and syncing: nothing lost, nothing doubled, digests equal`, async () => {
    const p = await startTestPlatform(temp);
    const random = seeded(SEED);
    const dataDir = temp.make('crash-agent-');
    try {
      const site = await addSite(p);
      const token = await p.platform.admin.createToken({ site });
      // Records made here once, personal IDs unique by their number, so the child only writes and syncs.
      const generator = createSampleGenerator(SEED);
      const data = Array.from({ length: TOTAL }, (_, n) => {
        const sample = generator.sample(DATASET, '01');
        return { ...sample, personalId: `${String(sample['personalId']).slice(0, 6)}${String(n).padStart(6, '0')}` };
      });
      const recordsFile = join(temp.make('crash-records-'), 'records.json');
      writeFileSync(recordsFile, JSON.stringify(data));
      const args = [dataDir, p.url, site, token, recordsFile];
      const committed = new Set<string>();
      // Each life holds (never exits by itself), so every one of the KILLS ends in a SIGKILL.
      let killsBeforeAllWritten = 0;
      for (let kill = 0; kill < KILLS; kill += 1) {
        const run = startChild([...args, 'hold']);
        await run.seen('ready');
        // A random moment: during writes, a push, a pull page or the digest.
        await new Promise((done) => setTimeout(done, 50 + Math.floor(random() * 900)));
        run.child.kill('SIGKILL');
        await run.exited;
        for (const line of run.lines) if (line.startsWith('W ')) committed.add(line.slice(2));
        if (!run.lines.includes('all')) killsBeforeAllWritten += 1;
      }
      // The kills must land while records are still being written and pushed, not only on idle syncs.
      assert.ok(killsBeforeAllWritten >= Math.min(KILLS, 3), `${killsBeforeAllWritten} of ${KILLS} kills came before all ${TOTAL} records were written and synced (seed ${SEED})`);

      const last = startChild(args);
      await last.seen('done');
      assert.equal(await last.exited, 0);
      for (const line of last.lines) if (line.startsWith('W ')) committed.add(line.slice(2));

      const agent = await createAgentService({ dataDir, onError: () => undefined });
      try {
        const answer = await ok(agent, 'sync.now', {});
        assert.equal(answer.run?.status, 'ok');
        const status = await ok(agent, 'status.get', {});
        assert.equal(status.outbox.depth, 0, 'the outbox is empty');
        assert.equal(status.openConflicts, 0);
        assert.equal(status.datasets.find((d) => d.dataset === DATASET)?.digest, 'match', 'digests are equal');

        const national = await platformLive(p, DATASET);
        assert.equal(national.size, TOTAL, `the platform holds exactly the ${TOTAL} records written (seed ${SEED})`);
        const personalIds = new Set([...national.values()].map((r) => r.data?.['personalId']));
        assert.equal(personalIds.size, TOTAL, 'no record twice on the platform');
        for (const id of committed) assert.ok(national.has(id), `committed write ${id} reached the platform`);
        const rows = await agent.store.sql.all<{ id: string; rev: number }>(`SELECT "id", "rev" FROM "records" WHERE "dataset" = ? AND "deleted" = 0`, [DATASET]);
        assert.equal(rows.length, TOTAL);
        for (const row of rows) assert.equal(national.get(row.id)?.rev, row.rev, `record ${row.id} agrees with the platform`);
      } finally {
        await agent.close();
      }
    } finally {
      await p.close();
    }
  });
});

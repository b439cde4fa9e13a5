import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { CommitQueue } from '../../national-platform/src/services/commit-queue.js';
import type { PushResponse } from '../../sync-engine/src/protocol/push.js';
import { describeOnEachStore, upsert } from '../support/platform-harness.js';

const BIRTHS = 'civil-status-births';

describe('commit queue', () => {
  test('jobs that arrive while a group runs are written together in the next group, in arrival order', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const queue = new CommitQueue<number, string>(async (jobs) => {
      groups.push(jobs);
      if (groups.length === 1) await firstHeld;
      return jobs.map((j) => `done ${j}`);
    }, 100);
    const first = queue.submit(1, 1);
    const later = [2, 3, 4].map((j) => queue.submit(j, 1));
    release();
    assert.deepEqual(await Promise.all([first, ...later]), ['done 1', 'done 2', 'done 3', 'done 4']);
    assert.deepEqual(groups, [[1], [2, 3, 4]]);
  });

  test('a group holds at most maxWeight, and a heavier job still runs alone', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const queue = new CommitQueue<number, number>(async (jobs) => {
      groups.push(jobs);
      if (groups.length === 1) await firstHeld;
      return jobs;
    }, 10);
    const all = [queue.submit(0, 1), queue.submit(1, 6), queue.submit(2, 4), queue.submit(3, 1), queue.submit(4, 30)];
    release();
    await Promise.all(all);
    assert.deepEqual(groups, [[0], [1, 2], [3], [4]]);
  });

  test('when a group fails, each of its jobs runs again alone and only the bad one fails', async () => {
    const groups: string[][] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const queue = new CommitQueue<string, string>(async (jobs) => {
      groups.push(jobs);
      if (groups.length === 1) await firstHeld;
      if (jobs.includes('bad')) throw new Error('bad job');
      return jobs.map((j) => j.toUpperCase());
    }, 100);
    const first = queue.submit('a', 1);
    const rest = ['b', 'bad', 'c'].map((j) => queue.submit(j, 1));
    release();
    const settled = await Promise.allSettled([first, ...rest]);
    assert.deepEqual(
      settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)),
      ['A', 'B', 'bad job', 'C'],
    );
    assert.deepEqual(groups, [['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });
});

describeOnEachStore('concurrent pushes', (env) => {
  test('pushes sent at once that claim one personal ID apply exactly one of them', async () => {
    const p = await env.start();
    const agents = [await p.agent('HN-01'), await p.agent('HN-02')];
    const gen = createSampleGenerator(41);
    const birth = gen.birth('01');
    // Eight registrations of one child: the same personal ID, told apart only by their notes.
    const pushes = Array.from({ length: 8 }, (_, i) => (agents[i % 2] ?? agents[0])?.push<PushResponse>([upsert(BIRTHS, { ...birth, notes: `copy ${i}` })]));
    const answers = await Promise.all(pushes);
    const statuses = answers.map((a) => a?.body.results[0]?.status);
    assert.equal(statuses.filter((s) => s === 'applied').length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 'rejected').length, 7);
    for (const a of answers) {
      const r = a?.body.results[0];
      if (r?.status === 'rejected') assert.equal(r.errors[0]?.code, 'unique');
    }
  });

  test('one batch sent twice at once is applied once; the other copy is answered duplicate with the same rev and seq', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const gen = createSampleGenerator(42);
    const batch = [upsert(BIRTHS, gen.birth('01')), upsert(BIRTHS, gen.birth('01'))];
    const [a, b, c] = await Promise.all([agent.push<PushResponse>(batch), agent.push<PushResponse>(batch), agent.push<PushResponse>(batch)]);
    const all = [a, b, c].map((x) => x?.body.results ?? []);
    const applied = all.filter((r) => r.every((x) => x.status === 'applied'));
    const duplicate = all.filter((r) => r.every((x) => x.status === 'duplicate'));
    assert.equal(applied.length, 1, JSON.stringify(all));
    assert.equal(duplicate.length, 2);
    for (const d of duplicate) assert.deepEqual(d.map((x) => x.status === 'duplicate' && [x.rev, x.seq]), applied[0]?.map((x) => x.status === 'applied' && [x.rev, x.seq]));
    assert.equal((await p.admin.listRecords(BIRTHS)).length, 2);
  });

  test('sites pushing at once are each judged against their own scope', async () => {
    const p = await env.start();
    const hanoi = await p.agent('HN-01');
    const danang = await p.agent('DN-01', { provinceCode: '48' });
    const gen = createSampleGenerator(43);
    const [fromHanoi, fromDanang] = await Promise.all([
      hanoi.push<PushResponse>([upsert(BIRTHS, gen.birth('01')), upsert(BIRTHS, gen.birth('48'))]),
      danang.push<PushResponse>([upsert(BIRTHS, gen.birth('48')), upsert(BIRTHS, gen.birth('01'))]),
    ]);
    assert.deepEqual(fromHanoi.body.results.map((r) => r.status), ['applied', 'rejected']);
    assert.deepEqual(fromDanang.body.results.map((r) => r.status), ['applied', 'rejected']);
    const log = await p.admin.messageLog();
    assert.deepEqual(log.map((l) => l.siteCode).sort(), ['DN-01', 'HN-01']);
  });
});

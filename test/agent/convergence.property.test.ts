import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import type { AgentService } from '../../sync-engine/src/index.js';
import { addSite, enrolledAgent, ok, platformLive, startTestPlatform, TempDirs, type TestAgent, type TestPlatform } from './support/agent-fixture.js';
import { faultyClientFactory, type FaultDial } from './support/faulty-client.js';
import { mulberry32 as seeded } from '../../national-platform/src/seed/seeded-random.js';

/**
 * Random interleavings of edits at two or three offices and on the national
 * side, with syncs whose answers are sometimes lost on the way back. After
 * quiescence every office must hold exactly the platform's records, the
 * platform must hold no duplicate, and no local write may have vanished: each
 * reached the platform or became a conflict or rejection a person saw.
 *
 * Bounded for CI (PROPERTY_RUNS x PROPERTY_STEPS); PROPERTY_SEED replays a run.
 */
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 12);
const STEPS = Number(process.env['PROPERTY_STEPS'] ?? 40);
const BASE_SEED = Number(process.env['PROPERTY_SEED'] ?? 20250701);
const DATASET = 'civil-status-births';
const SETTLING = new Set(['sync.applied', 'conflict.opened', 'sync.rejected', 'merge.auto', 'local.put', 'local.delete', 'conflict.resolved', 'outbox.discard']);

interface LocalWrite {
  agent: number;
  id: string;
  data: Record<string, unknown> | null;
  /** The agent's newest audit seq right after the write. */
  auditSeq: number;
}

describe('convergence under random interleavings and lost answers (property)', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  let dropped = 0;

  for (let run = 0; run < RUNS; run += 1) {
    const seed = BASE_SEED + run;
    test(`run ${run + 1}/${RUNS} (seed ${seed}) converges`, async () => {
      try {
        dropped += await oneRun(temp, seed);
      } catch (error) {
        throw new Error(`convergence property failed; replay with PROPERTY_SEED=${seed} PROPERTY_RUNS=1: ${(error as Error).message}`, { cause: error });
      }
    });
  }

  test('the runs did lose answers on the way back', () => {
    assert.ok(dropped > 0, 'faults were injected');
  });
});

async function oneRun(temp: TempDirs, seed: number): Promise<number> {
  const rnd = seeded(seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(rnd() * items.length)];
  const dial: FaultDial = { rate: 0, random: rnd, dropped: 0 };
  const p = await startTestPlatform(temp);
  const agents: TestAgent[] = [];
  try {
    const count = rnd() < 0.5 ? 2 : 3;
    for (let i = 0; i < count; i += 1) {
      const site = await addSite(p);
      agents.push(await enrolledAgent(temp, p, { site, service: { platformClientFactory: faultyClientFactory(dial), random: rnd } }));
    }
    const gen = createSampleGenerator(seed);
    const writes: LocalWrite[] = [];
    const trace: string[] = [];
    dial.rate = 0.25;

    for (let step = 0; step < STEPS; step += 1) {
      const r = rnd();
      const index = Math.floor(rnd() * agents.length);
      const agent = agents[index]!.agent;
      if (r < 0.4) {
        await localWrite(agent, index, step, gen, p, rnd, pick, writes);
        trace.push(`${step} office ${index} wrote ${writes.at(-1)?.id ?? '(refused)'}`);
      } else if (r < 0.55) trace.push(`${step} national ${await nationalWrite(p, step, gen, rnd, pick)}`);
      else if (r < 0.9) {
        const answer = await agent.call('sync.now', {});
        trace.push(`${step} office ${index} sync ${JSON.stringify(answer.ok ? { ...answer.value.run, digests: undefined } : answer.error)}`);
      } else trace.push(`${step} office ${index} ${await settleOne(agent, rnd, pick)}`);
    }

    dial.rate = 0;
    await quiesce(agents.map((a) => a.agent));
    await checkInvariants(p, agents, writes, trace);
    return dial.dropped;
  } finally {
    for (const a of agents) await a.agent.close();
    await p.close();
  }
}

async function localWrite(
  agent: AgentService,
  index: number,
  step: number,
  gen: ReturnType<typeof createSampleGenerator>,
  p: TestPlatform,
  rnd: () => number,
  pick: <T>(items: readonly T[]) => T | undefined,
  writes: LocalWrite[],
): Promise<void> {
  const live = await agent.store.sql.all<{ id: string; data: string }>(
    `SELECT "id", "data" FROM "records" WHERE "dataset" = ? AND "deleted" = 0 AND "state" <> 'conflict'`,
    [DATASET],
  );
  const r = rnd();
  let id: string | undefined;
  let data: Record<string, unknown> | null;
  let result;
  if (r < 0.35 || live.length === 0) {
    data = gen.sample(DATASET, '01');
    const twin = r < 0.07 ? pick([...(await platformLive(p, DATASET)).values()]) : undefined;
    // Now and then the same person typed in at two offices: a possible duplicate.
    if (twin?.data) data = { ...data, personalId: twin.data['personalId'], birthDate: twin.data['birthDate'], gender: twin.data['gender'] };
    result = await agent.call('records.put', { dataset: DATASET, data });
    if (result.ok) id = result.value.id;
  } else if (r < 0.85) {
    const row = pick(live)!;
    id = row.id;
    const field = rnd() < 0.6 ? 'registrar' : 'notes';
    data = { ...(JSON.parse(row.data) as Record<string, unknown>), [field]: `${field} ${index}.${step}` };
    result = await agent.call('records.put', { dataset: DATASET, data, id });
  } else {
    id = pick(live)!.id;
    data = null;
    result = await agent.call('records.delete', { dataset: DATASET, id });
  }
  if (!result.ok || id === undefined) return;
  const [newest] = await agent.store.sql.all<{ seq: number }>('SELECT MAX("seq") AS seq FROM "audit_log"');
  writes.push({ agent: index, id, data, auditSeq: newest?.seq ?? 0 });
}

/** Returns what it did, for the trace. */
async function nationalWrite(p: TestPlatform, step: number, gen: ReturnType<typeof createSampleGenerator>, rnd: () => number, pick: <T>(items: readonly T[]) => T | undefined): Promise<string> {
  const live = [...(await platformLive(p, DATASET)).entries()];
  const r = rnd();
  const target = pick(live);
  try {
    if (r < 0.25 || !target) return `created ${(await p.platform.admin.putRecord(DATASET, gen.sample(DATASET, '01'))).id}`;
    if (r < 0.85) {
      const [id, current] = target;
      const field = rnd() < 0.6 ? 'registrar' : 'notes';
      await p.platform.admin.putRecord(DATASET, { ...current.data, [field]: `${field} national.${step}` }, { id, baseRev: current.rev });
      return `edited ${id}`;
    }
    await p.platform.admin.deleteRecord(DATASET, target[0]);
    return `deleted ${target[0]}`;
  } catch (error) {
    // A national write refused by the platform's own checks changes nothing.
    return `refused: ${(error as Error).message}`;
  }
}

/** A person settles one open conflict, choosing a side at random. */
async function settleOne(agent: AgentService, rnd: () => number, pick: <T>(items: readonly T[]) => T | undefined): Promise<string> {
  const conflict = pick((await ok(agent, 'conflicts.list', {})).items);
  if (!conflict) return 'had no conflict to settle';
  const choice = conflict.kind === 'possible-duplicate' ? { duplicate: 'discard-local' as const } : { take: rnd() < 0.5 ? ('local' as const) : ('national' as const) };
  const answer = await agent.call('conflicts.resolve', { id: conflict.id, ...choice });
  return `settled ${conflict.recordId} with ${JSON.stringify(choice)}: ${answer.ok ? 'ok' : answer.error.code}`;
}

/** Full syncs and settling what is left (taking the national side) until nothing changes. */
async function quiesce(agents: AgentService[]): Promise<void> {
  for (let round = 0; round < 8; round += 1) {
    let settled = true;
    for (const agent of agents) {
      const answer = await ok(agent, 'sync.now', {});
      assert.ok(answer.run && answer.run.status !== 'failed', `a sync without faults finishes: ${JSON.stringify(answer.run?.error)}`);
      for (const conflict of (await ok(agent, 'conflicts.list', { limit: 1000 })).items) {
        settled = false;
        const choice = conflict.kind === 'possible-duplicate' ? { duplicate: 'discard-local' as const } : { take: 'national' as const };
        await ok(agent, 'conflicts.resolve', { id: conflict.id, ...choice });
      }
      const status = await ok(agent, 'status.get', {});
      if (status.outbox.depth > 0 || (answer.run?.pushed ?? 0) > 0 || (answer.run?.pulled ?? 0) > 0) settled = false;
    }
    if (settled) return;
  }
  assert.fail('the offices did not settle within 8 rounds of full syncs');
}

async function checkInvariants(p: TestPlatform, agents: TestAgent[], writes: LocalWrite[], trace: string[]): Promise<void> {
  const national = await platformLive(p, DATASET);
  const personalIds = [...national.values()].map((r) => r.data?.['personalId']);
  assert.equal(new Set(personalIds).size, personalIds.length, 'no person twice on the platform');

  for (const [index, { agent }] of agents.entries()) {
    const status = await ok(agent, 'status.get', {});
    assert.equal(status.outbox.depth, 0, `office ${index}: outbox empty`);
    assert.equal(status.openConflicts, 0, `office ${index}: no open conflict`);
    assert.equal(status.datasets.find((d) => d.dataset === DATASET)?.digest, 'match', `office ${index}: digest matches the platform's`);
    const rows = await agent.store.sql.all<{ id: string; data: string; rev: number; state: string }>(
      `SELECT "id", "data", "rev", "state" FROM "records" WHERE "dataset" = ? AND "deleted" = 0 AND "state" <> 'rejected'`,
      [DATASET],
    );
    const local = new Map(rows.map((r) => [r.id, { rev: r.rev, data: JSON.parse(r.data) as Record<string, unknown> }]));
    assert.deepEqual(local, national, `office ${index} holds exactly the platform's records`);
  }

  for (const write of writes) {
    const { agent } = agents[write.agent]!;
    const later = await agent.store.sql.all<{ action: string }>('SELECT "action" FROM "audit_log" WHERE "dataset" = ? AND "record_id" = ? AND "seq" > ?', [
      DATASET,
      write.id,
      write.auditSeq,
    ]);
    if (later.some((e) => SETTLING.has(e.action))) continue;
    const final = national.get(write.id)?.data ?? null;
    if (isDeepStrictEqual(final, write.data)) continue;
    assert.fail(`office ${write.agent}'s write to ${write.id} reached the platform or a person\n${await story(agents, write, final)}\nsteps:\n${trace.join('\n')}`);
  }
}

/** What every office's audit log says about the record, to tell a failure's story. */
async function story(agents: TestAgent[], write: LocalWrite, final: Record<string, unknown> | null): Promise<string> {
  const lines = [`write (audit seq ${write.auditSeq}): ${JSON.stringify(write.data)}`, `platform now: ${JSON.stringify(final)}`];
  for (const [index, { agent }] of agents.entries()) {
    const events = await agent.store.sql.all<{ seq: number; action: string; details: string | null }>(
      'SELECT "seq", "action", "details" FROM "audit_log" WHERE "dataset" = ? AND "record_id" = ? ORDER BY "seq"',
      [DATASET, write.id],
    );
    for (const e of events) lines.push(`office ${index} #${e.seq} ${e.action} ${e.details ?? ''}`);
  }
  return lines.join('\n');
}

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { startPlatform, type RunningPlatform } from '../../../national-platform/src/index.js';
import { createSampleGenerator, type SampleGenerator } from '../../../national-platform/src/seed/samples.js';
import { LocalWriteRefused, ValidationFailed } from '../../../sync-engine/src/records/write-errors.js';
import { TestClock } from '../../engine/support/engine-fixture.js';
import { FaultProxy, type FaultRates } from './fault-proxy.js';
import { mulberry32 as seeded } from '../../../national-platform/src/seed/seeded-random.js';
import { proxiedAgent, type ProxiedAgent } from './proxied-agent.js';

/** Datasets the offices and the national side edit, with the fields edits change and the field that must stay unique. */
export const EDITED: Record<string, { fields: readonly string[]; unique: string }> = {
  'civil-status-births': { fields: ['registrar', 'notes'], unique: 'personalId' },
  'procedure-dossiers': { fields: ['handler', 'applicantName'], unique: 'dossierNumber' },
};
const DATASET_NAMES = Object.keys(EDITED);
/** Audit actions after a local write that show it reached the platform or a person. */
const SETTLING = new Set(['sync.applied', 'conflict.opened', 'sync.rejected', 'merge.auto', 'local.put', 'local.delete', 'conflict.resolved', 'outbox.discard']);
export const PROVINCE = '01';

export interface ScenarioOptions {
  name: string;
  seed: number;
  steps: number;
  rates: FaultRates;
  /** A partition starts with this probability per step (when none is on) and lasts `partitionSyncs` sync runs. */
  partitionChance?: number;
  partitionSyncs?: number;
  agents?: number;
}

export interface ScenarioResult {
  scenario: string;
  seed: number;
  steps: number;
  runs: number;
  faultsInjected: number;
  faultsByKind: Record<string, number>;
  partitions: number;
  recordsWritten: number;
  localWrites: number;
  nationalWrites: number;
  conflictsSettled: number;
  rejections: number;
  lost: number;
  duplicated: number;
  duplicateDeliveriesRefused: number;
  problems: string[];
}

interface LocalWrite {
  agent: number;
  dataset: string;
  id: string;
  created: boolean;
  data: Record<string, unknown> | null;
  auditSeq: number;
}

/**
 * Three offices of one province and the national side edit at random, with
 * sync runs in between, all through a fault proxy. Then the proxy heals and
 * the offices sync (taking one side of every conflict) until quiet, and the
 * invariants are counted rather than asserted one by one, so the summary can
 * say how many writes were lost or doubled (both must be 0).
 */
export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const rnd = seeded(options.seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(rnd() * items.length)];
  const dir = mkdtempSync(join(tmpdir(), 'reliability-'));
  const clock = new TestClock();
  const platform = await startPlatform({ db: join(dir, 'platform.sqlite'), rateLimit: false, now: () => new Date(clock.now()), log: () => undefined });
  const proxy = await new FaultProxy({ target: platform.url, random: seeded(options.seed ^ 0x5eed), rates: {} }).start();
  const agents: ProxiedAgent[] = [];
  const result: ScenarioResult = {
    scenario: options.name,
    seed: options.seed,
    steps: options.steps,
    runs: 0,
    faultsInjected: 0,
    faultsByKind: {},
    partitions: 0,
    recordsWritten: 0,
    localWrites: 0,
    nationalWrites: 0,
    conflictsSettled: 0,
    rejections: 0,
    lost: 0,
    duplicated: 0,
    duplicateDeliveriesRefused: 0,
    problems: [],
  };
  try {
    for (let i = 0; i < (options.agents ?? 3); i += 1) {
      const site = `HN-SITE-${i + 1}`;
      await platform.admin.addSite({ code: site, name: `UBND phường ${i + 1}`, provinceCode: PROVINCE });
      agents.push(await proxiedAgent(platform, site, clock, proxy.url));
    }
    const gen = createSampleGenerator(options.seed);
    const writes: LocalWrite[] = [];
    const sync = async (agent: ProxiedAgent) => {
      result.runs += 1;
      if (partitionLeft > 0 && (partitionLeft -= 1) === 0) proxy.partitioned = false;
      clock.advance(1000);
      return agent.sync();
    };
    let partitionLeft = 0;
    proxy.rates = options.rates;

    for (let step = 0; step < options.steps; step += 1) {
      clock.advance(1000);
      if (partitionLeft === 0 && options.partitionChance && rnd() < options.partitionChance) {
        proxy.partitioned = true;
        partitionLeft = options.partitionSyncs ?? 4;
        result.partitions += 1;
      }
      const r = rnd();
      const index = Math.floor(rnd() * agents.length);
      const agent = agents[index]!;
      if (r < 0.4) {
        const write = await localWrite(agent, index, step, gen, platform, rnd, pick);
        if (write) writes.push(write);
      } else if (r < 0.55) {
        if (await nationalWrite(platform, step, gen, rnd, pick)) result.nationalWrites += 1;
      } else if (r < 0.95) await sync(agent);
      else result.conflictsSettled += await settleOne(agent, rnd, pick);
    }

    proxy.heal();
    partitionLeft = 0;
    result.conflictsSettled += await quiesce(agents, sync, result);
    result.localWrites = writes.length;
    result.recordsWritten = writes.length + result.nationalWrites;
    result.faultsInjected = proxy.faultsInjected;
    result.faultsByKind = Object.fromEntries(Object.entries(proxy.stats.faults).filter(([, n]) => n > 0));
    result.duplicateDeliveriesRefused = proxy.stats.duplicateAnswers.filter((s) => s === 401).length;
    if (result.duplicateDeliveriesRefused !== proxy.stats.duplicateAnswers.length) {
      result.problems.push(`a request delivered twice was answered ${proxy.stats.duplicateAnswers.join(',')} the second time (expected 401 replayed)`);
    }
    await countInvariants(platform, agents, writes, result);
    return result;
  } finally {
    for (const a of agents) await a.store.close();
    await proxy.close();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function localWrite(
  agent: ProxiedAgent,
  index: number,
  step: number,
  gen: SampleGenerator,
  platform: RunningPlatform,
  rnd: () => number,
  pick: <T>(items: readonly T[]) => T | undefined,
): Promise<LocalWrite | null> {
  const dataset = pick(DATASET_NAMES)!;
  const live = await agent.store.sql.all<{ id: string; data: string }>(
    `SELECT "id", "data" FROM "records" WHERE "dataset" = ? AND "deleted" = 0 AND "state" NOT IN ('conflict', 'rejected')`,
    [dataset],
  );
  const r = rnd();
  let data: Record<string, unknown> | null;
  let id: string;
  let created = false;
  try {
    if (r < 0.35 || live.length === 0) {
      data = gen.sample(dataset, PROVINCE) as Record<string, unknown>;
      if (r < 0.05) {
        // Now and then the same unique value typed in at two offices: a possible duplicate.
        const twin = pick((await platform.admin.listRecords(dataset, { province: PROVINCE, limit: 10_000 })).filter((x) => !x.deleted));
        const unique = EDITED[dataset]!.unique;
        if (twin?.data) data = { ...data, [unique]: twin.data[unique] };
      }
      id = (await agent.writes.put(dataset, data, { user: `clerk ${index}` })).record.id;
      created = true;
    } else if (r < 0.85) {
      const row = pick(live)!;
      id = row.id;
      const field = pick(EDITED[dataset]!.fields)!;
      data = { ...(JSON.parse(row.data) as Record<string, unknown>), [field]: `${field} ${index}.${step}` };
      await agent.writes.put(dataset, data, { id, user: `clerk ${index}` });
    } else {
      id = pick(live)!.id;
      data = null;
      await agent.writes.delete(dataset, id, { user: `clerk ${index}` });
    }
  } catch (error) {
    // Refused locally (conflict open, validation): nothing was written, nothing to track.
    if (error instanceof LocalWriteRefused || error instanceof ValidationFailed) return null;
    throw error;
  }
  const newest = await agent.store.sql.get<{ seq: number }>('SELECT MAX("seq") AS seq FROM "audit_log"');
  return { agent: index, dataset, id, created, data, auditSeq: newest?.seq ?? 0 };
}

async function nationalWrite(platform: RunningPlatform, step: number, gen: SampleGenerator, rnd: () => number, pick: <T>(items: readonly T[]) => T | undefined): Promise<boolean> {
  const dataset = pick(DATASET_NAMES)!;
  const live = (await platform.admin.listRecords(dataset, { province: PROVINCE, limit: 10_000 })).filter((x) => !x.deleted);
  const r = rnd();
  const target = pick(live);
  try {
    if (r < 0.25 || !target) await platform.admin.putRecord(dataset, gen.sample(dataset, PROVINCE));
    else if (r < 0.85) {
      const field = pick(EDITED[dataset]!.fields)!;
      await platform.admin.putRecord(dataset, { ...target.data, [field]: `${field} national.${step}` }, { id: target.id, baseRev: target.rev });
    } else await platform.admin.deleteRecord(dataset, target.id);
    return true;
  } catch {
    // A national write refused by the platform's own checks changes nothing.
    return false;
  }
}

/** A person settles one open conflict, choosing a side at random. */
async function settleOne(agent: ProxiedAgent, rnd: () => number, pick: <T>(items: readonly T[]) => T | undefined): Promise<number> {
  const conflict = pick(await agent.conflicts.list({ status: 'open' }));
  if (!conflict) return 0;
  try {
    await agent.conflicts.resolve(conflict.id, rnd() < 0.5 ? { kind: 'take-remote' } : { kind: 'keep-local' });
    return 1;
  } catch {
    await agent.conflicts.resolve(conflict.id, { kind: 'take-remote' });
    return 1;
  }
}

/** Full syncs, taking the platform's side of what is left open and dropping quarantined changes, until nothing moves. */
async function quiesce(agents: ProxiedAgent[], sync: (a: ProxiedAgent) => ReturnType<ProxiedAgent['sync']>, result: ScenarioResult): Promise<number> {
  let settledCount = 0;
  for (let round = 0; round < 10; round += 1) {
    let quiet = true;
    for (const agent of agents) {
      const run = await sync(agent);
      if (run.status !== 'ok') result.problems.push(`a sync after healing ended ${run.status}: ${JSON.stringify(run.errors[0])}`);
      for (const conflict of await agent.conflicts.list({ status: 'open', limit: 10_000 })) {
        quiet = false;
        await agent.conflicts.resolve(conflict.id, { kind: 'take-remote' });
        settledCount += 1;
      }
      // A discard takes every held-back entry of its record; a newer change of it still waiting
      // is refused (pending_after) until a later round's sync has sent it.
      const discarded = new Set<string>();
      for (const entry of await agent.outbox.list({ status: 'quarantined', limit: 10_000 })) {
        quiet = false;
        const key = `${entry.dataset}/${entry.recordId}`;
        if (discarded.has(key)) continue;
        try {
          await agent.outbox.discard(entry.seq, 'reliability test');
          discarded.add(key);
          result.rejections += 1;
        } catch (error) {
          if (!(error instanceof LocalWriteRefused && error.code === 'pending_after')) throw error;
        }
      }
      const stats = await agent.outbox.stats();
      if (stats.queued + stats.inFlight > 0 || run.pushed > 0 || run.pulled > 0 || run.status !== 'ok') quiet = false;
    }
    if (quiet) return settledCount;
  }
  result.problems.push('the offices did not go quiet within 10 rounds of full syncs after healing');
  return settledCount;
}

async function countInvariants(platform: RunningPlatform, agents: ProxiedAgent[], writes: LocalWrite[], result: ScenarioResult): Promise<void> {
  const nationalByDataset = new Map<string, Map<string, { rev: number; data: Record<string, unknown> | null }>>();
  for (const dataset of DATASET_NAMES) {
    const all = await platform.admin.listRecords(dataset, { province: PROVINCE, includeDeleted: true, limit: 100_000 });
    const ids = all.map((r) => r.id);
    result.duplicated += ids.length - new Set(ids).size;
    const live = all.filter((r) => !r.deleted);
    const uniques = live.map((r) => r.data?.[EDITED[dataset]!.unique]);
    result.duplicated += uniques.length - new Set(uniques).size;
    nationalByDataset.set(dataset, new Map(live.map((r) => [r.id, { rev: r.rev, data: r.data }])));
  }
  // Exactly once on the wire: every accepted mutation id is logged once, and a record's revs are never reused.
  for (const agent of agents) {
    const log = await platform.admin.messageLog({ agentId: agent.agentId, limit: 10_000 });
    result.duplicated += log.length - new Set(log.map((l) => l.mutationId)).size;
    result.duplicated += log.length - new Set(log.map((l) => `${l.dataset}/${l.recordId}/${l.rev}`)).size;
  }

  for (const [index, agent] of agents.entries()) {
    const stats = await agent.outbox.stats();
    if (stats.queued + stats.inFlight + stats.quarantined > 0) result.problems.push(`office ${index}: outbox not empty ${JSON.stringify(stats)}`);
    if ((await agent.conflicts.countOpen()) > 0) result.problems.push(`office ${index}: conflicts left open`);
    const digests = await agent.store.sql.all<{ dataset: string; status: string }>('SELECT "dataset", "status" FROM "digests"');
    for (const dataset of DATASET_NAMES) {
      const status = digests.find((d) => d.dataset === dataset)?.status;
      if (status !== 'match') result.problems.push(`office ${index}: digest of ${dataset} is ${status}`);
      const rows = await agent.store.sql.all<{ id: string; data: string; rev: number }>(
        `SELECT "id", "data", "rev" FROM "records" WHERE "dataset" = ? AND "deleted" = 0 AND "state" <> 'rejected'`,
        [dataset],
      );
      const local = new Map(rows.map((r) => [r.id, { rev: r.rev, data: JSON.parse(r.data) as Record<string, unknown> }]));
      if (!isDeepStrictEqual(local, nationalByDataset.get(dataset))) result.problems.push(`office ${index}: ${dataset} differs from the platform`);
    }
  }

  for (const write of writes) {
    const agent = agents[write.agent]!;
    const later = await agent.store.sql.all<{ action: string }>('SELECT "action" FROM "audit_log" WHERE "dataset" = ? AND "record_id" = ? AND "seq" > ?', [
      write.dataset,
      write.id,
      write.auditSeq,
    ]);
    if (later.some((e) => SETTLING.has(e.action))) continue;
    const final = nationalByDataset.get(write.dataset)!.get(write.id)?.data ?? null;
    if (!isDeepStrictEqual(final, write.data)) {
      result.lost += 1;
      result.problems.push(`office ${write.agent}'s write to ${write.dataset}/${write.id} neither reached the platform nor a person`);
    }
  }
}

/** The summary line a run prints, and the JSON docs/reliability.md quotes. */
export function reportScenario(result: ScenarioResult): string {
  const line =
    `[reliability] ${result.scenario} seed=${result.seed} runs=${result.runs} faults=${result.faultsInjected} ` +
    `${JSON.stringify(result.faultsByKind)} partitions=${result.partitions} written=${result.recordsWritten} ` +
    `(local ${result.localWrites}, national ${result.nationalWrites}) conflictsSettled=${result.conflictsSettled} ` +
    `rejections=${result.rejections} lost=${result.lost} duplicated=${result.duplicated}`;
  console.log(line);
  const out = resolve(import.meta.dirname, '../../../.tmp/reliability');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${result.scenario}-seed-${result.seed}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return line;
}

// A commune office's background service cut off from the platform for a week, then back:
//   node --import tsx test/reliability/week-offline.ts        (DAYS=7 NATIONAL=1500 by default)
// Not part of `npm test` (minutes of real I/O); prints what the week left behind and how the catch-up went,
// and exits 1 when a record is lost or doubled, a conflict is missing or extra, or a digest does not match.
// docs/reliability.md, "A week cut off from the platform", has its figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform } from '../../national-platform/src/index.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { mulberry32 } from '../../national-platform/src/seed/seeded-random.js';
import { GotPlatformClient } from '../../sync-engine/src/adapters/platform-client-got.js';
import type { CommandInput, CommandName, CommandOutput } from '../../sync-engine/src/api/contract.js';
import { createAgentService, type AgentService } from '../../sync-engine/src/index.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import type { PlatformClient } from '../../sync-engine/src/sync/ports.js';
import { attentionItems } from '../../renderer/src/model/attention.js';
import { DrivenTime } from './support/driven-time.js';
import { FaultProxy } from './support/fault-proxy.js';

const PROVINCE = '01';
const DATASETS = ['civil-status-births', 'procedure-dossiers', 'business-households'] as const;
/** The field clerks and the national side edit in each dataset, and its unique field. */
const EDITED: Record<string, { field: string; unique: string }> = {
  'civil-status-births': { field: 'registrar', unique: 'personalId' },
  'procedure-dossiers': { field: 'applicantName', unique: 'dossierNumber' },
  'business-households': { field: 'businessName', unique: 'registrationNumber' },
};
const DAY = 86_400_000;
const DAYS = Number(process.env['DAYS'] ?? 7);
const NATIONAL = Number(process.env['NATIONAL'] ?? 1500);

async function call<C extends CommandName>(agent: AgentService, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await agent.call(command, input);
  if (!result.ok) throw new Error(`${command}: ${result.error.code} ${result.error.messages.en}`);
  return result.value;
}

const time = new DrivenTime(Date.UTC(2026, 0, 15, 8, 0, 0));
const dir = mkdtempSync(join(tmpdir(), 'week-offline-'));
const platform = await startPlatform({ db: join(dir, 'platform.sqlite'), rateLimit: false, now: () => new Date(time.now()), log: () => undefined });
// The office reaches the platform through a proxy the test cuts (a partition: every connection dropped).
const proxy = await new FaultProxy({ target: platform.url, random: mulberry32(1), rates: {} }).start();
await platform.admin.addSite({ code: 'HN-A', name: 'UBND xã A', provinceCode: PROVINCE });
await platform.admin.addSite({ code: 'HN-B', name: 'UBND xã B', provinceCode: PROVINCE });
const gen = createSampleGenerator(11);
const random = mulberry32(5);
for (const ds of DATASETS) {
  const batch = Array.from({ length: NATIONAL }, () => ({ data: gen.sample(ds, PROVINCE) }));
  for (let i = 0; i < batch.length; i += 500) await platform.admin.putRecords(ds, batch.slice(i, i + 500));
}

// Every call the service makes to the platform, counted, and whether one is in flight.
let inFlight = 0;
let calls = 0;
const counted = (client: PlatformClient): PlatformClient =>
  new Proxy(client, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        inFlight += 1;
        calls += 1;
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          inFlight -= 1;
        }
      };
    },
  });
const errors: unknown[] = [];
const office = await createAgentService({
  dataDir: join(dir, 'office-a'),
  now: () => time.now(),
  timer: time,
  cron: time,
  random: mulberry32(9),
  user: 'chị Lan',
  onError: (error) => errors.push(error),
  platformClientFactory: (c) => counted(new GotPlatformClient({ baseUrl: c.platformUrl, agentId: c.agentId, keyStore: c.keyStore, now: c.now })),
});
// The service's scheduler and sync loop (private): the driver waits for a run to end before moving time on.
const core = (office as unknown as { core: { scheduler: { state(): { running: unknown } }; loop: { running: boolean } } }).core;
time.busy = () => inFlight > 0 || core.scheduler.state().running !== null || core.loop.running;
await call(office, 'settings.update', { platformUrl: proxy.url, siteCode: 'HN-A' });
await call(office, 'enrollment.enroll', { token: await platform.admin.createToken({ site: 'HN-A' }) });
await office.start({ background: true, syncAtStart: true });
await time.runUntil(time.now() + 60_000);
// Another office of the province, synced by hand, editing records this one also edits.
const other = await createAgentService({ dataDir: join(dir, 'office-b'), now: () => time.now(), onError: () => undefined, user: 'anh Minh' });
await call(other, 'settings.update', { platformUrl: platform.url, siteCode: 'HN-B' });
await call(other, 'enrollment.enroll', { token: await platform.admin.createToken({ site: 'HN-B' }) });
await call(other, 'sync.now', {});

const count = async (sql: string) => (await office.store.sql.get<{ n: number }>(sql))?.n ?? 0;
const runsBefore = await count('SELECT COUNT(*) AS n FROM "sync_runs"');
const samplesBefore = await count('SELECT COUNT(*) AS n FROM "health_samples"');

// ---------- Cut off.
proxy.partitioned = true;
const downAt = time.now();
const callsBefore = calls;
const ids: Record<string, string[]> = {};
for (const ds of DATASETS) ids[ds] = (await platform.admin.listRecords(ds, { province: PROVINCE, limit: 100_000 })).map((r) => r.id);
const used = new Set<string>();
const pick = (ds: string, n: number): string[] => {
  const out: string[] = [];
  const all = ids[ds] ?? [];
  while (out.length < n) {
    const id = all[Math.floor(random() * all.length)];
    if (id !== undefined && !used.has(id)) {
      used.add(id);
      out.push(id);
    }
  }
  return out;
};
/** Where a conflict must open, by record id, and its kind. */
const expected = new Map<string, string>();
const creates: Array<{ ds: string; id: string }> = [];
const deletes: Array<{ ds: string; id: string }> = [];
const edits = new Map<string, { ds: string; value: string }>();
let localWrites = 0;
let nationalChanges = 0;
const dataOf = async (ds: string, id: string): Promise<RecordData> => (await call(office, 'records.get', { dataset: ds, id }))?.data ?? {};
const nationalOf = async (ds: string, id: string) => {
  const record = await platform.admin.getRecord(ds, id);
  if (!record?.data) throw new Error(`no national record ${id}`);
  return { data: record.data, rev: record.rev };
};
const edit = async (ds: string, id: string, value: string) => {
  await call(office, 'records.put', { dataset: ds, id, data: { ...(await dataOf(ds, id)), [EDITED[ds]!.field]: value } });
  edits.set(id, { ds, value });
  localWrites += 1;
};
const nationalEdit = async (ds: string, id: string, value: string) => {
  const { data, rev } = await nationalOf(ds, id);
  await platform.admin.putRecord(ds, { ...data, [EDITED[ds]!.field]: value }, { id, baseRev: rev });
  nationalChanges += 1;
};

const report: Record<string, unknown> = { days: DAYS, nationalRecords: NATIONAL * DATASETS.length };
for (let day = 0; day < DAYS; day += 1) {
  for (const ds of DATASETS) {
    // The day's work at the office: new records, edits, deletes; some new ones edited again.
    for (let i = 0; i < 15; i += 1) {
      creates.push({ ds, id: (await call(office, 'records.put', { dataset: ds, data: gen.sample(ds, PROVINCE) })).id });
      localWrites += 1;
    }
    for (const id of pick(ds, 8)) await edit(ds, id, `Sửa ngày ${day} ${id.slice(-4)}`);
    for (const id of pick(ds, 2)) {
      await call(office, 'records.delete', { dataset: ds, id });
      deletes.push({ ds, id });
      localWrites += 1;
    }
    for (const c of creates.filter((c) => c.ds === ds).slice(-2)) await edit(ds, c.id, `Sửa lại ${day}`);
    // Records both sides change: the same field differently (conflict), to the same value (none),
    // a national delete of an edited record and a national edit of a deleted one (delete against edit).
    for (const id of pick(ds, 2)) {
      await edit(ds, id, `Xã sửa ${id.slice(-4)}`);
      await nationalEdit(ds, id, `Quốc gia sửa ${id.slice(-4)}`);
      expected.set(id, 'fields');
    }
    for (const id of pick(ds, 1)) {
      await edit(ds, id, `Cùng giá trị ${id.slice(-4)}`);
      await nationalEdit(ds, id, `Cùng giá trị ${id.slice(-4)}`);
    }
    for (const id of pick(ds, 1)) {
      await edit(ds, id, `Xã sửa trước khi bị xóa ${id.slice(-4)}`);
      await platform.admin.deleteRecord(ds, id);
      nationalChanges += 1;
      expected.set(id, 'delete-vs-edit');
    }
    for (const id of pick(ds, 1)) {
      await call(office, 'records.delete', { dataset: ds, id });
      deletes.push({ ds, id });
      localWrites += 1;
      await nationalEdit(ds, id, `Quốc gia sửa ${id.slice(-4)}`);
      expected.set(id, 'delete-vs-edit');
    }
    // Every other day the other office edits, and sends, a record this one edited.
    if (day % 2 === 0) {
      for (const id of pick(ds, 1)) {
        await edit(ds, id, `Xã A ${id.slice(-4)}`);
        const theirs = (await call(other, 'records.get', { dataset: ds, id }))?.data ?? {};
        await call(other, 'records.put', { dataset: ds, id, data: { ...theirs, [EDITED[ds]!.field]: `Xã B ${id.slice(-4)}` } });
        expected.set(id, 'fields');
      }
      await call(other, 'sync.now', {});
    }
    // The national side's own work: new records and edits of records the office does not touch.
    const fresh = Array.from({ length: 150 }, () => ({ data: gen.sample(ds, PROVINCE) }));
    await platform.admin.putRecords(ds, fresh);
    const nationalEdits = [];
    for (const id of pick(ds, 40)) {
      const { data, rev } = await nationalOf(ds, id);
      nationalEdits.push({ id, baseRev: rev, data: { ...data, [EDITED[ds]!.field]: `QG ngày ${day}` } });
    }
    await platform.admin.putRecords(ds, nationalEdits);
    nationalChanges += fresh.length + nationalEdits.length;
  }
  // A birth registered nationally (by another office) that this office registers too: the same personal ID.
  if (day === 2 || day === 5) {
    const birth = gen.sample('civil-status-births', PROVINCE);
    await platform.admin.putRecord('civil-status-births', birth);
    nationalChanges += 1;
    const mine = await call(office, 'records.put', { dataset: 'civil-status-births', data: { ...birth, registrar: 'Xã A nhập trùng' } });
    creates.push({ ds: 'civil-status-births', id: mine.id });
    localWrites += 1;
    expected.set(mine.id, 'possible-duplicate');
  }
  await time.runUntil(downAt + (day + 1) * DAY);
}

const down = await call(office, 'status.get', {});
Object.assign(report, {
  localWrites,
  nationalChanges,
  whileDown: {
    callsToPlatform: calls - callsBefore,
    syncRuns: (await count('SELECT COUNT(*) AS n FROM "sync_runs"')) - runsBefore,
    runsByTrigger: await office.store.sql.all('SELECT "trigger", COUNT(*) AS n FROM "sync_runs" WHERE "status" = \'failed\' GROUP BY 1'),
    healthSamples: (await count('SELECT COUNT(*) AS n FROM "health_samples"')) - samplesBefore,
  },
  statusAfterTheWeek: {
    health: down.health.state,
    lastSync: down.lastSync,
    lastSuccessAt: down.lastSuccessAt,
    outbox: down.outbox,
    attention: attentionItems(down, time.now()).map((item) => item.id),
  },
});

// ---------- Back.
proxy.partitioned = false;
const backAt = time.now();
const realStart = Date.now();
let firstRun: { realMs: number; waitedS: number; run: CommandOutput<'syncRuns.list'>[number] } | null = null;
office.on('sync.finished', (run) => {
  if (firstRun === null && run.status !== 'failed') firstRun = { realMs: Date.now() - realStart, waitedS: (Date.parse(run.startedAt) - backAt) / 1000, run };
});
for (let i = 0; i < 40 && firstRun === null; i += 1) await time.runUntil(time.now() + 15_000);
await time.runUntil(time.now() + 600_000);
report['catchUp'] = firstRun;

const open = await call(office, 'conflicts.list', { status: 'open', offset: 0, limit: 1000 });
const found = new Map(open.items.map((c) => [c.recordId, c.kind] as const));
const problems: string[] = [];
for (const [id, kind] of expected) if (found.get(id) !== kind) problems.push(`conflict missing or of another kind: ${id} ${kind} (found ${found.get(id) ?? 'none'})`);
for (const [id, kind] of found) if (!expected.has(id)) problems.push(`conflict not expected: ${id} ${kind}`);
for (const ds of DATASETS) {
  const live = new Map((await platform.admin.listRecords(ds, { limit: 1_000_000 })).filter((r) => !r.deleted).map((r) => [r.id, r]));
  for (const c of creates) if (c.ds === ds && !expected.has(c.id) && !live.has(c.id)) problems.push(`lost create ${c.id}`);
  for (const d of deletes) if (d.ds === ds && !expected.has(d.id) && live.has(d.id)) problems.push(`lost delete ${d.id}`);
  for (const [id, e] of edits) if (e.ds === ds && !expected.has(id) && live.get(id)?.data?.[EDITED[ds]!.field] !== e.value) problems.push(`lost edit ${id}`);
  const keys = new Map<string, number>();
  for (const r of live.values()) keys.set(String(r.data?.[EDITED[ds]!.unique]), (keys.get(String(r.data?.[EDITED[ds]!.unique])) ?? 0) + 1);
  for (const [key, n] of keys) if (n > 1) problems.push(`duplicated ${ds} ${key}`);
}
// A person settles every conflict (the national side; a duplicate as the same person), then one sync: the digests match.
for (const c of open.items) await call(office, 'conflicts.resolve', c.kind === 'possible-duplicate' ? { id: c.id, duplicate: 'discard-local' } : { id: c.id, take: 'national' });
await call(office, 'sync.now', {});
const settled = await call(office, 'status.get', {});
for (const d of settled.datasets) if (d.digest !== 'match') problems.push(`digest ${d.dataset} ${d.digest}`);
if (settled.outbox.depth > 0) problems.push(`outbox not empty: ${settled.outbox.depth}`);
const audit = await call(office, 'audit.verify', {});
if (!audit.ok) problems.push(`audit chain broken at ${audit.brokenAt}`);
Object.assign(report, { conflictsOpened: found.size, conflictsExpected: expected.size, auditEvents: audit.events, backgroundErrors: errors.length, problems });
console.log(JSON.stringify(report, null, 2));

await office.close();
await other.close();
await proxy.close();
await platform.close();
rmSync(dir, { recursive: true, force: true });
process.exitCode = problems.length > 0 ? 1 : 0;

// Does memory grow while the background service runs? A real `national-platform serve` (SQLite) and a real
// `edge-agent run`, each in its own process, with a web console connected the way the console is (the admin API's
// event stream), driven through thousands of sync runs:
//   nice -n 10 node --import tsx test/reliability/service-soak.ts        (RUNS=3000 SAMPLE_EVERY=250 by default)
// Not part of `npm test` (tens of minutes of real I/O). Between runs: local writes, national changes, outages
// (runs fail, the service backs off and probes: the platform stopped and started again during the warm-up, the
// connection cut at a proxy after it), health probes,
// the console's refreshes, a second console tab opened and closed. Every SAMPLE_EVERY runs both processes
// answer, after two full collections, their RSS and V8 heap (support/memory-probe.mjs, loaded into the children
// only). SNAPSHOTS=1 also writes heap snapshots of both after the warm-up and at the end, to compare with
// support/heap-diff.ts or in Chrome DevTools (Memory, Comparison); writing one raises that process's RSS for good,
// so a run's RSS figures count only without them. Prints a table and the slope per 1,000 runs; the figures are in
// docs/reliability.md, "Left running: memory over thousands of sync runs". The samples also split the RSS (Linux):
// anonymous and file-backed, glibc malloc's arenas, V8's committed heap, pages freed lazily (support/memory-probe.mjs).
// CHILD_ENV="MALLOC_ARENA_MAX=2 …" adds variables to the two probed children's environment only (to try glibc malloc
// settings); OUT=path writes the samples elsewhere than .tmp/service-soak.json (two soaks at once).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { mulberry32 } from '../../national-platform/src/seed/seeded-random.js';
import { createAdminApiClient, readAdminToken, type AdminApiClient } from '../../sync-engine/src/admin-api/index.js';
import type { CommandInput, CommandName, CommandOutput, EventName } from '../../sync-engine/src/api/contract.js';
import { AGENT_NODE_OPTIONS } from '../../sync-engine/src/ops/runtime-options.js';
import { FaultProxy } from './support/fault-proxy.js';
import { fitMemory } from './support/memory-fit.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PROBE = join(import.meta.dirname, 'support/memory-probe.mjs');
const RUNS = Number(process.env['RUNS'] ?? 3000);
const SAMPLE_EVERY = Number(process.env['SAMPLE_EVERY'] ?? 250);
const WARM_UP = Number(process.env['WARM_UP'] ?? 500);
const SNAPSHOTS = process.env['SNAPSHOTS'] === '1';
const KEEP = process.env['KEEP'] === '1';
const CHILD_ENV = Object.fromEntries(
  (process.env['CHILD_ENV'] ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const DS = 'civil-status-births';
const PROVINCE = '01';
const run = promisify(execFile);

const dir = mkdtempSync(join(tmpdir(), 'service-soak-'));
const db = join(dir, 'platform.sqlite');
const home = join(dir, 'office');
const gen = createSampleGenerator(3);

const platformCli = async (...args: string[]): Promise<string> =>
  (await run(process.execPath, [join(ROOT, 'bin/national-platform.js'), '--db', db, '--lang', 'en', ...args], { cwd: dir, encoding: 'utf8' })).stdout;
const agentCli = async (...args: string[]): Promise<string> =>
  (await run(process.execPath, [join(ROOT, 'bin/edge-agent.js'), '--home', home, '--lang', 'en', ...args], { encoding: 'utf8' })).stdout;
const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });

/** Where the RSS is (Linux only): see support/memory-probe.mjs. */
type RssSplit = Partial<
  Record<'vmRss' | 'rssAnon' | 'rssFile' | 'rssShmem' | 'peakRss' | 'threads' | 'anonymous' | 'lazyFree' | 'mallocBrk' | 'mallocArenas' | 'arenaCount' | 'v8Pages', number>
>;
type Sample = { rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number; heapPhysical: number; v8Malloced: number } & RssSplit & {
  /** Read again a second after the rest. */
  settled: { rss: number } & RssSplit;
};

/** A child process with the memory probe, spoken to over IPC. */
class Probed {
  private next = 0;
  private readonly waiting = new Map<number, (m: Record<string, unknown>) => void>();
  output = '';
  readonly exited: Promise<number | null>;
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: Record<string, unknown>) => {
      const done = this.waiting.get(m['id'] as number);
      this.waiting.delete(m['id'] as number);
      done?.(m);
    });
    child.stdout?.on('data', (b: Buffer) => (this.output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (this.output += b.toString()));
    this.exited = new Promise((done) => child.once('exit', done));
  }
  private ask(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = (this.next += 1);
    return new Promise((done, fail) => {
      this.waiting.set(id, done);
      this.child.send({ ...message, id }, (error) => (error ? fail(error) : undefined));
    });
  }
  sample(): Promise<Sample> {
    return this.ask({ type: 'sample' }) as unknown as Promise<Sample>;
  }
  async snapshot(path: string): Promise<string> {
    return (await this.ask({ type: 'snapshot', path }))['path'] as string;
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

const spawnProbed = (bin: string, args: string[], v8: readonly string[]): Probed =>
  new Probed(
    spawn(process.execPath, ['--expose-gc', ...v8, '--import', PROBE, join(ROOT, bin), ...args], {
      cwd: dir,
      env: { ...process.env, ...CHILD_ENV },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    }),
  );
const waitFor = async (p: Probed, text: string): Promise<void> => {
  for (let i = 0; i < 600 && !p.output.includes(text); i += 1) {
    if (p.child.exitCode !== null) throw new Error(`exited before "${text}":\n${p.output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!p.output.includes(text)) throw new Error(`no "${text}" after 60 s:\n${p.output}`);
};

const platformPort = await freePort();
const platformUrl = `http://127.0.0.1:${platformPort}`;
let platform: Probed | null = null;
let platformStarts = 0;
const startPlatform = async (): Promise<Probed> => {
  const p = spawnProbed('bin/national-platform.js', ['--db', db, '--lang', 'en', 'serve', '--port', String(platformPort), '--rate-limit', 'off'], []);
  await waitFor(p, 'listening');
  platformStarts += 1;
  platform = p;
  return p;
};

// The office reaches the platform through a proxy that cuts every connection while `partitioned`.
const proxy = await new FaultProxy({ target: platformUrl, random: mulberry32(1), rates: {} }).start();
const heal = async (): Promise<void> => {
  proxy.partitioned = false;
  if (platform === null || platform.child.exitCode !== null || platform.child.signalCode !== null) await startPlatform();
};

const MB = (n: number) => (n / 1024 / 1024).toFixed(1);
/** Where a sample's RSS is: anonymous (right after the collections, then a second later), file-backed, glibc malloc (main arena + other arenas, their count), V8's pages, lazily freed. */
const split = (s: Sample) =>
  s.anonymous === undefined
    ? ''
    : ` (anon ${MB(s.anonymous)}, ${MB(s.settled.anonymous ?? 0)} 1 s later, file ${MB(s.rssFile ?? 0)} malloc ${MB((s.mallocBrk ?? 0) + (s.mallocArenas ?? 0))}/${s.arenaCount} arenas V8 pages ${MB(s.v8Pages ?? 0)} lazyfree ${MB(s.lazyFree ?? 0)})`;
const samples: Array<{ runs: number; at: number; agent: Sample; platform: Sample }> = [];
let agent: Probed | null = null;
const consoles: AdminApiClient[] = [];
try {
  await platformCli('sites', 'add', 'HN-A', '--province', PROVINCE, '--name', 'UBND xã A');
  await platformCli('records', 'put', DS, file('births.json', Array.from({ length: 200 }, () => gen.sample(DS, PROVINCE))));
  await startPlatform();
  await agentCli('init', '--platform', proxy.url, '--site', 'HN-A');
  const token = /\b[A-Za-z0-9_-]{32,}\b/.exec(await platformCli('tokens', 'create', '--site', 'HN-A'))?.[0];
  if (!token) throw new Error('no enrollment token');
  await agentCli('enroll', '--token', token);

  // The service as local IT runs it: the OS service's NODE_OPTIONS and the V8 flags `run` sets itself.
  agent = spawnProbed('bin/edge-agent.js', ['--home', home, '--lang', 'en', '--json', 'run', '--port', '0', '--static', join(dir, 'no-console')], AGENT_NODE_OPTIONS.split(' '));
  await waitFor(agent, '"adminApi"');
  const adminUrl = /"adminApi":\s*"([^"]+)"/.exec(agent.output)![1]!;
  const consoleOf = () => {
    const c = createAdminApiClient({ baseUrl: adminUrl, token: readAdminToken(home)!, rereadToken: () => readAdminToken(home), user: 'chị Lan' });
    consoles.push(c);
    return c;
  };
  // The web console: one event stream with the events the window follows.
  const web = consoleOf();
  const seen: Partial<Record<EventName, number>> = {};
  for (const name of ['status.changed', 'records.changed', 'conflicts.changed', 'sync.started', 'sync.finished', 'settings.changed'] as const) {
    web.on(name, () => (seen[name] = (seen[name] ?? 0) + 1));
  }
  const call = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
    const result = await web.call(command, input);
    if (!result.ok) throw new Error(`${command}: ${result.error.code} ${result.error.messages.en}`);
    return result.value;
  };

  const outcomes = { ok: 0, failed: 0 };
  const counts = { localWrites: 0, nationalChanges: 0, outages: 0, healthProbes: 0, consoleTabs: 0 };
  const localIds: string[] = [];
  const national: Array<{ id: string; data: Record<string, unknown> }> = [];
  const sample = async (runs: number) => {
    const a = await agent!.sample();
    const p = await platform!.sample();
    samples.push({ runs, at: Date.now(), agent: a, platform: p });
    console.log(
      `[soak] ${runs} runs (${outcomes.ok} ok, ${outcomes.failed} failed): agent rss ${MB(a.rss)} MB${split(a)} heap ${MB(a.heapUsed)} MB ext ${MB(a.external)} MB; platform rss ${MB(p.rss)} MB${split(p)} heap ${MB(p.heapUsed)} MB (start ${platformStarts})`,
    );
  };
  await call('sync.now', {});
  await sample(0);

  const started = Date.now();
  let down = 0;
  for (let i = 1; i <= RUNS; i += 1) {
    // Local writes: a new birth every 10 runs, an edit of one every 10 runs (offset).
    if (i % 10 === 0) {
      localIds.push((await call('records.put', { dataset: DS, data: gen.sample(DS, PROVINCE) })).id);
      counts.localWrites += 1;
    }
    if (i % 10 === 5 && localIds.length > 0) {
      const id = localIds[Math.floor(i / 10) % localIds.length]!;
      const record = await call('records.get', { dataset: DS, id });
      if (record) {
        await call('records.put', { dataset: DS, id, data: { ...record.data, registrar: `Sửa lần ${i}` } });
        counts.localWrites += 1;
      }
    }
    // National changes (while the platform is up): a new record and an edit of an earlier one, every 40 runs.
    if (i % 40 === 20 && down === 0) {
      const data = gen.sample(DS, PROVINCE);
      const id = /record (\S+) is at rev/.exec(await platformCli('records', 'put', DS, file('n.json', data)))?.[1];
      if (id) national.push({ id, data });
      const earlier = national[Math.floor(i / 40) % national.length];
      if (earlier) await platformCli('records', 'put', DS, file('e.json', { ...earlier.data, registrar: `QG ${i}` }), '--id', earlier.id);
      counts.nationalChanges += 2;
    }
    // Outages: every 300 runs, 30 runs that fail (the service backs off and probes). During the warm-up the
    // platform process is stopped and started again; after it the proxy cuts every connection instead, so the
    // platform's figures after the warm-up come from one process, as a platform left running for months.
    if (i % 300 === 150) {
      if (i < WARM_UP) await platform!.stop();
      else proxy.partitioned = true;
      down = 30;
      counts.outages += 1;
    } else if (down > 0 && (down -= 1) === 0) {
      await heal();
    }
    const result = await web.call('sync.now', {});
    if (result.ok && result.value.run?.status !== 'failed') outcomes.ok += 1;
    else outcomes.failed += 1;
    // The console's refreshes after a run, health probes of both sides, now and then a tab opened and closed.
    if (i % 5 === 0) {
      await call('status.get', {});
      await call('syncRuns.list', { limit: 50, group: true });
    }
    if (i % 20 === 0) {
      await fetch(`${adminUrl}/api/health`).then((r) => r.text());
      if (down === 0) await fetch(`${platformUrl}/v1/health`).then((r) => r.text()).catch(() => undefined);
      counts.healthProbes += 1;
    }
    if (i % 100 === 50) {
      const tab = consoleOf();
      const off = tab.on('sync.finished', () => undefined);
      await call('sync.now', {});
      off();
      tab.close();
      consoles.splice(consoles.indexOf(tab), 1);
      counts.consoleTabs += 1;
    }
    if (i % SAMPLE_EVERY === 0) {
      if (down > 0) {
        // Sample with the platform up: the outage is cut short.
        down = 0;
        await heal();
      }
      await sample(i);
    }
    if (SNAPSHOTS && (i === WARM_UP || i === RUNS)) {
      console.log(`[soak] agent heap snapshot: ${await agent.snapshot(join(dir, `agent-${i}.heapsnapshot`))}`);
      console.log(`[soak] platform heap snapshot: ${await platform!.snapshot(join(dir, `platform-${i}.heapsnapshot`))}`);
    }
  }
  const minutes = (Date.now() - started) / 60_000;

  // Figures: start, after the warm-up, end; the slope by least squares over the samples after the warm-up.
  const after = samples.filter((s) => s.runs >= WARM_UP);
  // After the slope: its standard error, the samples' standard deviation about the line and their range after the warm-up.
  const row = (label: string, pick: (s: (typeof samples)[number]) => number | undefined) => {
    const warm = after[0]!;
    if (pick(warm) === undefined) return;
    const fit = fitMemory(after.map((s) => ({ runs: s.runs, value: pick(s) ?? NaN })));
    console.log(
      `${label.padEnd(22)} start ${MB(pick(samples[0]!)!).padStart(6)}  after ${warm.runs} ${MB(pick(warm)!).padStart(6)}  end ${MB(pick(samples.at(-1)!)!).padStart(6)}  slope ${(fit.slope / 1024).toFixed(1).padStart(7)} KB/1,000 runs ± ${(fit.slopeError / 1024).toFixed(1)}  sd ${MB(fit.residual)} MB  range ${MB(fit.min)}-${MB(fit.max)} MB`,
    );
  };
  const malloc = (s: Sample) => (s.mallocBrk === undefined ? undefined : s.mallocBrk + (s.mallocArenas ?? 0));
  console.log(`\n[soak] ${RUNS} runs in ${minutes.toFixed(1)} min: ${outcomes.ok} ok, ${outcomes.failed} failed`);
  console.log(`[soak] ${JSON.stringify({ ...counts, platformStarts, events: seen })}`);
  console.log(`[soak] children's added environment: ${JSON.stringify(CHILD_ENV)}`);
  for (const side of ['agent', 'platform'] as const) {
    row(`${side} rss`, (s) => s[side].rss);
    row(`${side} heap used`, (s) => s[side].heapUsed);
    row(`${side} external`, (s) => s[side].external);
    row(`${side} rss anonymous`, (s) => s[side].anonymous);
    row(`${side} anon 1 s later`, (s) => s[side].settled.anonymous);
    row(`${side} rss 1 s later`, (s) => s[side].settled.rss);
    row(`${side} rss file`, (s) => s[side].rssFile);
    row(`${side} malloc arenas`, (s) => malloc(s[side]));
    row(`${side} V8 heap committed`, (s) => s[side].heapPhysical);
    row(`${side} V8 pages mapped`, (s) => s[side].v8Pages);
    row(`${side} V8 pages 1 s later`, (s) => s[side].settled.v8Pages);
    row(`${side} lazily freed`, (s) => s[side].lazyFree);
    row(`${side} anon other`, (s) => (s[side].anonymous === undefined ? undefined : s[side].anonymous - malloc(s[side])! - (s[side].v8Pages ?? 0)));
  }
  const out = resolve(ROOT, process.env['OUT'] ?? '.tmp/service-soak.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ runs: RUNS, minutes, outcomes, counts, childEnv: CHILD_ENV, samples }, null, 1));
} catch (error) {
  console.error(error);
  console.error(agent?.output ?? '');
  process.exitCode = 1;
} finally {
  for (const c of consoles) c.close();
  await agent?.stop();
  await (platform as Probed | null)?.stop();
  await proxy.close();
  if (!KEEP && !SNAPSHOTS) rmSync(dir, { recursive: true, force: true });
  else console.log(`[soak] kept ${dir}`);
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SITE } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { runChild } from '../child-runner.js';
import { cpuFigures } from '../cpu-figures.js';
import { CpuBetweenMarks } from '../cpu-marks.js';
import { figure, type ScenarioResult } from '../report.js';
import { spread } from '../stats.js';

const MIN_RATE = 10_000;

/**
 * Scenario 3: `push` records written through LocalWrites (validation, record,
 * outbox, audit; not timed), then one sync: the time from its push phase to
 * its pull phase, i.e. every batch sent, judged by the platform and its
 * results applied to the outbox and cache. The agent runs in its own process,
 * as in scenario 1 (bundled, with the service's V8 options): an agent and the
 * platform never share a JavaScript thread outside a bench.
 */
export async function pushLocal(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const bench = await ctx.emptyPlatform();
  const dataDir = ctx.tempDir('bench-push-agent-');
  const recordsFile = join(ctx.tempDir('bench-push-records-'), 'records.json');
  writeFileSync(recordsFile, JSON.stringify(await bench.takeMany(Array.from({ length: runs }, () => ({ count: sizes.push })))));
  const token = await bench.createToken(BENCH_SITE);
  const platformCpu = new CpuBetweenMarks(bench.cpuMs);
  const child = await runChild(
    { kind: 'push', platformUrl: bench.url, siteCode: BENCH_SITE, token, dataDir, recordsFile },
    { onMark: platformCpu.onMark, ...(ctx.config.cpuProfDir ? { cpuProfDir: ctx.config.cpuProfDir } : {}) },
  );
  const rates = child.pushRates ?? [];
  const writeRates = child.writeRates ?? [];
  const cpu = { agent: child.cpuMs.map((ms) => ms / 1000), platform: (await platformCpu.spansMs()).map((ms) => ms / 1000) };
  rates.forEach((rate, i) =>
    ctx.config.log(
      `  run ${i + 1}: push ${Math.round(rate)} records/s, CPU agent ${(cpu.agent[i] ?? 0).toFixed(2)} s, platform ${(cpu.platform[i] ?? 0).toFixed(2)} s; local writes ${Math.round(writeRates[i] ?? 0)}/s`,
    ),
  );
  const n = sizes.push.toLocaleString('en-US');
  result.figures.push(figure(`push of ${n} local records`, 'records/s', spread(rates), { op: '>=', value: MIN_RATE }));
  result.figures.push(...cpuFigures(cpu, sizes.push, MIN_RATE));
  result.figures.push(figure(`(setup) local writes through LocalWrites`, 'records/s', spread(writeRates)));
  result.notes.push(
    'agent in a child process; batches of 2,000 (the cap the platform advertises with its catalog; the protocol promises 500), two out at once, gzip above 64 KB; the platform validates every mutation (schema, rules, unique personal ID)',
  );
}

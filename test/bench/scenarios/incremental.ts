import { BENCH_DATASET } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { figure, type ScenarioResult } from '../report.js';
import { spread } from '../stats.js';

const MAX_CHANGES_SECONDS = 0.3;
const MAX_NOOP_MS = 50;

/**
 * Scenario 4: `changes` national updates of records the agent already holds
 * (a cache of `initial`), made through admin.putRecords (not timed); then one
 * sync is timed end to end (catalog, empty push, pull, digest), in the agent's
 * own process.
 */
export async function incrementalChanges(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const bench = await ctx.cachePlatform();
  const agent = await ctx.cachedAgent();
  const seconds: number[] = [];
  const stride = Math.max(1, Math.floor(bench.ids.length / sizes.changes));
  for (let run = 0; run < runs; run += 1) {
    const updates = (await bench.take(sizes.changes)).map((data, i) => ({ id: bench.ids[(i * stride + run) % bench.ids.length] as string, data }));
    await bench.putRecords(BENCH_DATASET, updates);
    const synced = await agent.send({ op: 'sync' });
    seconds.push((synced.ms ?? NaN) / 1000);
    if (synced.pulled !== sizes.changes) throw new Error(`pulled ${synced.pulled}, expected ${sizes.changes}`);
    ctx.config.log(`  run ${run + 1}: ${seconds.at(-1)?.toFixed(3)} s`);
  }
  result.figures.push(
    figure(`${sizes.changes.toLocaleString('en-US')} national changes into a ${sizes.initial.toLocaleString('en-US')}-record cache`, 's', spread(seconds), {
      op: '<=',
      value: MAX_CHANGES_SECONDS,
    }),
  );
  result.notes.push('whole sync run timed, including catalog, push check and the digest comparison after the pull');
}

/** Scenario 5: a sync with nothing to do, on the caught-up cache agent: time and HTTP requests. */
export async function noOpSync(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const agent = await ctx.cachedAgent();
  await agent.send({ op: 'sync' }); // caught up, digest settled
  const ms: number[] = [];
  const requests: number[] = [];
  for (let run = 0; run < Math.max(ctx.config.runs, 5); run += 1) {
    const synced = await agent.send({ op: 'sync' });
    ms.push(synced.ms ?? NaN);
    requests.push(synced.requests ?? NaN);
    if (synced.pulled !== 0 || synced.pushed !== 0) throw new Error(`a no-op sync moved data: pulled ${synced.pulled}, pushed ${synced.pushed}`);
  }
  result.figures.push(figure('no-op sync', 'ms', spread(ms), { op: '<=', value: MAX_NOOP_MS }));
  result.figures.push(figure('no-op sync: HTTP requests', 'requests', spread(requests)));
  result.notes.push('requests counted by a wrapping PlatformClient (one call = one HTTP request): catalog + one pull and one digest per readable dataset');
}

import { LocalWrites } from '../../../sync-engine/src/records/local-writes.js';
import { assertSynced, enrollBenchAgent } from '../bench-agent.js';
import { BENCH_SITE } from '../bench-platform.js';
import { BENCH_DATASET } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { figure, type ScenarioResult } from '../report.js';
import { spread } from '../stats.js';

const MIN_RATE = 10_000;

/**
 * Scenario 3: `push` records written through LocalWrites (validation, record,
 * outbox, audit; not timed), then one sync: the time from its push phase to
 * its pull phase, i.e. every batch sent, judged by the platform and its
 * results applied to the outbox and cache.
 */
export async function pushLocal(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const bench = await ctx.emptyPlatform();
  const agent = await enrollBenchAgent(bench.platform, BENCH_SITE);
  try {
    assertSynced(await agent.sync()); // the catalog, so local writes know the dataset
    const writes = new LocalWrites(agent.ctx);
    const rates: number[] = [];
    const writeRates: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const startWrites = performance.now();
      for (const data of bench.records.take(sizes.push)) await writes.put(BENCH_DATASET, data, { user: 'bench' });
      writeRates.push(sizes.push / ((performance.now() - startWrites) / 1000));
      let pushStart = 0;
      let pushEnd = 0;
      const summary = assertSynced(
        await agent.sync((event) => {
          if (event.type !== 'phase') return;
          if (event.phase === 'push') pushStart = performance.now();
          if (event.phase === 'pull') pushEnd = performance.now();
        }),
      );
      if (summary.pushed !== sizes.push) throw new Error(`pushed ${summary.pushed} of ${sizes.push} (rejected ${summary.rejected}, conflicts ${summary.conflicts})`);
      rates.push(sizes.push / ((pushEnd - pushStart) / 1000));
      ctx.config.log(`  run ${run + 1}: push ${Math.round(rates.at(-1) ?? 0)} records/s; local writes ${Math.round(writeRates.at(-1) ?? 0)}/s`);
    }
    const n = sizes.push.toLocaleString('en-US');
    result.figures.push(figure(`push of ${n} local records`, 'records/s', spread(rates), { op: '>=', value: MIN_RATE }));
    result.figures.push(figure(`(setup) local writes through LocalWrites`, 'records/s', spread(writeRates)));
    result.notes.push('batches of 500 (the protocol maximum), gzip above 64 KB; the platform validates every mutation (schema, rules, unique personal ID)');
  } finally {
    await agent.close();
  }
}

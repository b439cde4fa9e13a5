import { createAgentService } from '../../../sync-engine/src/index.js';
import { BENCH_SITE } from '../bench-platform.js';
import { BENCH_DATASET } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { figure, type ScenarioResult } from '../report.js';
import { latencies, spread } from '../stats.js';

const MAX_P99_MS = 5;

/**
 * Scenario 6: one local write through AgentService.call('records.put'), as the
 * window, the admin API and the CLI do: input schema, record validation, the
 * record row, the outbox entry and the audit event, in one transaction. The
 * service is enrolled and has synced once (catalog cached); its background
 * schedule is not started, so nothing else runs meanwhile.
 */
export async function localWrite(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const bench = await ctx.emptyPlatform();
  const agent = await createAgentService({ dataDir: ctx.tempDir('bench-service-'), user: 'bench', onError: () => undefined });
  const must = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; messages: { en: string } } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.messages.en}`);
    return r.value;
  };
  try {
    await must(agent.call('settings.update', { platformUrl: bench.url, siteCode: BENCH_SITE }));
    await must(agent.call('enrollment.enroll', { token: await bench.platform.admin.createToken({ site: BENCH_SITE }) }));
    await must(agent.call('sync.now', {}));
    const p50: number[] = [];
    const p99: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      const samples: number[] = [];
      for (const data of bench.records.take(sizes.writes)) {
        const started = performance.now();
        await must(agent.call('records.put', { dataset: BENCH_DATASET, data }));
        samples.push(performance.now() - started);
      }
      const l = latencies(samples);
      p50.push(l.p50);
      p99.push(l.p99);
      ctx.config.log(`  run ${run + 1}: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`);
    }
    result.figures.push(figure('local write through AgentService: p50', 'ms', spread(p50)));
    result.figures.push(figure('local write through AgentService: p99', 'ms', spread(p99), { op: '<=', value: MAX_P99_MS }));
    result.notes.push(`${sizes.writes} writes per run into a growing outbox (${sizes.writes * runs} in total, never pushed)`);
  } finally {
    await agent.close();
  }
}

import { startAgentHost } from '../agent-host-client.js';
import { BENCH_DATASET, BENCH_SITE } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { figure, type ScenarioResult } from '../report.js';
import { latencies, spread } from '../stats.js';

const MAX_P99_MS = 5;

/**
 * Scenario 6: one local write through AgentService.call('records.put'), as the
 * window, the admin API and the CLI do: input schema, record validation, the
 * record row, the outbox entry and the audit event, in one transaction. The
 * service is enrolled and has synced once (catalog cached); its background
 * schedule is not started, so nothing else runs meanwhile. The service runs in
 * its own process (agent-host.ts), as at an office.
 */
export async function localWrite(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const bench = await ctx.emptyPlatform();
  const host = await startAgentHost(ctx.config.cpuProfDir);
  try {
    const answer = await host.send({
      op: 'writes',
      platformUrl: bench.url,
      siteCode: BENCH_SITE,
      token: await bench.createToken(BENCH_SITE),
      dataDir: ctx.tempDir('bench-service-'),
      dataset: BENCH_DATASET,
      runs: await bench.takeMany(Array.from({ length: runs }, () => ({ count: sizes.writes }))),
    });
    const p50: number[] = [];
    const p99: number[] = [];
    (answer.runs ?? []).forEach((samples, run) => {
      const l = latencies(samples);
      p50.push(l.p50);
      p99.push(l.p99);
      ctx.config.log(`  run ${run + 1}: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`);
    });
    result.figures.push(figure('local write through AgentService: p50', 'ms', spread(p50)));
    result.figures.push(figure('local write through AgentService: p99', 'ms', spread(p99), { op: '<=', value: MAX_P99_MS }));
    result.notes.push(`${sizes.writes} writes per run into a growing outbox (${sizes.writes * runs} in total, never pushed); the service in its own process; each write committed durably (WAL synced, synchronous=FULL)`);
  } finally {
    await host.close();
  }
}

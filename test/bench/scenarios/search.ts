import { BENCH_DATASET, BenchRecords } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { figure, type ScenarioResult } from '../report.js';
import { latencies, quantile, spread } from '../stats.js';

const MAX_P99_MS = 50;

/** Queries an officer types, without accents, as most keyboards in offices do. */
const QUERIES = ['nguyen thi', 'tran van hung', 'dang', 'le thi hoa', 'pham minh', 'hoang', 'nguyen van an', 'vu thi lan'];

/** Scenario 7: accent-insensitive search over the cache agent's `initial` records, first page of 50, timed in the agent's process. */
export async function search(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const agent = await ctx.cachedAgent();
  // A personal ID prefix that exists: the first 6 digits (province, century, year) of the first record
  // the seed generates, so every run of the bench asks the same question.
  const personalId = String(new BenchRecords(ctx.config.seed).next()['personalId'] ?? '001');
  const queries = [...QUERIES, personalId.slice(0, 6)];
  const p50: number[] = [];
  const p99: number[] = [];
  const hits = new Map<string, number>();
  const perQuery = new Map<string, number[]>();
  for (let run = 0; run < runs; run += 1) {
    const answer = await agent.send({ op: 'search', dataset: BENCH_DATASET, queries, repeats: sizes.searchRepeats, limit: 50 });
    const samples = answer.samples ?? [];
    samples.forEach((ms, i) => {
      const q = queries[i % queries.length] as string;
      hits.set(q, answer.totals?.[i] ?? NaN);
      perQuery.set(q, [...(perQuery.get(q) ?? []), ms]);
    });
    const l = latencies(samples);
    p50.push(l.p50);
    p99.push(l.p99);
    ctx.config.log(`  run ${run + 1}: p50 ${l.p50.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms`);
  }
  result.figures.push(figure(`search over ${sizes.initial.toLocaleString('en-US')}: p50`, 'ms', spread(p50)));
  result.figures.push(figure(`search over ${sizes.initial.toLocaleString('en-US')}: p99`, 'ms', spread(p99), { op: '<=', value: MAX_P99_MS }));
  result.notes.push(`queries (total hits): ${[...hits].map(([q, n]) => `"${q}" ${n}`).join(', ')}; first page of 50 with its total`);
  const slowest = [...perQuery].map(([q, ms]) => ({ q, p90: quantile([...ms].sort((a, b) => a - b), 0.9) })).sort((a, b) => b.p90 - a.p90);
  result.notes.push(`p90 per query (ms): ${slowest.map((s) => `"${s.q}" ${s.p90.toFixed(1)}`).join(', ')}`);
}

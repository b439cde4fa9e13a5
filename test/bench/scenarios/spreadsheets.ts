import { startAgentHost } from '../agent-host-client.js';
import { BENCH_DATASET, BENCH_SITE } from '../bench-records.js';
import type { BenchContext } from '../bench-context.js';
import { figure, type ScenarioResult } from '../report.js';
import { spread } from '../stats.js';

/**
 * Scenario 9: an office's spreadsheet register brought in and a list taken
 * out. Per run, `sizes.imports` new births (about 1 KB each, as everywhere in
 * the bench) written as the CSV an office would save (Vietnamese titles, dates
 * day/month/year) go in through `records.import` (parse, map, validate, write
 * the record, outbox entry and audit event in batches), then the whole dataset
 * goes out through `records.export` into the data folder (pages of 1,000, the
 * audit event). The service is enrolled and has synced once, in its own
 * process (agent-host.ts); the runs build on each other, so the export of run
 * n writes n spreadsheets' records.
 */
export async function spreadsheets(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const bench = await ctx.emptyPlatform();
  const host = await startAgentHost(ctx.config.cpuProfDir);
  try {
    const answer = await host.send({
      op: 'spreadsheets',
      platformUrl: bench.url,
      siteCode: BENCH_SITE,
      token: await bench.createToken(BENCH_SITE),
      dataDir: ctx.tempDir('bench-spreadsheets-'),
      dataset: BENCH_DATASET,
      runs: await bench.takeMany(Array.from({ length: runs }, () => ({ count: sizes.imports }))),
    });
    const imports: number[] = [];
    const exports: number[] = [];
    for (const [i, run] of (answer.spreadsheets ?? []).entries()) {
      imports.push(run.rows / (run.importMs / 1000));
      exports.push(run.exported / (run.exportMs / 1000));
      ctx.config.log(
        `  run ${i + 1}: import of ${run.rows} rows (${(run.csvChars / 1e6).toFixed(1)} M characters) in ${(run.importMs / 1000).toFixed(2)} s; ` +
          `export of ${run.exported} records (${(run.exportBytes / 1e6).toFixed(1)} MB) in ${(run.exportMs / 1000).toFixed(2)} s`,
      );
    }
    result.figures.push(figure(`CSV import of ${sizes.imports.toLocaleString('en-US')} rows through records.import`, 'rows/s', spread(imports)));
    result.figures.push(figure('CSV export of the dataset through records.export', 'records/s', spread(exports)));
    result.notes.push(
      `${sizes.imports} new births of about 1 KB per spreadsheet, each row validated and written with its outbox entry and audit event, committed durably; the export of run n holds n spreadsheets' records`,
    );
  } finally {
    await host.close();
  }
}

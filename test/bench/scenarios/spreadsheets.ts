import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
 * audit event); then as many other new births kept as an Excel workbook
 * (.xlsx: the same titles, text cells, dates as date cells) go in the same
 * way, and the dataset goes out as a workbook. Each import's RSS growth is
 * the highest RSS sampled every 50 ms during it less the RSS before it (the
 * process is long-lived: memory the heap already holds is not counted again).
 * The service is enrolled and has synced once, in its own process
 * (agent-host.ts); the runs build on each other, so the exports of run n
 * write 2n spreadsheets' records (2n - 1 for the CSV).
 */
export async function spreadsheets(ctx: BenchContext, result: ScenarioResult): Promise<void> {
  const { sizes, runs } = ctx.config;
  const bench = await ctx.emptyPlatform();
  // Each run's records as a file the host reads when the run starts (agent-host.ts).
  const folder = ctx.tempDir('bench-spreadsheet-rows-');
  const files = async (kind: string) =>
    (await bench.takeMany(Array.from({ length: runs }, () => ({ count: sizes.imports })))).map((records, i) => {
      const file = join(folder, `${kind}-${i + 1}.json`);
      writeFileSync(file, JSON.stringify(records));
      return file;
    });
  const runFiles = await files('csv');
  const xlsxRunFiles = await files('xlsx');
  const host = await startAgentHost(ctx.config.cpuProfDir);
  try {
    const answer = await host.send({
      op: 'spreadsheets',
      platformUrl: bench.url,
      siteCode: BENCH_SITE,
      token: await bench.createToken(BENCH_SITE),
      dataDir: ctx.tempDir('bench-spreadsheets-'),
      dataset: BENCH_DATASET,
      runs: runFiles,
      xlsxRuns: xlsxRunFiles,
    });
    const imports: number[] = [];
    const exports: number[] = [];
    const xlsxImports: number[] = [];
    const xlsxExports: number[] = [];
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    for (const [i, run] of (answer.spreadsheets ?? []).entries()) {
      imports.push(run.rows / (run.importMs / 1000));
      exports.push(run.exported / (run.exportMs / 1000));
      xlsxImports.push(run.rows / (run.xlsxImportMs / 1000));
      xlsxExports.push(run.xlsxExported / (run.xlsxExportMs / 1000));
      ctx.config.log(
        `  run ${i + 1}: CSV import of ${run.rows} rows (${(run.csvChars / 1e6).toFixed(1)} M characters) in ${(run.importMs / 1000).toFixed(2)} s, RSS +${mb(run.importRssGrowth)} MB; ` +
          `CSV export of ${run.exported} records (${mb(run.exportBytes)} MB) in ${(run.exportMs / 1000).toFixed(2)} s; ` +
          `.xlsx import of ${run.rows} rows (${mb(run.xlsxBytes)} MB) in ${(run.xlsxImportMs / 1000).toFixed(2)} s, RSS +${mb(run.xlsxImportRssGrowth)} MB; ` +
          `.xlsx export of ${run.xlsxExported} records (${mb(run.xlsxExportBytes)} MB) in ${(run.xlsxExportMs / 1000).toFixed(2)} s`,
      );
    }
    const rows = sizes.imports.toLocaleString('en-US');
    result.figures.push(figure(`CSV import of ${rows} rows through records.import`, 'rows/s', spread(imports)));
    result.figures.push(figure('CSV export of the dataset through records.export', 'records/s', spread(exports)));
    result.figures.push(figure(`.xlsx import of ${rows} rows through records.import`, 'rows/s', spread(xlsxImports)));
    result.figures.push(figure('.xlsx export of the dataset through records.export', 'records/s', spread(xlsxExports)));
    const runsOf = answer.spreadsheets ?? [];
    const growth = (pick: (r: (typeof runsOf)[number]) => number) => runsOf.map((r) => `+${mb(pick(r))}`).join(' / ');
    result.notes.push(`RSS growth of the service during each import (MB, run by run; highest RSS sampled every 50 ms less the RSS before): CSV ${growth((r) => r.importRssGrowth)}, .xlsx ${growth((r) => r.xlsxImportRssGrowth)}`);
    result.notes.push(
      `${sizes.imports} new births of about 1 KB per spreadsheet, each row validated and written with its outbox entry and audit event, committed durably; run n's CSV export holds 2n - 1 spreadsheets' records, its .xlsx export 2n`,
    );
  } finally {
    await host.close();
  }
}

/**
 * A long-lived agent for scenarios 4-7, in its own process (bundled, with the
 * service's V8 options and flags, as the installed service runs): the parent
 * sends one command at a time over the IPC channel and gets one reply. The
 * platform never shares this process's event loop or heap; every figure is
 * timed here, so the IPC round trip is not in it.
 */
import { readFileSync } from 'node:fs';
import { applyAgentV8Flags } from '../../sync-engine/src/ops/runtime-options.js';
import { createAgentService, type AgentService, type CommandName } from '../../sync-engine/src/index.js';
import { RecordSearch } from '../../sync-engine/src/search/record-search.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { assertSynced, enrollWithToken, type BenchAgent } from './bench-agent.js';
import { stringify } from 'csv-stringify/sync';
import { cellText } from '../../sync-engine/src/export/index.js';
import { cellFieldsOf, guardFormula } from '../../sync-engine/src/import/index.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/catalog.js';
import { excelSerial, XlsxSheetWriter, type XlsxCell } from '../../sync-engine/src/export/xlsx-writer.js';

/** One run of scenario 9: the import of `rows` rows, then the export of everything the dataset holds. */
export interface SpreadsheetRun {
  rows: number;
  csvChars: number;
  importMs: number;
  exported: number;
  exportBytes: number;
  exportMs: number;
  /** The CSV import's RSS growth: the highest RSS sampled during it (every 50 ms and at its end) less the RSS just before (bytes). */
  importRssGrowth: number;
  /** The same rows' count again, new records, as an Excel workbook (.xlsx), then the dataset exported as one. */
  xlsxBytes: number;
  xlsxImportMs: number;
  xlsxImportRssGrowth: number;
  xlsxExported: number;
  xlsxExportBytes: number;
  xlsxExportMs: number;
}

// As `edge-agent run` does when it starts.
applyAgentV8Flags();

export type HostCommand =
  /** Enrols a cache agent and syncs it once (the cache for scenarios 4, 5 and 7). */
  | { op: 'enroll'; platformUrl: string; siteCode: string; token: string; dataDir: string }
  /** One sync of the cache agent, timed. */
  | { op: 'sync' }
  /** Each query once per repeat, in order, on the cache agent: first page of `limit`. */
  | { op: 'search'; dataset: string; queries: string[]; repeats: number; limit: number }
  /** An AgentService (enrolled, synced once, schedule not started) and local writes through `records.put`, timed one by one per run. */
  | { op: 'writes'; platformUrl: string; siteCode: string; token: string; dataDir: string; dataset: string; runs: RecordData[][] }
  /** An AgentService as for 'writes'; per run, one spreadsheet of the run's records imported through `records.import`, then the dataset exported through `records.export`, each timed. */
  /** Each run's records in a JSON file (`runs`: the CSV's, `xlsxRuns`: the workbook's), read when the run starts: all of them in one IPC message would take more heap than the service's V8 limit. */
  | { op: 'spreadsheets'; platformUrl: string; siteCode: string; token: string; dataDir: string; dataset: string; runs: string[]; xlsxRuns: string[] }
  | { op: 'close' };

export type HostReply =
  | { ok: true; ms?: number; pulled?: number; pushed?: number; requests?: number; samples?: number[]; totals?: number[]; runs?: number[][]; spreadsheets?: SpreadsheetRun[] }
  | { ok: false; error: string };

let cache: BenchAgent | null = null;

async function handle(command: HostCommand): Promise<HostReply> {
  switch (command.op) {
    case 'enroll': {
      cache = await enrollWithToken(command.platformUrl, command.siteCode, command.token, command.dataDir);
      const started = performance.now();
      assertSynced(await cache.sync());
      return { ok: true, ms: performance.now() - started };
    }
    case 'sync': {
      const agent = needCache();
      const before = agent.client.requests;
      const started = performance.now();
      const summary = assertSynced(await agent.sync());
      return { ok: true, ms: performance.now() - started, pulled: summary.pulled, pushed: summary.pushed, requests: agent.client.requests - before };
    }
    case 'search': {
      const searcher = new RecordSearch(needCache().ctx);
      const samples: number[] = [];
      const totals: number[] = [];
      for (let i = 0; i < command.repeats; i += 1) {
        for (const q of command.queries) {
          const started = performance.now();
          const answer = await searcher.searchRecords(command.dataset, q, { limit: command.limit, offset: 0 });
          samples.push(performance.now() - started);
          totals.push(answer.total);
        }
      }
      return { ok: true, samples, totals };
    }
    case 'writes':
      return { ok: true, runs: await timedWrites(command) };
    case 'spreadsheets':
      return { ok: true, spreadsheets: await timedSpreadsheets(command) };
    case 'close':
      await cache?.close();
      cache = null;
      return { ok: true };
  }
}

async function timedWrites(command: Extract<HostCommand, { op: 'writes' }>): Promise<number[][]> {
  const service = await createAgentService({ dataDir: command.dataDir, user: 'bench', onError: () => undefined });
  try {
    await must(service, 'settings.update', { platformUrl: command.platformUrl, siteCode: command.siteCode });
    await must(service, 'enrollment.enroll', { token: command.token });
    await must(service, 'sync.now', {});
    const runs: number[][] = [];
    for (const run of command.runs) {
      const samples: number[] = [];
      for (const data of run) {
        const started = performance.now();
        await must(service, 'records.put', { dataset: command.dataset, data });
        samples.push(performance.now() - started);
      }
      runs.push(samples);
    }
    return runs;
  } finally {
    await service.close();
  }
}

async function timedSpreadsheets(command: Extract<HostCommand, { op: 'spreadsheets' }>): Promise<SpreadsheetRun[]> {
  const service = await createAgentService({ dataDir: command.dataDir, user: 'bench', onError: () => undefined });
  try {
    await must(service, 'settings.update', { platformUrl: command.platformUrl, siteCode: command.siteCode });
    await must(service, 'enrollment.enroll', { token: command.token });
    await must(service, 'sync.now', {});
    const descriptor = DATASETS.find((d) => d.name === command.dataset);
    if (!descriptor) throw new Error(`no dataset ${command.dataset}`);
    const out: SpreadsheetRun[] = [];
    for (const [i, file] of command.runs.entries()) {
      const run = JSON.parse(readFileSync(file, 'utf8')) as RecordData[];
      const csv = spreadsheetOf(descriptor, run);
      let growth = rssGrowth();
      let started = performance.now();
      const imported = (await must(service, 'records.import', { dataset: command.dataset, csv, source: `bench-${i + 1}.csv` })) as { imported: number; refused: number };
      const importMs = performance.now() - started;
      const importRssGrowth = growth();
      if (imported.imported !== run.length) throw new Error(`imported ${imported.imported} of ${run.length} rows (${imported.refused} refused)`);
      started = performance.now();
      const exported = (await must(service, 'records.export', { dataset: command.dataset, lang: 'vi' })) as { records: number; bytes: number };
      const exportMs = performance.now() - started;

      const xlsxRun = JSON.parse(readFileSync(command.xlsxRuns[i]!, 'utf8')) as RecordData[];
      const xlsx = await workbookOf(descriptor, xlsxRun);
      growth = rssGrowth();
      started = performance.now();
      const xlsxImported = (await must(service, 'records.import', { dataset: command.dataset, xlsx: xlsx.toString('base64'), source: `bench-${i + 1}.xlsx` })) as { imported: number; refused: number };
      const xlsxImportMs = performance.now() - started;
      const xlsxImportRssGrowth = growth();
      if (xlsxImported.imported !== xlsxRun.length) throw new Error(`imported ${xlsxImported.imported} of ${xlsxRun.length} workbook rows (${xlsxImported.refused} refused)`);
      started = performance.now();
      const xlsxExported = (await must(service, 'records.export', { dataset: command.dataset, lang: 'vi', format: 'xlsx' })) as { records: number; bytes: number };
      out.push({
        rows: run.length,
        csvChars: csv.length,
        importMs,
        exported: exported.records,
        exportBytes: exported.bytes,
        exportMs,
        importRssGrowth,
        xlsxBytes: xlsx.length,
        xlsxImportMs,
        xlsxImportRssGrowth,
        xlsxExported: xlsxExported.records,
        xlsxExportBytes: xlsxExported.bytes,
        xlsxExportMs: performance.now() - started,
      });
    }
    return out;
  } finally {
    await service.close();
  }
}

/** The records as an office's spreadsheet saved as CSV: Vietnamese titles, cells as the export writes them (dates day/month/year, labels). */
function spreadsheetOf(descriptor: DatasetDescriptor, records: RecordData[]): string {
  const fields = cellFieldsOf(descriptor);
  const rows = records.map((data) => fields.map((f) => guardFormula(cellText(f, data[f.name], 'vi'))));
  return stringify([fields.map((f) => f.title.vi), ...rows], { record_delimiter: 'windows' });
}

/** The records as an office's register kept in Excel: the same titles and cells as the CSV, but dates as Excel's own date cells and no apostrophe (a workbook cell is no formula). */
async function workbookOf(descriptor: DatasetDescriptor, records: RecordData[]): Promise<Buffer> {
  const fields = cellFieldsOf(descriptor);
  const parts: Uint8Array[] = [];
  const sheet = new XlsxSheetWriter(
    fields.map((f) => ({ title: f.title.vi, kind: 'text', width: 14 })),
    'Sheet1',
    (bytes) => void parts.push(bytes),
  );
  const cell = (kind: string, value: unknown, text: string): XlsxCell => {
    const m = kind === 'date' && typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
    const serial = m ? excelSerial(Number(m[1]), Number(m[2]), Number(m[3])) : null;
    return serial !== null ? { kind: 'date', serial } : text === '' ? null : { kind: 'text', text };
  };
  for (let i = 0; i < records.length; i += 1_000) {
    await sheet.addRows(records.slice(i, i + 1_000).map((data) => fields.map((f) => cell(f.kind, data[f.name], cellText(f, data[f.name], 'vi')))));
  }
  await sheet.finish();
  return Buffer.concat(parts);
}

/** Starts sampling this process's RSS every 50 ms; the function returned stops and gives the highest sample (or the RSS at the end) less the RSS at the start. */
function rssGrowth(): () => number {
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage.rss()) - before;
  };
}

async function must(service: AgentService, command: CommandName, input: unknown): Promise<unknown> {
  const r = await service.call(command, input);
  if (!r.ok) throw new Error(`${command}: ${r.error.code}: ${r.error.messages.en}`);
  return r.value;
}

function needCache(): BenchAgent {
  if (!cache) throw new Error('no cache agent: enroll first');
  return cache;
}

process.on('message', (command: HostCommand) => {
  handle(command)
    .catch((error: unknown): HostReply => ({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }))
    .then((reply) => {
      process.send?.(reply);
      if (command.op === 'close') process.disconnect();
    });
});
// A bench that dies must not leave its agent behind.
process.on('disconnect', () => process.exit(0));

/**
 * `npm run bench [-- --quick] [-- --only 1,4] [-- --runs 5] [-- --profile]`
 *
 * The performance suite (docs/performance.md): nine scenarios against the real
 * reference platform on loopback, with seeded ~1 KB civil-status births. Every
 * figure is the median of at least 3 runs, with min and max; targets are
 * printed beside each. Results go to .tmp/bench/latest.json (ignored by git);
 * the published record is docs/performance.md.
 */
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { BenchContext, FULL_SIZES, QUICK_SIZES, type BenchConfig } from './bench-context.js';
import { machineInfo, renderTable, writeJson, type ScenarioResult } from './report.js';
import { initialSync, largeInitialSync } from './scenarios/initial-sync.js';
import { pushLocal } from './scenarios/push.js';
import { incrementalChanges, noOpSync } from './scenarios/incremental.js';
import { localWrite } from './scenarios/local-write.js';
import { search } from './scenarios/search.js';
import { fleet } from './scenarios/fleet.js';
import { spreadsheets } from './scenarios/spreadsheets.js';

type Scenario = (ctx: BenchContext, result: ScenarioResult) => Promise<void>;

const SCENARIOS: ReadonlyArray<{ id: number; title: string; run: Scenario }> = [
  { id: 1, title: 'Initial sync, with the raw limit', run: initialSync },
  { id: 2, title: 'Initial sync of a large dataset', run: largeInitialSync },
  { id: 3, title: 'Push of local records', run: pushLocal },
  { id: 4, title: 'National changes into a full cache', run: incrementalChanges },
  { id: 5, title: 'Sync with nothing to do', run: noOpSync },
  { id: 6, title: 'Local write through AgentService', run: localWrite },
  { id: 7, title: 'Accent-insensitive search', run: search },
  { id: 8, title: 'Platform under a fleet', run: fleet },
  { id: 9, title: 'Spreadsheet import and export', run: spreadsheets },
];

const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, '.tmp', 'bench', 'latest.json');

function parseArgs(argv: string[]): { quick: boolean; only: number[] | null; runs: number; profile: boolean } {
  const out = { quick: false, only: null as number[] | null, runs: 3, profile: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--quick') out.quick = true;
    else if (arg === '--profile') out.profile = true;
    else if (arg.startsWith('--only')) out.only = value().split(',').map((s) => Number(s.trim()));
    else if (arg.startsWith('--runs')) out.runs = Math.max(3, Number(value()));
    else throw new Error(`unknown argument ${arg} (use --quick, --only 1,2, --runs N, --profile)`);
  }
  if (out.only?.some((n) => !SCENARIOS.some((s) => s.id === n))) throw new Error(`--only takes scenario numbers 1-${SCENARIOS.length}`);
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const config: BenchConfig = {
    quick: args.quick,
    runs: args.runs,
    seed: 20251001,
    sizes: args.quick ? QUICK_SIZES : FULL_SIZES,
    ...(args.profile ? { cpuProfDir: join(ROOT, '.tmp', 'bench', 'profiles') } : {}),
    log,
  };
  const machine = machineInfo();
  log(`bench (${args.quick ? 'quick' : 'full'}), ${config.runs} runs per figure, ${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`);
  const ctx = new BenchContext(config);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of SCENARIOS) {
      if (args.only && !args.only.includes(scenario.id)) continue;
      log(`[${scenario.id}] ${scenario.title}`);
      const result: ScenarioResult = { id: scenario.id, title: scenario.title, figures: [], notes: [], seconds: 0 };
      const started = performance.now();
      try {
        await scenario.run(ctx, result);
      } catch (error) {
        result.error = (error as Error)?.stack ?? String(error);
        log(`  failed: ${result.error}`);
      }
      result.seconds = Math.round((performance.now() - started) / 100) / 10;
      results.push(result);
    }
  } finally {
    await ctx.close();
  }
  machine.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  const table = renderTable(results);
  process.stdout.write(`\n${table}\n\n`);
  for (const r of results) for (const note of r.notes) process.stdout.write(`[${r.id}] ${note}\n`);
  process.stdout.write(`\n${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; load average ${machine.loadAverageAtStart.join(' ')} -> ${machine.loadAverageAtEnd.join(' ')}\n`);
  writeJson(OUT, { mode: args.quick ? 'quick' : 'full', runs: config.runs, seed: config.seed, sizes: config.sizes, finishedAt: new Date().toISOString(), machine, results });
  process.stdout.write(`results: ${OUT}\n`);
  if (results.some((r) => r.error)) process.exitCode = 1;
}

await main();

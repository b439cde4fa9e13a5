/**
 * The agent side of an initial-sync measurement, in its own process so that its
 * peak RSS (process.resourceUsage().maxRSS) is the agent's alone, not the
 * platform's or the bench's.
 *
 * argv[2]: a JSON ChildJob. Prints one line of JSON (a ChildResult) on stdout.
 */
import { rawSync } from './raw-limit.js';
import { assertSynced, enrollWithToken } from './bench-agent.js';

export type ChildJob =
  | { kind: 'sync'; platformUrl: string; siteCode: string; token: string; dataDir: string }
  | { kind: 'raw'; pageUrl: string; pages: number; dbFile: string };

export interface ChildResult {
  ms: number;
  records: number;
  /** Peak resident set of this process, bytes. */
  peakRssBytes: number;
  /** Resident set just before the measured work (runtime and modules loaded), bytes. */
  baselineRssBytes: number;
  /** Memory after every 10th page applied, MB: shows whether it stays flat, and which part grows. */
  rssTrail: Array<{ page: number; rss: number; heapUsed: number; heapTotal: number; external: number }>;
  /** Time spent waiting on the platform's answers (signing, HTTP, platform work, gunzip, JSON and schema parse), ms. */
  waitMs?: Record<string, number>;
}

const job = JSON.parse(process.argv[2] ?? '{}') as ChildJob;
const maxRss = () => process.resourceUsage().maxRSS * 1024;

async function main(): Promise<ChildResult> {
  if (job.kind === 'raw') {
    const baselineRssBytes = maxRss();
    const start = performance.now();
    const records = await rawSync(job.pageUrl, job.pages, job.dbFile);
    return { ms: performance.now() - start, records, peakRssBytes: maxRss(), baselineRssBytes, rssTrail: [] };
  }
  const agent = await enrollWithToken(job.platformUrl, job.siteCode, job.token, job.dataDir);
  const baselineRssBytes = maxRss();
  const rssTrail: ChildResult['rssTrail'] = [];
  const mb = (bytes: number) => Math.round(bytes / 1048576);
  let pages = 0;
  const start = performance.now();
  const summary = assertSynced(
    await agent.sync((event) => {
      if (event.type !== 'pulled') return;
      pages += 1;
      if (pages % 10 !== 0) return;
      const m = process.memoryUsage();
      rssTrail.push({ page: pages, rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) });
    }),
  );
  const ms = performance.now() - start;
  await agent.store.close();
  return { ms, records: summary.pulled, peakRssBytes: maxRss(), baselineRssBytes, rssTrail, waitMs: agent.client.waitMs };
}

main().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);

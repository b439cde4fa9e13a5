import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { Catalog } from '../../national-platform/src/services/catalog.js';
import { ChangeSet } from '../../national-platform/src/services/change-set.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { BENCH_DATASET, BENCH_PROVINCE, BENCH_SITE, BenchRecords } from './bench-records.js';

/** Records per preload transaction. */
const PRELOAD_CHUNK = 5000;

/** The platform as the platform host (platform-host.ts) holds it, in its own process. */
export interface InProcessPlatform {
  platform: RunningPlatform;
  url: string;
  /** The generator the preload drew from; later records (updates, pushes) continue it, so personal IDs stay unique. */
  records: BenchRecords;
  /** Ids of preloaded records, in order (kept only when asked). */
  ids: string[];
  preloadMs: number;
  close(): Promise<void>;
}

export interface BenchPlatformOptions {
  /** SQLite file (default: a temp folder) or postgres:// URL. */
  db?: string;
  preload: number;
  seed: number;
  keepIds?: boolean;
  /** Extra sites, e.g. a fleet's. */
  sites?: Array<{ code: string; provinceCode: string }>;
}

/**
 * The real reference platform on loopback, rate limiting off (a bench measures
 * throughput, not the limiter), with `preload` births of Hà Nội already stored.
 *
 * The preload skips the platform's per-record validation (the records are valid
 * by construction: they come from the platform's own sample generator) and
 * writes through the platform's ChangeSet directly: the same multi-row
 * statements, seq numbers, scope history, unique keys and digest buckets as a
 * national write, 5,000 records per transaction. Through admin.putRecords it
 * was about 500 records/s on this machine (schema + rule validation and unique
 * checks per record), too slow to preload 1,000,000.
 */
export async function startPlatformInProcess(options: BenchPlatformOptions): Promise<InProcessPlatform> {
  const dir = options.db ? null : mkdtempSync(join(tmpdir(), 'bench-platform-'));
  const db = options.db ?? join(dir as string, 'platform.sqlite');
  const platform = await startPlatform({ db, rateLimit: false, log: () => undefined });
  await platform.admin.addSite({ code: BENCH_SITE, name: 'Bench Hà Nội', provinceCode: BENCH_PROVINCE });
  for (const site of options.sites ?? []) await platform.admin.addSite({ code: site.code, name: `Bench ${site.code}`, provinceCode: site.provinceCode });
  const records = new BenchRecords(options.seed);
  const ids: string[] = [];
  const started = performance.now();
  for (let done = 0; done < options.preload; done += PRELOAD_CHUNK) {
    const batch = records.take(Math.min(PRELOAD_CHUNK, options.preload - done));
    const written = await storeDirectly(platform, batch);
    if (options.keepIds) ids.push(...written);
  }
  const preloadMs = performance.now() - started;
  return {
    platform,
    url: platform.url,
    records,
    ids,
    preloadMs,
    close: async () => {
      await platform.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const catalog = new Catalog();

/** One sequenced transaction writing `batch` as new national records; returns their ids. */
export async function storeDirectly(platform: RunningPlatform, batch: readonly RecordData[], dataset = BENCH_DATASET): Promise<string[]> {
  const descriptor = catalog.get(dataset);
  const now = new Date();
  const ids = batch.map(() => uuidv7(now.getTime()));
  await platform.store.write(
    async (em, seq) => {
      const changes = new ChangeSet(em, seq, now.toISOString());
      batch.forEach((data, i) => changes.put(descriptor, ids[i] as string, null, { deleted: false, data }, { national: true }));
      await changes.flush();
    },
    { sequenced: true },
  );
  return ids;
}

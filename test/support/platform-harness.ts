import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe } from 'node:test';
import { startPlatform, type PlatformOptions, type RunningPlatform } from '../../national-platform/src/index.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { enroll, type SignedClient } from './platform-client.js';
import { startPostgres, type RunningPostgres } from './postgres.js';

/** Real time plus an offset the test can move; the platform and its test agents share it. */
export class TestClock {
  private offsetMs = 0;
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);
  readonly seconds = (): number => Math.floor(this.now().getTime() / 1000);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface TestPlatform extends RunningPlatform {
  clock: TestClock;
  /** Where its store lives: a SQLite path or a postgres:// URL. */
  db: string;
  /** Adds a site (province 01 unless told) and enrolls an active agent for it. */
  agent(site: string, scope?: { provinceCode: string; communeCodes?: string[] }): Promise<SignedClient>;
}

export interface PlatformEnv {
  readonly storeName: string;
  /** A platform on a fresh, empty database, closed after the test. */
  start(options?: Omit<PlatformOptions, 'db' | 'store' | 'now'>): Promise<TestPlatform>;
  /** A fresh database location (SQLite path or postgres:// URL). */
  newDb(): Promise<string>;
}

class Env implements PlatformEnv {
  private readonly running: RunningPlatform[] = [];
  private readonly dirs: string[] = [];

  constructor(
    readonly storeName: string,
    private readonly makeDb: () => Promise<string>,
  ) {}

  async newDb(): Promise<string> {
    return this.makeDb();
  }

  tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'platform-test-'));
    this.dirs.push(dir);
    return dir;
  }

  async start(options: Omit<PlatformOptions, 'db' | 'store' | 'now'> = {}): Promise<TestPlatform> {
    const clock = new TestClock();
    const db = await this.makeDb();
    const platform = await startPlatform({ rateLimit: false, ...options, db, now: clock.now });
    this.running.push(platform);
    const agent = async (site: string, scope: { provinceCode: string; communeCodes?: string[] } = { provinceCode: '01' }) => {
      const existing = await platform.admin.listSites();
      if (!existing.some((s) => s.code === site)) await platform.admin.addSite({ code: site, name: `Site ${site}`, ...scope });
      const token = await platform.admin.createToken({ site });
      const { res, client } = await enroll(platform.url, token, site, `agent of ${site}`, clock.seconds);
      if (res.status !== 201) throw new Error(`enrollment failed: ${JSON.stringify(res.body)}`);
      return client;
    };
    return Object.assign(platform, { clock, db, agent });
  }

  async closeAll(): Promise<void> {
    for (const p of this.running.splice(0)) await p.close();
  }

  removeDirs(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** One PostgreSQL server per test file (each file runs in its own process), shared by its suites. */
let postgres: Promise<RunningPostgres> | null = null;

function filePostgres(): () => Promise<RunningPostgres> {
  if (!postgres) {
    // Started now, so it boots while the SQLite suite runs; a failure surfaces in the suite's before().
    const started = startPostgres();
    started.catch(() => undefined);
    postgres = started;
    // Registered at the file's top level: stopped once, after every suite of the file.
    after(async () => {
      const server = await started.catch(() => null);
      await server?.stop();
    });
  }
  const shared = postgres;
  return () => shared;
}

/**
 * Runs the same suite against SQLite (a temp file per platform) and PostgreSQL
 * (one throwaway server per test file, a fresh database per platform).
 */
export function describeOnEachStore(title: string, body: (env: PlatformEnv) => void): void {
  describe(`${title} [SQLite]`, () => {
    const env: Env = new Env('SQLite', async () => join(env.tempDir(), 'platform.sqlite'));
    afterEach(() => env.closeAll());
    after(() => env.removeDirs());
    body(env);
  });
  const server = filePostgres();
  describe(`${title} [PostgreSQL]`, () => {
    const env = new Env('PostgreSQL', async () => (await server()).newDatabase());
    before(async () => {
      await server();
    });
    afterEach(() => env.closeAll());
    after(() => env.closeAll());
    body(env);
  });
}

/** An upsert mutation with a fresh mutationId (a create unless `baseRev` is given). */
export function upsert(dataset: string, data: RecordData, options: { id?: string; baseRev?: number | null } = {}) {
  return { mutationId: uuidv7(), dataset, id: options.id ?? uuidv7(), op: 'upsert' as const, baseRev: options.baseRev ?? null, data };
}

export function remove(dataset: string, id: string, baseRev: number | null) {
  return { mutationId: uuidv7(), dataset, id, op: 'delete' as const, baseRev };
}

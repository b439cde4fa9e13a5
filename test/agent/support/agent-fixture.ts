import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startPlatform, type RunningPlatform } from '../../../national-platform/src/index.js';
import { createSampleGenerator, type SampleGenerator } from '../../../national-platform/src/seed/samples.js';
import type { CommandInput, CommandName, CommandOutput } from '../../../sync-engine/src/api/contract.js';
import { createAgentService, type AgentService, type AgentServiceOptions } from '../../../sync-engine/src/index.js';
import type { PlatformOptions } from '../../../national-platform/src/index.js';

/** Temp folders removed at the end of a test file. */
export class TempDirs {
  private readonly dirs: string[] = [];
  make(prefix = 'edge-agent-test-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }
  cleanup(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

/** Province 01 (Hà Nội) and two of its communes, the scope most tests use. */
export const PROVINCE = '01';

export interface TestPlatform {
  platform: RunningPlatform;
  dbFile: string;
  url: string;
  close(): Promise<void>;
}

/** The REAL reference platform on loopback with a fresh SQLite file; rate limiting off (tests push fast). */
export async function startTestPlatform(temp: TempDirs, options: Partial<PlatformOptions> = {}): Promise<TestPlatform> {
  const dbFile = join(temp.make('platform-'), 'platform.sqlite');
  const platform = await startPlatform({ db: dbFile, rateLimit: false, log: () => undefined, ...options });
  return { platform, dbFile, url: platform.url, close: () => platform.close() };
}

/**
 * One reference platform for the suite it is called in: started before its
 * tests, closed after them together with the suite's temp folders. `p` may be
 * replaced (a restarted platform); whatever it holds at the end is closed.
 */
export function platformPerSuite(): { temp: TempDirs; p: TestPlatform } {
  const env = { temp: new TempDirs(), p: undefined as unknown as TestPlatform };
  before(async () => {
    env.p = await startTestPlatform(env.temp);
  });
  after(async () => {
    await env.p.close();
    env.temp.cleanup();
  });
  return env;
}

/** Calls the AgentApi and returns the value, failing the test with the ApiError otherwise. */
export async function ok<C extends CommandName>(agent: AgentService, command: C, input: CommandInput<C>): Promise<CommandOutput<C>> {
  const result = await agent.call(command, input);
  if (!result.ok) assert.fail(`${command} failed: ${result.error.code} ${result.error.messages.en} ${JSON.stringify(result.error.fieldErrors ?? [])}`);
  return result.value;
}

export interface TestAgent {
  agent: AgentService;
  dataDir: string;
  agentId: string;
  site: string;
}

let siteCounter = 0;

/** A new site in `province` on the platform (unique code per call). */
export async function addSite(p: TestPlatform, options: { province?: string; communeCodes?: string[]; requireApproval?: boolean } = {}): Promise<string> {
  siteCounter += 1;
  const code = `SITE-${process.pid}-${siteCounter}`;
  await p.platform.admin.addSite({
    code,
    name: `Test site ${siteCounter}`,
    provinceCode: options.province ?? PROVINCE,
    ...(options.communeCodes ? { communeCodes: options.communeCodes } : {}),
    ...(options.requireApproval ? { requireApproval: true } : {}),
  });
  return code;
}

/** An agent in its own temp folder, set up, enrolled at `site` (a new site when absent) and synced once. */
export async function enrolledAgent(
  temp: TempDirs,
  p: TestPlatform,
  options: { site?: string; service?: Partial<AgentServiceOptions>; sync?: boolean } = {},
): Promise<TestAgent> {
  const site = options.site ?? (await addSite(p));
  const dataDir = temp.make('agent-');
  const agent = await createAgentService({ dataDir, onError: () => undefined, ...options.service });
  await ok(agent, 'settings.update', { platformUrl: p.url, siteCode: site });
  const token = await p.platform.admin.createToken({ site });
  const enrolled = await ok(agent, 'enrollment.enroll', { token });
  if (options.sync !== false) await syncOk(agent);
  return { agent, dataDir, agentId: enrolled.agentId, site };
}

/** One sync that must finish (with or without conflicts). */
export async function syncOk(agent: AgentService): Promise<NonNullable<CommandOutput<'sync.now'>['run']>> {
  const answer = await ok(agent, 'sync.now', {});
  assert.ok(answer.started && answer.run, 'the sync started');
  assert.ok(answer.run.status === 'ok' || answer.run.status === 'conflicts', `sync finished: ${answer.run.status} ${JSON.stringify(answer.run.error)}`);
  return answer.run;
}

/** Deterministic, valid sample records (the platform's own generator). */
export function samples(seed = 7): SampleGenerator {
  return createSampleGenerator(seed);
}

/** The platform's live records of a dataset in a province, by id. */
export async function platformLive(p: TestPlatform, dataset: string, province = PROVINCE): Promise<Map<string, { rev: number; data: Record<string, unknown> | null }>> {
  const rows = await p.platform.admin.listRecords(dataset, { province, limit: 100_000 });
  return new Map(rows.filter((r) => !r.deleted).map((r) => [r.id, { rev: r.rev, data: r.data }]));
}

/** The agent's digest status per dataset after its last sync. */
export async function digests(agent: AgentService): Promise<Record<string, string>> {
  const status = await ok(agent, 'status.get', {});
  return Object.fromEntries(status.datasets.map((d) => [d.dataset, d.digest]));
}

/** The same platform (same SQLite file, same port) started again after `close()`. */
export async function restartPlatform(p: TestPlatform, options: Partial<PlatformOptions> = {}): Promise<TestPlatform> {
  const platform = await startPlatform({ db: p.dbFile, port: p.platform.port, rateLimit: false, log: () => undefined, ...options });
  return { platform, dbFile: p.dbFile, url: platform.url, close: () => platform.close() };
}

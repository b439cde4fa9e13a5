/**
 * The web console of a REAL agent synced with the REAL reference platform:
 * the platform on a temp SQLite file (demo seed plus a site of our own), an
 * AgentService enrolled there, and the engine's admin API serving the
 * renderer as built for the tests. The agent runs in the test process (not as
 * `edge-agent run`) so the tests can set a one-second health probe, read the
 * agent's own status to check the UI against it, and stop and restart the
 * platform on the same port and file; the admin API, the service and the
 * built console are the production ones.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPlatform } from '../../../national-platform/src/index.js';
import type { RunningPlatform } from '../../../national-platform/src/index.js';
import { createAgentService, newAdminToken, saveAdminToken, startAdminApi } from '../../../sync-engine/src/index.js';
import type { AdminApi, AgentService } from '../../../sync-engine/src/index.js';
import { ok, syncOk } from '../../agent/support/agent-fixture.js';
import { consoleBuild, consoleStorage, launchChromium, WAIT_MS } from '../../renderer/support/browser.js';

export const SITE = 'E2E-HA-NOI';
/** The person the console acts as (given once, remembered by the browser). */
export const PERSON = 'Nguyễn Thị Lan';
export const PROVINCE = '01';

export interface RealConsole {
  browser: Browser;
  agent: AgentService;
  platform: RunningPlatform;
  consoleUrl: string;
  /** Closes the platform's server (the agent sees it gone). */
  stopPlatform(): Promise<void>;
  /** The same platform again: same port, same SQLite file. */
  restartPlatform(): Promise<void>;
  /** A new 1024x768 page on the console (or on `url`, another agent's console). */
  open(url?: string): Promise<Page>;
  /** The built renderer, for another agent to serve. */
  staticDir: string;
  /** A temp folder removed by close(). */
  tempDir: string;
  /** Errors the pages threw or logged (CSP violations included) since they opened. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function startRealConsole(): Promise<RealConsole> {
  const root = await mkdtemp(join(tmpdir(), 'e2e-console-'));
  const build = await consoleBuild();
  const outDir = build.dir;
  const dbFile = join(root, 'platform.sqlite');
  const dataDir = join(root, 'agent');

  let platform = await startPlatform({ db: dbFile, rateLimit: false, log: () => undefined });
  const port = platform.port;
  await platform.admin.seedDemo();
  // The whole province (no commune scope): enough births for the name search.
  await platform.admin.addSite({ code: SITE, name: 'Hà Nội (e2e)', provinceCode: PROVINCE });

  const agent = await createAgentService({
    dataDir,
    agentName: 'e2e',
    onError: () => undefined,
    // Probe every second so the header follows the platform going and coming back;
    // failures older than 5 s no longer read as an unstable link (default 10 min),
    // so "online" comes back within the test rather than ten minutes later.
    health: { intervalMs: 1_000, failingIntervalMs: 1_000, failingIntervalCapMs: 1_000, assess: { recentWindowMs: 5_000 } },
  });
  await ok(agent, 'settings.update', { platformUrl: platform.url, siteCode: SITE });
  await ok(agent, 'enrollment.enroll', { token: await platform.admin.createToken({ site: SITE }) });
  await syncOk(agent);
  await agent.start({ background: true, syncAtStart: false });

  const token = newAdminToken();
  saveAdminToken(dataDir, token);
  const admin: AdminApi = await startAdminApi({ api: agent, port: 0, token, staticDir: outDir });
  const browser = await launchChromium();
  const pages: Page[] = [];
  const pageErrors: string[] = [];
  let running = true;

  const harness: RealConsole = {
    browser,
    agent,
    get platform() {
      return platform;
    },
    consoleUrl: `${admin.url}/#token=${token}`,
    pageErrors,
    async stopPlatform() {
      running = false;
      await platform.close();
    },
    async restartPlatform() {
      platform = await startPlatform({ db: dbFile, port, rateLimit: false, log: () => undefined });
      running = true;
    },
    staticDir: outDir,
    tempDir: root,
    async open(url = harness.consoleUrl) {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN', storageState: consoleStorage(url, PERSON) });
      page.setDefaultTimeout(WAIT_MS);
      page.on('dialog', (dialog) => void dialog.dismiss());
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      page.on('console', (message) => {
        // The CSP is also sent as a header, where frame-ancestors does apply.
        if (message.type() === 'error' && !/frame-ancestors' is ignored/.test(message.text())) pageErrors.push(message.text());
      });
      pages.push(page);
      await page.goto(url);
      await page.locator('.header-status .badge').first().waitFor();
      await page.locator('html[lang="vi"]').waitFor();
      return page;
    },
    async close() {
      for (const page of pages) await page.close().catch(() => undefined);
      await browser.close();
      await admin.close();
      await agent.close();
      if (running) await platform.close();
      await build.release();
      await rm(root, { recursive: true, force: true });
    },
  };
  return harness;
}

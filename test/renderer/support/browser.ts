/**
 * Shared set-up of the renderer's browser tests: take the renderer built once
 * for the whole run by scripts/run-tests.mjs (or build it for this file when
 * it runs on its own), serve it with the fake admin API, drive Debian's chromium
 * through playwright-core, and run axe-core in the page.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { newAdminToken, startAdminApi } from '../../../sync-engine/src/admin-api/index.js';
import { startFakeAdminServer } from './fake-admin-server.js';
import type { FakeAdminServer } from './fake-admin-server.js';
import { FakeAgent } from './fake-agent.js';
import { windowBridgeScript } from './window-bridge.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** Generous: two slow cores build, generate 100,000 records and run chromium at once. */
export const WAIT_MS = 60_000;
export const SCREENS = ['overview', 'records', 'outbox', 'conflicts', 'history', 'settings'] as const;
export type ScreenName = (typeof SCREENS)[number];

export interface Harness {
  browser: Browser;
  server: FakeAdminServer;
  agent: FakeAgent;
  open(language?: 'vi' | 'en', options?: OpenOptions): Promise<Page>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * The web console's person, as this browser remembers them (localStorage), or
   * null for a browser that has not been told: its first change asks for a name.
   */
  actingAs?: string | null;
  /** The browser's own locale (its date inputs' order, say); by default the window's language's (vi-VN, en-GB). */
  browserLocale?: string;
  /** The computer's time zone (an IANA name); by default the test machine's. */
  timezoneId?: string;
  /** The page's clock held at this moment (Date.now, new Date()), timers still running. */
  fixedTime?: Date;
  /** The page as the Electron window's: window.edgeAgent, the preload's bridge, played by window-bridge.ts. */
  asWindow?: boolean;
}

/** The person the consoles of the tests act as, unless a test says otherwise. */
export const TEST_PERSON = 'Người kiểm thử';
const ACTING_AS_KEY = 'edgeAgent.actingAs';

/** A new page's storage: the console's person already given, or nothing. */
export function consoleStorage(url: string, actingAs: string | null): { cookies: []; origins: Array<{ origin: string; localStorage: Array<{ name: string; value: string }> }> } {
  return { cookies: [], origins: actingAs === null ? [] : [{ origin: new URL(url).origin, localStorage: [{ name: ACTING_AS_KEY, value: actingAs }] }] };
}

export interface HarnessOptions {
  agent?: FakeAgent;
  /**
   * Which door serves the console: this folder's small fake server (default), or
   * the engine's real local admin API (sync-engine/src/admin-api) over the same
   * fake agent, which checks that client and server speak the same protocol.
   */
  door?: 'fake' | 'admin-api';
}

/** The engine's admin API over a FakeAgent, shaped like the fake server for the tests. */
async function realDoor(staticDir: string, agent: FakeAgent): Promise<FakeAdminServer> {
  const start = (port: number, token: string) => startAdminApi({ api: agent, port, token, staticDir, heartbeatMs: 5_000 });
  let token = newAdminToken();
  let api = await start(0, token);
  return {
    url: api.url,
    get token() {
      return token;
    },
    agent,
    get consoleUrl() {
      return `${api.url}/#token=${token}`;
    },
    dropEventStreams: () => {
      throw new Error('the real admin API offers no way to cut its streams');
    },
    // As `edge-agent run` does at each start: the same port, a new token.
    restart: async () => {
      await api.close();
      token = newAdminToken();
      api = await start(api.port, token);
    },
    close: () => api.close(),
  };
}

/** A fresh build of the renderer into `outDir`, as the admin API serves it. */
export async function buildConsole(outDir: string): Promise<void> {
  await promisify(execFile)(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
}

export interface ConsoleBuild {
  dir: string;
  /** Removes the build if it was made for this file; the run's shared build stays for the other files. */
  release(): Promise<void>;
}

/**
 * The built renderer: the one scripts/run-tests.mjs built for the run
 * (NDXP_TEST_CONSOLE_BUILD, read only), else a fresh build for this file.
 */
export async function consoleBuild(): Promise<ConsoleBuild> {
  const shared = process.env.NDXP_TEST_CONSOLE_BUILD;
  if (shared) return { dir: shared, release: async () => undefined };
  const dir = await mkdtemp(join(tmpdir(), 'renderer-build-'));
  await buildConsole(dir);
  return { dir, release: () => rm(dir, { recursive: true, force: true }) };
}

/** Debian's chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: execFileSync('which', ['chromium']).toString().trim(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    timeout: WAIT_MS,
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const build = await consoleBuild();
  const outDir = build.dir;
  const server =
    options.door === 'admin-api'
      ? await realDoor(outDir, options.agent ?? new FakeAgent())
      : await startFakeAdminServer({ staticDir: outDir, ...(options.agent ? { agent: options.agent } : {}) });
  const browser = await launchChromium();
  const pages: Page[] = [];
  return {
    browser,
    server,
    agent: server.agent,
    async open(language = 'vi', options: OpenOptions = {}) {
      server.agent.settings = { ...server.agent.settings, language };
      const page = await browser.newPage({
        viewport: { width: 1024, height: 768 },
        locale: options.browserLocale ?? (language === 'vi' ? 'vi-VN' : 'en-GB'),
        storageState: consoleStorage(server.consoleUrl, options.actingAs === undefined ? TEST_PERSON : options.actingAs),
        ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
      });
      if (options.fixedTime) await page.clock.setFixedTime(options.fixedTime);
      if (options.asWindow) await page.addInitScript(windowBridgeScript(TEST_PERSON));
      page.setDefaultTimeout(WAIT_MS);
      pages.push(page);
      page.on('dialog', (dialog) => void dialog.dismiss());
      const errors: string[] = [];
      problems.set(page, errors);
      page.on('pageerror', (error) => errors.push(String(error)));
      page.on('console', (message) => {
        // The CSP is also sent as a header, where frame-ancestors does apply.
        if (message.type() === 'error' && !/frame-ancestors' is ignored/.test(message.text())) errors.push(message.text());
      });
      await page.goto(server.consoleUrl);
      await page.locator('.header-status .badge').first().waitFor();
      await page.locator(`html[lang="${language}"]`).waitFor();
      return page;
    },
    async close() {
      for (const page of pages) await page.close().catch(() => undefined);
      await browser.close();
      await server.close();
      await build.release();
    },
  };
}

const problems = new WeakMap<Page, string[]>();
/** Errors the page logged or threw (CSP violations included) since it opened. */
export function pageErrors(page: Page): string[] {
  return problems.get(page) ?? [];
}

export async function goTo(page: Page, screen: ScreenName): Promise<void> {
  await page.locator(`nav button[data-screen="${screen}"]`).click();
  await page.locator(`main[data-screen="${screen}"] h1`).waitFor();
  // Each screen shows "loading" until its first answer; wait for it to settle.
  await page.locator('main').filter({ hasNotText: /Đang tải…|Loading…/ }).waitFor();
}

export async function switchLanguage(page: Page, language: 'vi' | 'en'): Promise<void> {
  await page.locator(`.language-switch button[lang="${language}"]`).click();
  try {
    await page.locator(`html[lang="${language}"]`).waitFor();
  } catch (error) {
    const now = await page.evaluate('document.documentElement.lang').catch(() => '(page gone)');
    throw new Error(`the window did not switch to "${language}" after the click; <html lang> is "${String(now)}"`, { cause: error });
  }
}

export async function hasHorizontalScroll(page: Page): Promise<boolean> {
  return page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1') as Promise<boolean>;
}

let axeSource: string | null = null;
/**
 * axe-core's serious and critical violations on the page as it is now. The
 * console's CSP (script-src 'self') refuses an inline <script>, so axe is
 * evaluated through the DevTools protocol instead of page.addScriptTag, which
 * keeps the CSP on while the screens are checked.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(axeSource);
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.map((n) => JSON.stringify(n.target)).join(', '));
  })()`) as Promise<string[]>;
}

/**
 * Interface text still in Vietnamese: visible text and labelling attributes,
 * except data (inside translate="no") and language names marked lang="vi".
 * Sent as source text: tsx would wrap named inner functions in a helper the
 * page does not have.
 */
const VIETNAMESE_LEFT = `(() => {
  const vietnamese = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/i;
  const exempt = (el) => !!(el && el.closest('[translate="no"], [lang="vi"]:not(html)'));
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent || '';
    if (vietnamese.test(text) && !exempt(node.parentElement)) found.push(text.trim());
  }
  for (const el of document.body.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
    for (const attr of ['aria-label', 'placeholder', 'title', 'alt']) {
      const value = el.getAttribute(attr);
      if (value && vietnamese.test(value) && !exempt(el)) found.push(attr + '=' + value);
    }
  }
  return found;
})()`;

export async function vietnameseLeft(page: Page): Promise<string[]> {
  return page.evaluate(VIETNAMESE_LEFT) as Promise<string[]>;
}

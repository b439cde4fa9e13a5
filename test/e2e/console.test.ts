/**
 * Issue 4's acceptance, end to end: Debian's chromium drives the built web
 * console of a real agent (its admin API over the real AgentService) that
 * syncs with the real reference platform. The tests run in order and share
 * one world: the record entered offline is the one later put in conflict.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createAgentService } from '../../sync-engine/src/index.js';
import { ok } from '../agent/support/agent-fixture.js';
import { cliProcess } from '../agent/support/cli-runner.js';
import { goTo, ROOT, SCREENS, seriousViolations, switchLanguage, vietnameseLeft } from '../renderer/support/browser.js';
import type { ScreenName } from '../renderer/support/browser.js';
import { PROVINCE, SITE, startRealConsole } from './support/real-console.js';
import type { RealConsole } from './support/real-console.js';

const BIRTHS = 'civil-status-births';
const SHOTS = join(ROOT, 'docs', 'screenshots');
const NEW_NAME = 'Lò Thị Mỷ';

describe('the web console of a real agent synced with the real platform', { timeout: 900_000 }, () => {
  let w: RealConsole;
  let page: Page;
  let savedId = '';

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    w = await startRealConsole();
    page = await w.open();
  });
  after(async () => {
    await w?.close();
  });

  const header = () => page.locator('.header-status .badge');
  const field = (name: string) => page.locator(`#rf-${BIRTHS}-${name}`);
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });

  /** Clicks "Sync now" on the Overview and waits for a run that started after the click to end. */
  async function syncNowFromOverview(): Promise<string> {
    const before = (await ok(w.agent, 'status.get', {})).lastSync?.at ?? '';
    await goTo(page, 'overview');
    await page.locator('main button', { hasText: 'Đồng bộ ngay' }).click();
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = await ok(w.agent, 'status.get', {});
      if (!status.syncing && status.lastSync && status.lastSync.at > before) return status.lastSync.status;
      if (Date.now() > deadline) assert.fail(`no sync ended after the click: ${JSON.stringify(status.lastSync)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  test('typing "nguyen" in the search finds the records named "Nguyễn"', async () => {
    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill('nguyen');
    await page.locator('[aria-live="polite"]', { hasText: 'khớp với “nguyen”' }).waitFor();
    const rows = page.locator('.vlist-body .row-open', { hasText: 'Nguyễn' });
    await rows.first().waitFor();
    const platformNguyen = (await w.platform.admin.listRecords(BIRTHS, { province: PROVINCE, limit: 100_000 })).filter(
      (r) => !r.deleted && String(r.data?.fullName ?? '').includes('Nguyễn'),
    );
    assert.ok(platformNguyen.length > 0, 'the seed has births named Nguyễn');
    await page.getByLabel('Tìm kiếm').fill('');
  });

  test('the connection turns offline when the platform stops', async () => {
    await header().filter({ hasText: 'Trực tuyến' }).waitFor();
    await w.stopPlatform();
    await header().filter({ hasText: 'Mất kết nối' }).waitFor();
    assert.equal((await ok(w.agent, 'status.get', {})).health.state, 'offline');
  });

  test('a record entered offline shows the Vietnamese error inline, is corrected and waits to be sent', async () => {
    const sample = (await ok(w.agent, 'records.list', { dataset: BIRTHS, limit: 1 })).items[0]!;
    const commune = String(sample.data?.communeCode);
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await field('provinceCode').fill(PROVINCE);
    await field('communeCode').fill(commune);
    await field('placeOfBirthCommuneCode').fill(commune);
    await field('registrationNumber').fill('KS-2025-E2E001');
    await field('fullName').fill(NEW_NAME);
    await field('gender').selectOption('female');
    // Typed as office staff write dates: day/month/year.
    await field('birthDate').fill('02/03/2025');
    await field('registrationDate').fill('20/03/2025');
    await field('registrar').fill('Trần Thị Mai');
    await field('personalId').fill('12345');
    await field('personalId').blur();
    const error = page.locator(`#rf-${BIRTHS}-personalId-error`);
    // The engine's own message about the format (not "required", from before the typing).
    await error.filter({ hasText: '12 chữ số' }).waitFor();
    assert.equal(await field('personalId').getAttribute('aria-invalid'), 'true');
    await header().filter({ hasText: 'Mất kết nối' }).waitFor();
    await page.evaluate('window.scrollTo(0, 0)');
    await shot('record-form');
    assert.deepEqual(await seriousViolations(page), [], 'the form with an error passes axe');

    await field('personalId').fill('001325000123');
    await field('personalId').press('Tab');
    await error.waitFor({ state: 'detached' });
    await page.locator('.field-errors').first().waitFor({ state: 'detached' });
    await page.locator('button[type="submit"]', { hasText: 'Lưu' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã lưu' }).waitFor();
    const row = page.locator('.vlist-body [role="row"]', { hasText: NEW_NAME });
    await row.waitFor();
    assert.match(await row.innerText(), /Chờ gửi/);
    const found = await ok(w.agent, 'records.list', { dataset: BIRTHS, search: NEW_NAME });
    assert.equal(found.items.length, 1);
    assert.equal(found.items[0]!.state, 'waiting');
    assert.deepEqual([found.items[0]!.data?.['birthDate'], found.items[0]!.data?.['registrationDate']], ['2025-03-02', '2025-03-20'], 'stored as YYYY-MM-DD');
    savedId = found.items[0]!.id;
  });

  test('the connection is online again when the platform returns, and "Sync now" sends the record to it', async () => {
    await w.restartPlatform();
    await header().filter({ hasText: 'Trực tuyến' }).waitFor();
    assert.equal(await syncNowFromOverview(), 'ok');
    assert.equal((await ok(w.agent, 'status.get', {})).outbox.depth, 0, 'the outbox is empty');
    await goTo(page, 'records');
    await page.getByLabel('Tìm kiếm').fill(NEW_NAME);
    const row = page.locator('.vlist-body [role="row"]', { hasText: NEW_NAME });
    await row.filter({ hasText: 'Đã đồng bộ' }).waitFor();
    const national = await w.platform.admin.getRecord(BIRTHS, savedId);
    assert.ok(national, 'the platform has the record');
    assert.equal(national.data?.fullName, NEW_NAME);
    assert.equal(national.data?.personalId, '001325000123');
    await page.getByLabel('Tìm kiếm').fill('');
  });

  test('a conflict made on both sides is resolved field by field and converges', async () => {
    const local = (await ok(w.agent, 'records.get', { dataset: BIRTHS, id: savedId }))!;
    const national = (await w.platform.admin.getRecord(BIRTHS, savedId))!;
    await w.platform.admin.putRecord(BIRTHS, { ...national.data, fullName: 'Lò Thị Mỹ', registrar: 'Phạm Văn Quốc' }, { id: savedId, baseRev: national.rev });
    await ok(w.agent, 'records.put', { dataset: BIRTHS, id: savedId, data: { ...local.data, fullName: 'Lò Thị Mý', registrar: 'Trần Thị Mai Anh' } });
    await syncNowFromOverview();
    const open = await ok(w.agent, 'conflicts.list', { status: 'open' });
    assert.equal(open.total, 1, 'one conflict on the record');

    await goTo(page, 'conflicts');
    await shot('conflicts');
    assert.deepEqual(await seriousViolations(page), [], 'the conflicts list passes axe');
    await page.locator('.conflicts-table tbody button').first().click();
    await page.locator('.conflict-detail h2').waitFor();
    const row = (title: string) => page.locator('.conflict-table tbody tr', { hasText: title });
    await row('Họ và tên').waitFor();
    await shot('conflict-detail');
    assert.deepEqual(await seriousViolations(page), [], 'the conflict detail passes axe');
    await row('Họ và tên').getByLabel('Quốc gia').check();
    await row('Công chức hộ tịch').getByLabel('Đơn vị này').check();
    await page.locator('button', { hasText: 'Ghi nhận quyết định' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã ghi nhận quyết định' }).waitFor();

    await syncNowFromOverview();
    const status = await ok(w.agent, 'status.get', {});
    assert.ok(status.datasets.length > 0);
    for (const d of status.datasets) assert.equal(d.digest, 'match', `${d.dataset} digest`);
    await goTo(page, 'overview');
    assert.equal(await page.locator('main .badge', { hasText: 'Không khớp' }).count(), 0);
    await page.locator('main .badge', { hasText: 'Khớp' }).first().waitFor();
    const settled = (await w.platform.admin.getRecord(BIRTHS, savedId))!;
    assert.equal(settled.data?.fullName, 'Lò Thị Mỹ', 'the national name was chosen');
    assert.equal(settled.data?.registrar, 'Trần Thị Mai Anh', "this office's registrar was chosen");
    assert.equal((await ok(w.agent, 'conflicts.list', { status: 'open' })).total, 0);
  });

  test('every screen passes axe with real data and is captured at 1024x768', async () => {
    for (const screen of SCREENS) {
      await goTo(page, screen);
      // The Conflicts picture was taken with its conflict open (above); settled now, the screen would show none.
      if (screen !== 'conflicts') await shot(screen);
      assert.deepEqual(await seriousViolations(page), [], `${screen} passes axe`);
    }
  });

  test('switching to English leaves no Vietnamese label on any screen', async () => {
    let failure: unknown = null;
    try {
      await switchLanguage(page, 'en');
      const screens: (ScreenName | 'record-form')[] = [...SCREENS, 'record-form'];
      for (const screen of screens) {
        if (screen === 'record-form') {
          await goTo(page, 'records');
          await page.locator('button', { hasText: 'New record' }).click();
          await page.locator(`#rf-${BIRTHS}-fullName`).waitFor();
        } else {
          await goTo(page, screen);
        }
        assert.deepEqual(await vietnameseLeft(page), [], `${screen} in English`);
      }
    } catch (error) {
      failure = error;
    }
    // Back to Vietnamese for the tests after this one; a failure above stays the one reported.
    await switchLanguage(page, 'vi').catch((error: unknown) => (failure ??= error));
    if (failure) throw failure;
  });

  test('`edge-agent run` in its own process serves the same console, synced and online', async () => {
    // The production path: the installed bin, its own data folder and lease, the console it finds.
    const dataDir = join(w.tempDir, 'second-agent');
    const setup = await createAgentService({ dataDir, onError: () => undefined });
    await ok(setup, 'settings.update', { platformUrl: w.platform.url, siteCode: SITE });
    await ok(setup, 'enrollment.enroll', { token: await w.platform.admin.createToken({ site: SITE }) });
    await setup.close();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'edge-agent.js'), '--home', dataDir, 'run', '--port', '0', '--static', w.staticDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      const address = await new Promise<string>((resolve, reject) => {
        const look = () => {
          const found = /(?:Bảng điều khiển web|Web console): (http:\/\/127\.0\.0\.1:\d+\/) .*\n/.exec(out);
          if (found) resolve(found[1]!);
        };
        child.stdout.on('data', look);
        void exited.then((code) => reject(new Error(`edge-agent run exited (${code}) before printing its console address:\n${out}`)));
      });
      // The start-up lines (a service's journal) hold no token; the person at the computer asks `console` for it.
      assert.doesNotMatch(out, /#token=/);
      const printed = await cliProcess(dataDir, ['console']);
      assert.equal(printed.code, 0, printed.stderr);
      const url = printed.stdout.trim();
      assert.ok(url.startsWith(`${address}#token=`), url);
      const other = await w.open(url);
      await other.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
      await goTo(other, 'records');
      const births = (await w.platform.admin.listRecords(BIRTHS, { province: PROVINCE, limit: 100_000 })).filter((r) => !r.deleted).length;
      await other.locator('[aria-live="polite"]', { hasText: `${births} bản ghi.` }).waitFor();
      await other.locator('.vlist-body [role="row"]', { hasText: 'Lò Thị Mỹ' }).waitFor();
      await other.close();
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, `edge-agent run stops cleanly on SIGTERM:\n${out}`);
  });

  test('the console threw and logged no error during the whole run', () => {
    assert.deepEqual(w.pageErrors, []);
  });
});

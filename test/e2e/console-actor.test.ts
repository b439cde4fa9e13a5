import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startAdminApi } from '../../sync-engine/src/admin-api/index.js';
import type { AdminApi } from '../../sync-engine/src/admin-api/index.js';
import { enrolledAgent, ok, platformPerSuite, samples } from '../agent/support/agent-fixture.js';
import type { TestAgent } from '../agent/support/agent-fixture.js';
import type { ConsoleBuild } from '../renderer/support/browser.js';
import { consoleBuild, goTo, launchChromium, WAIT_MS } from '../renderer/support/browser.js';
import { auditActors } from '../support/audit-actors.js';

const TOKEN = 'console-actor-token-0123456789abcdefghijklmnop';
const BIRTHS = 'civil-status-births';
const PERSON = 'Nguyễn Thị Lan';

describe('a change made in the web console is logged with the name its person gave', { timeout: 600_000 }, () => {
  const env = platformPerSuite();
  let a: TestAgent;
  let admin: AdminApi;
  let browser: Browser;
  let build: ConsoleBuild;

  before(async () => {
    build = await consoleBuild();
    const staticDir = build.dir;
    // The service runs under its own account, as the installed service does.
    a = await enrolledAgent(env.temp, env.p, { service: { user: 'ndxp-agent' } });
    admin = await startAdminApi({ api: a.agent, port: 0, token: TOKEN, staticDir });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await admin?.close();
    await a?.agent.close();
    await build?.release();
  });

  test('a record deleted from a console that had no name: the dialog asks, and the audit log names that person, not the service', async () => {
    const data = samples(43).sample(BIRTHS, '01');
    const record = await ok(a.agent, 'records.put', { dataset: BIRTHS, data });

    const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
    page.setDefaultTimeout(WAIT_MS);
    await page.goto(`${admin.url}/#token=${TOKEN}`);
    await page.locator('.header-status .badge').first().waitFor();
    await goTo(page, 'records');
    await page.locator('.vlist-body .row-open', { hasText: String(data.fullName) }).first().click();
    await page.locator('.record-form button', { hasText: 'Xóa bản ghi' }).click();
    await page.locator('dialog.confirm-dialog button', { hasText: /^Xóa bản ghi$/ }).click();
    await page.getByRole('dialog', { name: 'Ai đang thao tác?' }).waitFor();
    await page.locator('#acting-as-input').fill(PERSON);
    await page.keyboard.press('Enter');
    // Created here and never synced: the record only leaves this computer.
    await page.locator('[role="status"]', { hasText: 'Đã xóa khỏi máy này' }).waitFor();
    await page.close();

    const actors = (await auditActors(a.dataDir)).filter((e) => e.recordId === record.id);
    assert.deepEqual(
      actors.map((e) => [e.action, e.actor]),
      [
        ['local.put', 'ndxp-agent'],
        ['local.delete', PERSON],
      ],
    );
  });
});

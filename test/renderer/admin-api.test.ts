import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, pageErrors, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';

/**
 * The web console against the engine's real local admin API (not this
 * folder's fake server): the client's commands, its event stream and the
 * console's files must all pass the API's token, Host/Origin and CSP rules.
 */
describe('the console through the real local admin API', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(5_000), door: 'admin-api' });
  });
  after(async () => {
    await h?.close();
  });

  test('commands answer, screens render, and the CSP header refuses nothing the console does', async () => {
    const page = await h.open();
    await page.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
    await goTo(page, 'records');
    await page.locator('text=5.000 bản ghi.').waitFor();
    await page.getByLabel('Tìm kiếm').fill('dang van nam');
    await page.locator('.vlist-body .row-open', { hasText: 'Đặng Văn Nam' }).first().waitFor();
    await goTo(page, 'conflicts');
    await page.locator('.conflicts-table tbody tr').first().waitFor();
    assert.deepEqual(pageErrors(page), []);
  });

  test('events pushed by the agent reach the window over the admin API\'s event stream', async () => {
    const page = await h.open();
    await page.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
    const online = h.agent.health;
    try {
      h.agent.health = { ...online, state: 'degraded', reason: { vi: 'Kết nối chậm: độ trễ 2.400 ms.', en: 'Slow connection: latency 2,400 ms.' } };
      // Repeat until the stream (opened once the page subscribed) carries it.
      const tell = setInterval(() => h.agent.emit('status.changed', h.agent.status()), 500);
      try {
        await page.locator('.header-status', { hasText: 'Kết nối chậm' }).waitFor();
      } finally {
        clearInterval(tell);
      }
      await page.locator('.header-status .badge', { hasText: 'Kết nối chập chờn' }).waitFor();
    } finally {
      h.agent.health = online;
    }
  });
});

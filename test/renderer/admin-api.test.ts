import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, pageErrors, startHarness, switchLanguage } from './support/browser.js';
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

  // Last: the restart leaves the pages opened before it refused.
  test('after the service restarts with a new token, the open console says so above every screen, in Vietnamese and English, and where the new address comes from', async () => {
    const page = await h.open();
    await page.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
    await h.server.restart();
    // The event stream ended with the old run; reopened, it is refused (401), and the page says why.
    const notice = page.locator('.access-notice [role="alert"]');
    await notice.filter({ hasText: 'Dịch vụ nền của tác tử đã khởi động lại nên địa chỉ bảng điều khiển này không còn dùng được' }).waitFor();
    assert.match(await notice.innerText(), /lấy trên máy này bằng lệnh: edge-agent console$/);
    // A command says the same, not the service's bare refusal.
    await page.getByRole('button', { name: 'Đồng bộ ngay' }).click();
    await page.locator('main [role="alert"]', { hasText: 'Dịch vụ nền của tác tử đã khởi động lại' }).waitFor();
    assert.equal(await page.locator('body', { hasText: 'Thiếu hoặc sai mã truy cập' }).count(), 0);
    await goTo(page, 'records');
    assert.equal(await notice.count(), 1, 'still said on another screen');
    await switchLanguage(page, 'en');
    await notice.filter({ hasText: 'The agent\'s background service has restarted, so this console address no longer works' }).waitFor();
    assert.match(await notice.innerText(), /gets on this computer with the command: edge-agent console$/);

    // The new address works.
    const fresh = await h.open();
    await fresh.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
    assert.equal(await fresh.locator('.access-notice').count(), 0);
  });
});

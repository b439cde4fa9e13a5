import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './support/browser.js';

/**
 * A connection nothing has checked yet (right after enrollment, before the
 * first health check) is not known to be offline: the header and the
 * Overview show it grey, "Chưa kiểm tra" / "Not checked yet", never red
 * "Mất kết nối" (docs/cli.md, `status`).
 */
describe('the window shows a connection never checked as not checked, in grey', { timeout: 300_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    h.agent.health = {
      state: 'unchecked',
      code: 'never_checked',
      latencyMs: null,
      at: null,
      reason: {
        vi: 'Chưa kiểm tra kết nối với nền tảng quốc gia. Máy tự kiểm tra khi đồng bộ; các thay đổi vẫn được lưu an toàn trên máy này.',
        en: 'The connection to the national platform has not been checked yet. The agent checks it by itself when it syncs; changes are kept safely on this computer.',
      },
    };
  });
  after(async () => {
    await h?.close();
  });

  for (const [language, word, offline] of [
    ['vi', 'Chưa kiểm tra', 'Mất kết nối'],
    ['en', 'Not checked yet', 'Offline'],
  ] as const) {
    test(`${language}: the header badge and the Overview panel are neutral and say "${word}"`, async () => {
      const page = await h.open(language);
      const header = page.locator('.header-status .badge', { hasText: word });
      await header.waitFor();
      assert.match((await header.getAttribute('class')) ?? '', /\bbadge-neutral\b/);
      const panel = page.locator('section.health-panel');
      await panel.locator('.badge', { hasText: word }).waitFor();
      assert.match((await panel.getAttribute('class')) ?? '', /\btone-neutral\b/);
      assert.equal(await panel.locator('.health-sentence').innerText(), h.agent.health.reason[language]);
      assert.equal(await page.locator('.badge', { hasText: offline }).count(), 0, `no "${offline}" anywhere`);
    });
  }
});

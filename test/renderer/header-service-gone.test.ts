import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from './support/browser.js';

/**
 * The window as a client of the background service: when the service stops
 * answering, the header does not keep showing the last state it sent
 * ("Trực tuyến") as if it were now; it says the state is not known now and
 * why. Once the service answers again, the header shows its state.
 */
describe('the header and the Overview say the connection is not known while the background service does not answer', { timeout: 300_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  for (const [language, online, notKnown, sentence] of [
    ['vi', 'Trực tuyến', 'Không rõ', 'Không biết tình trạng kết nối lúc này: Không kết nối được tới dịch vụ nền của tác tử trên máy này.'],
    ['en', 'Online', 'Not known', "The connection's state is not known now: Cannot reach the agent's background service on this machine."],
  ] as const) {
    test(`${language}: "${notKnown}" in grey with the reason, in the header and on the Overview, then the service's state again`, async () => {
      const page = await h.open(language);
      const badge = page.locator('.header-status .badge');
      await badge.filter({ hasText: online }).waitFor();
      try {
        // The engine's admin API client answers this when the service is gone (admin-api/client.ts).
        h.agent.statusRefusal = {
          code: 'unreachable',
          messages: { vi: 'Không kết nối được tới dịch vụ nền của tác tử trên máy này.', en: "Cannot reach the agent's background service on this machine." },
        };
        h.agent.emit('sync.finished', h.agent.runs[0]!);
        await badge.filter({ hasText: notKnown }).waitFor();
        assert.match((await badge.getAttribute('class')) ?? '', /\bbadge-neutral\b/);
        assert.equal(await page.locator('.header-status .header-reason').innerText(), sentence);
        assert.equal(await page.locator('.header-status', { hasText: online }).count(), 0, `no "${online}" in the header`);
        // The Overview's connection panel says the same, not the last state the service sent.
        const panel = page.locator('.health-panel');
        await panel.locator('.badge', { hasText: notKnown }).waitFor();
        assert.match((await panel.getAttribute('class')) ?? '', /\btone-neutral\b/);
        assert.equal(await panel.locator('.health-sentence').innerText(), sentence);
        assert.equal(await panel.locator('.badge', { hasText: online }).count(), 0, `no "${online}" on the Overview`);
      } finally {
        h.agent.statusRefusal = null;
      }
      h.agent.emit('sync.finished', h.agent.runs[0]!);
      await badge.filter({ hasText: online }).waitFor();
      await page.close();
    });
  }
});

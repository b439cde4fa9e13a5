import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EventName, EventPayload, SyncRunView } from '../../sync-engine/src/api/index.js';
import { goTo, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';

describe('syncs are announced to a screen reader (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  /** Whether an event told has reached the window: its event stream is open from then on. */
  let streamOpen = false;
  /**
   * Tells the window an event and waits until `shown` says it arrived. Until one has arrived the
   * window's event stream may still be opening, so that first event is told again every 200 ms; after
   * that, once only: a repeat still on its way when `shown` returned could reach the window after the
   * test moved on (say, after the language switch that must leave the region empty). The first event's
   * repeats are all on the stream before the next event told, so they arrive before it.
   */
  async function tell<E extends EventName>(event: E, payload: EventPayload<E>, shown: () => Promise<unknown>) {
    const timer = streamOpen ? null : setInterval(() => h.agent.emit(event, payload), 200);
    try {
      h.agent.emit(event, payload);
      await shown();
      streamOpen = true;
    } finally {
      if (timer) clearInterval(timer);
    }
  }

  test('one polite live region says when a sync starts and how it ended, in the window\'s language', async () => {
    const page = await h.open();
    const news = page.locator('#sync-news');
    assert.equal(await page.locator('[aria-live="polite"]#sync-news[role="status"]').count(), 1);
    const run: SyncRunView = {
      id: 900,
      trigger: 'schedule',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      status: 'running',
      pushed: 0,
      pulled: 0,
      conflicts: 0,
      rejected: 0,
      error: null,
    };
    const says = (text: string) => () => news.filter({ hasText: text }).waitFor({ state: 'attached' });

    await tell('sync.started', { runId: run.id, trigger: run.trigger }, says('Bắt đầu đồng bộ.'));
    await goTo(page, 'records');
    await tell('sync.finished', { ...run, finishedAt: new Date().toISOString(), status: 'ok', pulled: 1234, pushed: 3 }, says('Đồng bộ xong: nhận 1.234, gửi 3.'));
    assert.equal(await news.textContent(), 'Đồng bộ xong: nhận 1.234, gửi 3.');

    await switchLanguage(page, 'en');
    assert.equal(await news.textContent(), '', 'switching the language neither says it again nor leaves it in Vietnamese');
    await tell('sync.started', { runId: 901, trigger: 'manual' }, says('Sync started.'));
    await tell('sync.finished', { ...run, id: 901, status: 'conflicts', pulled: 12, pushed: 0, conflicts: 2 }, says('Sync finished: 12 received, 0 sent; conflicts to settle: 2.'));
    const error = { code: 'unreachable', messages: { vi: 'Không kết nối được tới nền tảng quốc gia.', en: 'The national platform cannot be reached.' } };
    await tell('sync.finished', { ...run, id: 902, status: 'failed', error }, says('Sync failed: The national platform cannot be reached.'));
    await switchLanguage(page, 'vi');
    await tell('sync.finished', { ...run, id: 903, status: 'failed', error }, says('Đồng bộ không thành công: Không kết nối được tới nền tảng quốc gia.'));
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, seriousViolations, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FAILED_IN_A_ROW, runsThatWentThrough } from './support/fake-activity.js';
import type { SyncRunView } from '../../sync-engine/src/api/index.js';

describe('Sync history after a night offline: grouped failures, older pages, a run opened to its details (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('failed runs in a row for the same reason are one row that says how many and since when, and opens to its error', async () => {
    const page = await h.open('vi');
    await goTo(page, 'history');
    assert.ok(h.agent.sent('syncRuns.list').every((input) => input.group === true), 'the screen asks for grouped rows');
    const night = page.locator('.history-table tbody tr', { hasText: `${FAILED_IN_A_ROW} lần liên tiếp` });
    await night.waitFor();
    assert.match(await night.innerText(), new RegExp(`Không thành công ${FAILED_IN_A_ROW} lần liên tiếp vì cùng lý do này, từ \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d đến`));

    const opener = night.locator('button.disclosure');
    assert.equal(await opener.getAttribute('aria-expanded'), 'false');
    await opener.click();
    assert.equal(await opener.getAttribute('aria-expanded'), 'true');
    const details = page.locator(`#${await opener.getAttribute('aria-controls')}`);
    await details.locator('text=Lỗi gặp phải').waitFor();
    const text = await details.innerText();
    assert.match(text, new RegExp(`Chi tiết của lần gần nhất trong ${FAILED_IN_A_ROW} lần\\.`));
    assert.match(text, /hết thời gian chờ sau 30 giây/);
    assert.match(text, /chưa đối chiếu bộ dữ liệu nào/);
    assert.deepEqual(await seriousViolations(page), []);
    await opener.click();
    assert.equal(await details.count(), 0, 'closed again');
  });

  test("a run with conflicts shows each dataset's comparison by its title and takes the person to Conflicts, in English too", async () => {
    const page = await h.open('en');
    await goTo(page, 'history');
    const run = h.agent.runs.find((r) => r.status === 'conflicts')!;
    const row = page.locator('.history-table tbody tr', { has: page.locator(`button[aria-controls="run-details-${run.id}"]`) });
    await row.locator('button.disclosure').click();
    const details = page.locator(`#run-details-${run.id}`);
    await details.locator('text=Compared with the national platform after the sync').waitFor();
    const text = await details.innerText();
    assert.match(text, /Civil status: birth registrations: Changes not yet settled \(records on this computer: 1,204, on the platform: 1,204\)/i);
    assert.match(text, /Does not match \(records on this computer: 310, on the platform: 311\)/);
    assert.match(text, /2 changes of this office were merged automatically/);
    assert.deepEqual(await seriousViolations(page), []);
    await details.getByRole('button', { name: 'Open Conflicts' }).click();
    await page.locator('nav [aria-current="page"][data-screen="conflicts"]').waitFor();
  });

  test('older runs come a page at a time, asked for below the oldest run shown, and the newest page refreshes without dropping them', async () => {
    const saved = h.agent.runs;
    const base = Date.parse('2026-11-20T08:00:00Z');
    h.agent.runs = runsThatWentThrough(120, base);
    try {
      const page = await h.open('vi');
      await goTo(page, 'history');
      const rows = page.locator('.history-table tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 50);
      await page.getByRole('button', { name: 'Xem các lần đồng bộ cũ hơn' }).click();
      await page.locator('.history-table tbody tr').nth(99).waitFor();
      assert.deepEqual(h.agent.sent('syncRuns.list').at(-1), { limit: 50, group: true, before: 71 });
      await page.getByRole('button', { name: 'Xem các lần đồng bộ cũ hơn' }).click();
      await page.locator('.history-table tbody tr').nth(119).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Xem các lần đồng bộ cũ hơn' }).count(), 0, 'nothing older');

      // A sync finishing refreshes the newest page; the older pages stay below it, each run once.
      const newest: SyncRunView = { ...h.agent.runs[0]!, id: 121, startedAt: new Date(base + 300_000).toISOString(), finishedAt: new Date(base + 302_000).toISOString() };
      h.agent.runs = [newest, ...h.agent.runs];
      h.agent.emit('sync.finished', newest);
      await page.locator('button[aria-controls="run-details-121"]').waitFor();
      assert.equal(await rows.count(), 121);
      const firstCells = await page.locator('.history-table tbody tr td:first-child').allInnerTexts();
      assert.equal(new Set(firstCells).size, 121);
    } finally {
      h.agent.runs = saved;
    }
  });
});

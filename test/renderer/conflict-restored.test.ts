import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { addConflictLike, openConflict, startConflictsHarness } from './support/conflicts.js';

// A conflict that arose from a restore of the national platform from an older backup (ConflictView `restored`):
// its National value may be OLDER than this office's. The list marks it, and its detail says so in a plain sentence,
// with the time the platform's data went back to, and heads the national column as the side after the restore.
describe('a conflict that arose from a platform restore (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('the list marks it, its detail says the platform was restored and its value may be older, in Vietnamese and English; an ordinary conflict says nothing of it', async () => {
    // Midday UTC: the same calendar day in any time zone.
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-restored-1', title: 'Đặng Thị Thu', restored: { headAt: '2026-11-03T12:00:00.000Z' } });
    addConflictLike(h.agent, 'c-fields-1', { id: 'c-restored-2', title: 'Hồ Văn Nam', restored: { headAt: null } });
    const page = await h.open();
    await goTo(page, 'conflicts');
    const rowOf = (title: string) => page.locator('.conflicts-table tbody tr', { hasText: title });
    await rowOf('Đặng Thị Thu').locator('.restored-badge', { hasText: 'Nền tảng đã khôi phục' }).waitFor();
    assert.equal(await rowOf('Nguyễn Thị Hương').locator('.restored-badge').count(), 0);

    await openConflict(page, 'Đặng Thị Thu');
    const notice = page.locator('.conflict-detail .restored-notice');
    const vi = (await notice.textContent()) ?? '';
    assert.match(vi, /^Nền tảng quốc gia đã được khôi phục từ bản sao lưu: dữ liệu trên nền tảng quay về như lúc 03\/11\/2026 \d\d:\d\d, và thay đổi đơn vị này gửi sau lúc đó đã bị mất trên nền tảng\. Vì vậy giá trị ở cột Quốc gia có thể cũ hơn giá trị của đơn vị này\./);
    const heading = page.locator('.conflict-table thead th').nth(3);
    assert.equal(await heading.textContent(), 'Quốc gia (sau khôi phục)');

    await switchLanguage(page, 'en');
    assert.match((await notice.textContent()) ?? '', /^The national platform was restored from a backup: its data went back to how it was at 03\/11\/2026 \d\d:\d\d, and the changes this office sent after that were lost there\. So the National value may be older than this office's\./);
    assert.equal(await heading.textContent(), 'National (after the restore)');
    await page.locator('.conflict-detail button', { hasText: 'Back' }).click();
    await rowOf('Hồ Văn Nam').locator('.restored-badge', { hasText: 'Platform restored' }).waitFor();
    await page.locator('.conflicts-table button', { hasText: 'Hồ Văn Nam' }).click();
    assert.match((await notice.textContent()) ?? '', /^The national platform was restored from an older backup, and the changes this office sent after the backup were lost there\./);
    await switchLanguage(page, 'vi');
    assert.match((await notice.textContent()) ?? '', /^Nền tảng quốc gia đã được khôi phục từ một bản sao lưu cũ hơn/);

    await page.locator('.conflict-detail button', { hasText: 'Quay lại' }).click();
    await openConflict(page, 'Nguyễn Thị Hương');
    assert.equal(await page.locator('.conflict-detail .restored-notice').count(), 0);
    assert.equal(await page.locator('.conflict-table thead th').nth(3).textContent(), 'Quốc gia');
  });
});

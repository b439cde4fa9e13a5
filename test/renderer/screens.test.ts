import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { goTo, hasHorizontalScroll, pageErrors, ROOT, SCREENS, seriousViolations, startHarness, switchLanguage, vietnameseLeft } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { eventually } from '../agent/support/fake-time.js';
import { OTHER_SYNCER } from './support/fake-data.js';

describe('the window screens (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('every screen renders at 1024×768 without horizontal scroll, in Vietnamese by default', async () => {
    const page = await h.open();
    // Fake-data screenshots stay out of docs/: the published ones come from test/e2e's real run.
    const shots = join(ROOT, '.tmp', 'screenshots', 'fake-agent');
    await mkdir(shots, { recursive: true });
    assert.equal(await page.locator('html').getAttribute('lang'), 'vi');
    for (const screen of SCREENS) {
      await goTo(page, screen);
      assert.equal(await hasHorizontalScroll(page), false, `${screen} scrolls sideways`);
      assert.ok(await page.locator('header').isVisible());
      assert.ok(await page.locator('nav').isVisible());
      await page.screenshot({ path: join(shots, `${screen}.png`) });
    }
    assert.deepEqual(pageErrors(page), [], 'no script errors and no CSP violations');
  });

  test('at 1024×768 no table breaks a word or a number inside it (a column title, a trigger, a count), in either language', async () => {
    const page = await h.open();
    for (const language of ['vi', 'en'] as const) {
      await switchLanguage(page, language);
      for (const screen of ['overview', 'outbox', 'conflicts', 'history'] as const) {
        await goTo(page, screen);
        await page.locator('main table tbody tr').first().waitFor();
        // A word wider than its cell's content box had to be broken inside (sent as source text: tsx would wrap a named function in a helper the page lacks).
        const broken = (await page.evaluate(`(() => {
          const ctx = document.createElement('canvas').getContext('2d');
          const out = [];
          for (const cell of document.querySelectorAll('main table.data-table th, main table.data-table td')) {
            const style = getComputedStyle(cell);
            // Not style.font: it is empty when a longhand (font-variant-numeric) has no shorthand form.
            ctx.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(' ');
            const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
            // The words shown: not those only a screen reader hears (.visually-hidden).
            const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
            let shown = '';
            for (let node = walker.nextNode(); node; node = walker.nextNode()) if (!node.parentElement.closest('.visually-hidden')) shown += ' ' + node.textContent;
            for (const word of shown.split(/\\s+/).filter(Boolean)) {
              if (word.length <= 24 && ctx.measureText(word).width > room + 0.5) out.push(word);
            }
          }
          return out;
        })()`)) as string[];
        assert.deepEqual([...new Set(broken)], [], `${language} ${screen}`);
      }
    }
    await switchLanguage(page, 'vi');
  });

  test('axe-core finds no serious or critical violation on any screen, in either language', async () => {
    const page = await h.open();
    for (const language of ['vi', 'en'] as const) {
      await switchLanguage(page, language);
      for (const screen of SCREENS) {
        await goTo(page, screen);
        assert.deepEqual(await seriousViolations(page), [], `${screen} (${language})`);
      }
    }
  });

  test('switching to English leaves no Vietnamese interface text on any screen, and back again', async () => {
    const page = await h.open();
    await switchLanguage(page, 'en');
    for (const screen of SCREENS) {
      await goTo(page, screen);
      assert.deepEqual(await vietnameseLeft(page), [], `Vietnamese left on ${screen}`);
      assert.equal(await hasHorizontalScroll(page), false, `${screen} scrolls sideways in English`);
    }
    assert.equal(h.agent.settings.language, 'en', 'the agent is told the chosen language');
    await switchLanguage(page, 'vi');
    assert.equal(await page.locator('nav button[data-screen="overview"]').innerText(), 'Tổng quan');
  });

  test('a language chosen while the agent is still saving it stays, and is not switched back to the one stored before', async () => {
    const page = await h.open();
    // The agent stores the choice only when the test lets it: until then it still holds the language chosen before.
    const release = h.agent.hold('settings.update');
    try {
      const asked = h.agent.sent('settings.get').length;
      const updates = h.agent.sent('settings.update').length;
      await switchLanguage(page, 'en');
      await eventually(() => h.agent.sent('settings.update').length > updates);
      assert.equal(h.agent.settings.language, 'vi', 'the agent is still saving the choice');
      assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
      release();
      // Once the agent has stored the choice, the window must still speak it.
      await eventually(() => h.agent.settings.language === 'en');
      assert.equal(await page.evaluate('document.documentElement.lang'), 'en');
      assert.equal(h.agent.sent('settings.get').length, asked, 'the window did not ask the agent for its language again');
    } finally {
      release();
      await switchLanguage(page, 'vi');
    }
  });

  test('the window is usable from the keyboard: skip link, real navigation buttons, visible focus', async () => {
    const page = await h.open();
    const focused = () => page.evaluate('[document.activeElement.tagName, document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]') as Promise<[string, string, string]>;
    await page.keyboard.press('Tab');
    assert.deepEqual((await focused()).slice(0, 2), ['A', 'Chuyển tới nội dung chính']);
    // Past the console's "Change name" and the two language buttons to the navigation.
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    const [tag, text, outline] = await focused();
    assert.equal(tag, 'BUTTON');
    assert.equal(text, 'Bản ghi');
    assert.notEqual(outline, 'none', 'keyboard focus is visible');
    await page.keyboard.press('Enter');
    await page.locator('main[data-screen="records"] h1').waitFor();
    // The screen's heading takes the focus, so a screen reader announces where the user is.
    await page.locator('main h1:focus').waitFor();
  });

  test('the console takes its token from the address fragment and hides it', async () => {
    const page = await h.open();
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(await page.evaluate("sessionStorage.getItem('edgeAgent.adminToken')"), h.server.token);
    await page.reload();
    await page.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
  });

  test('at 1024×768 the header\'s connection sentence is read whole, in either language, and the header does not overflow', async () => {
    const online = h.agent.health;
    const unstable: typeof online = {
      state: 'degraded',
      code: 'unstable',
      latencyMs: 180,
      at: null,
      reason: {
        vi: 'Kết nối chập chờn: 3 trong 10 lần kiểm tra gần đây không thành công. Việc đồng bộ vẫn tiếp tục và tự thử lại khi cần.',
        en: 'The connection is unstable: 3 of the last 10 checks failed. Sync continues and retries by itself when needed.',
      },
    };
    try {
      for (const health of [online, unstable]) {
        h.agent.health = health;
        for (const language of ['vi', 'en'] as const) {
          const page = await h.open(language);
          const reason = page.locator('.header-status .header-reason');
          await reason.filter({ hasText: health.reason[language] }).waitFor({ state: 'attached' });
          const seen = (await page.evaluate(`(() => {
            const header = document.querySelector('.app-header');
            const el = document.querySelector('.header-reason');
            const box = el.getBoundingClientRect();
            return {
              cut: el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
              shown: box.width > 0 && box.height > 0 && box.left >= 0 && box.right <= window.innerWidth,
              headerOverflows: header.scrollWidth > header.clientWidth + 1,
              pageScrollsSideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
            };
          })()`)) as Record<string, boolean>;
          assert.deepEqual(seen, { cut: false, shown: true, headerOverflows: false, pageScrollsSideways: false }, `${language} ${health.state}`);
          await page.close();
        }
      }
    } finally {
      h.agent.health = online;
    }
  });

  test('the header follows status events, also after the event stream was cut and reopened', async () => {
    const page = await h.open();
    await page.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
    const online = h.agent.health;
    try {
      h.agent.health = {
        state: 'offline',
        code: 'unreachable',
        latencyMs: null,
        at: null,
        reason: { vi: 'Không kết nối được tới nền tảng quốc gia: mạng không truy cập được.', en: 'Cannot reach the national platform: the network is unreachable.' },
      };
      h.agent.emit('status.changed', h.agent.status());
      await page.locator('.header-status .badge', { hasText: 'Mất kết nối' }).waitFor();
      await page.locator('.header-status', { hasText: 'mạng không truy cập được' }).waitFor();

      h.server.dropEventStreams();
      h.agent.health = online;
      // Keep telling until the reconnected stream hears it (the client backs off between attempts).
      const tell = setInterval(() => h.agent.emit('status.changed', h.agent.status()), 500);
      try {
        await page.locator('.header-status .badge', { hasText: 'Trực tuyến' }).waitFor();
      } finally {
        clearInterval(tell);
      }
    } finally {
      h.agent.health = online;
    }
  });

  test('the overview puts what needs attention first and leads to the screen that settles it', async () => {
    const page = await h.open();
    const items = page.locator('.attention-list li');
    await items.first().waitFor();
    const texts = await items.allInnerTexts();
    assert.match(texts.join('\n'), /xung đột cần người quyết định/);
    assert.match(texts.join('\n'), /bị nền tảng quốc gia từ chối/);
    assert.match(await page.locator('.latency-chart figcaption').innerText(), /trung vị \d+ ms/);
    assert.equal(await page.locator('.latency-chart svg polyline').count() > 0, true);
    await page.locator('.attention-list button', { hasText: 'Giải quyết xung đột' }).click();
    await page.locator('main[data-screen="conflicts"] h1').waitFor();
  });

  test('"sync now" pressed from the keyboard keeps the focus while the sync starts', async () => {
    const page = await h.open();
    const button = page.locator('.health-actions button', { hasText: 'Đồng bộ ngay' });
    const onButton = () => page.evaluate('document.activeElement.closest(".health-actions") !== null');
    await button.focus();
    const before = h.agent.sent('sync.now').length;
    // The agent answers only when the test lets it: the button is seen while the sync starts, and after.
    const release = h.agent.hold('sync.now');
    try {
      await page.keyboard.press('Enter');
      await eventually(() => h.agent.sent('sync.now').length === before + 1);
      assert.equal(await button.getAttribute('aria-disabled'), 'true', 'the button waits while the sync starts');
      assert.equal(await onButton(), true, 'the focus stays on the button while the sync starts');
    } finally {
      release();
    }
    await page.locator('.health-actions button[aria-disabled="true"]').waitFor({ state: 'detached' });
    assert.equal(await onButton(), true, 'the focus stayed on the button once it started');
  });

  test('the overview says which computer and process syncs the data folder when another program does, and "sync now" waits with that reason', async () => {
    h.agent.leaseHeldBy = OTHER_SYNCER;
    try {
      const page = await h.open();
      const sentence = page.locator('.health-panel #sync-elsewhere');
      await sentence.waitFor();
      assert.equal(
        await sentence.innerText(),
        'Một chương trình khác trên máy MAY-MOT-CUA-02 (tiến trình 7316) đang đồng bộ thư mục dữ liệu này; cửa sổ này chỉ xem và sửa bản ghi, không đồng bộ.',
      );
      const button = page.locator('.health-actions button', { hasText: 'Đồng bộ ngay' });
      assert.equal(await button.isDisabled(), true);
      assert.equal(await button.getAttribute('aria-describedby'), 'sync-elsewhere', 'the button says why it waits');
      assert.match(await page.locator('.facts').innerText(), /Lần đồng bộ tiếp theo\s+do chương trình khác đảm nhận/);
      assert.deepEqual(await seriousViolations(page), []);
      await switchLanguage(page, 'en');
      assert.match(await sentence.innerText(), /^Another program on computer MAY-MOT-CUA-02 \(process 7316\) is syncing this data folder/);
      await switchLanguage(page, 'vi');

      h.agent.leaseHeldBy = null;
      // Keep telling until the page's event stream hears it.
      const tell = setInterval(() => h.agent.emit('status.changed', h.agent.status()), 300);
      try {
        await sentence.waitFor({ state: 'detached' });
      } finally {
        clearInterval(tell);
      }
      assert.equal(await button.isDisabled(), false);
    } finally {
      h.agent.leaseHeldBy = null;
    }
  });

  test('sync history lists each run with its trigger, counts, error sentence, the changes sent again after the platform lost them and the records a resync removed', async () => {
    const page = await h.open();
    await goTo(page, 'history');
    const rows = page.locator('.history-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), h.agent.runs.length);
    const all = (await rows.allInnerTexts()).join('\n');
    assert.match(all, /Theo lịch/);
    assert.match(all, /hết thời gian chờ sau 30 giây/);
    assert.match(all, /2 thay đổi của đơn vị này mà nền tảng quốc gia đã mất \(nền tảng được khôi phục từ bản sao lưu cũ hơn\) đã được gửi lại\./);
    assert.match(all, /1\.200 bản ghi mà nền tảng quốc gia không còn giữ cho đơn vị này \(đã bị xóa ở đó, hoặc đã ra ngoài phạm vi của đơn vị\) đã được xóa khỏi máy này khi nhận lại toàn bộ dữ liệu\./);
  });

  test('settings preview the schedule in plain words, enroll with a token, and show the restore command', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    const schedule = page.getByLabel('Lịch đồng bộ (biểu thức cron)');
    await schedule.fill('0 2 * * 1-5');
    await page.locator('#set-schedule-preview', { hasText: '02:00' }).waitFor();
    assert.match(await page.locator('#set-schedule-preview').innerText(), /Thứ 2/);
    await schedule.fill('not a cron');
    await page.locator('#set-schedule-preview', { hasText: 'không hợp lệ' }).waitFor();
    await schedule.fill('*/30 * * * *');
    await page.locator('button', { hasText: 'Lưu cài đặt' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã lưu cài đặt' }).waitFor();
    assert.equal(h.agent.settings.schedule, '*/30 * * * *');

    await page.getByLabel('Mã đăng ký').fill('one-time-token-0123456789');
    await page.locator('button', { hasText: /^Đăng ký$/ }).click();
    await page.locator('[role="status"]', { hasText: 'Đăng ký thành công' }).waitFor();
    assert.equal(h.agent.sent('enrollment.enroll').at(-1)?.token, 'one-time-token-0123456789');

    await page.locator('button', { hasText: 'Khôi phục từ bản sao lưu' }).click();
    await page.locator('code', { hasText: 'edge-agent restore TỆP' }).waitFor();
    assert.match(await page.locator('#command-restore').innerText(), /phải dừng dịch vụ nền của tác tử trước/);
    assert.equal(await page.locator('code', { hasText: /edge-agent (backup|diagnostics)/ }).count(), 0, 'backup and diagnostics are buttons, not commands');
  });

  test('moving to another screen with a setting typed and not saved asks first; a saved one does not', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    const proxy = page.getByLabel('Máy chủ proxy');
    await proxy.fill('http://proxy.donvi.gov.vn:8080');
    await page.locator('nav button[data-screen="overview"]').click();
    const dialog = page.locator('dialog[open]', { hasText: 'Bỏ những gì đang nhập?' });
    await dialog.locator('button', { hasText: 'Ở lại nhập tiếp' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await proxy.inputValue(), 'http://proxy.donvi.gov.vn:8080', 'what was typed stays');
    await proxy.fill(h.agent.settings.proxy ?? '');
    await page.locator('nav button[data-screen="overview"]').click();
    await page.locator('main[data-screen="overview"] h1').waitFor();
    assert.equal(await page.locator('dialog[open]').count(), 0, 'back as saved: nothing to lose');
  });

  test('settings make a backup and a diagnostics bundle with one click each, showing where, how large and when, or why not', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    // The agent answers a held command only when the test lets it: the window is seen while the file is being made.
    let release = h.agent.hold('backup.create');
    try {
      const backup = page.locator('button', { hasText: 'Sao lưu ngay' });
      await backup.click();
      await page.locator('#backup-outcome', { hasText: 'Đang sao lưu' }).waitFor();
      assert.equal(await backup.getAttribute('aria-disabled'), 'true', 'one click, one backup');
      release();
      const made = page.locator('#backup-outcome .notice-ok');
      await made.waitFor();
      assert.equal(await backup.getAttribute('aria-disabled'), null);
      const text = await made.innerText();
      assert.match(text, /^Đã sao lưu vào C:\\ProgramData\\ndxp-edge-agent\\backups\\manual-\d{8}T\d{6}Z\.tar\.gz/);
      assert.match(text, /\d{1,3}(\.\d{3})+ bản ghi, 4,6 MB, lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\./);
      assert.equal(await page.evaluate("getComputedStyle(document.querySelector('#backup-outcome code.saved-path')).userSelect"), 'all', 'one click selects the whole path');
      assert.deepEqual(h.agent.sent('backup.create').at(-1), {}, 'the window sends no path');

      release = h.agent.hold('diagnostics.export');
      await page.locator('button', { hasText: 'Xuất gói chẩn đoán' }).click();
      await page.locator('#diagnostics-outcome', { hasText: 'Đang tạo gói chẩn đoán' }).waitFor();
      release();
      const bundle = page.locator('#diagnostics-outcome .notice-ok');
      await bundle.waitFor();
      assert.match(await bundle.innerText(), /^Đã xuất gói chẩn đoán vào C:.*diagnostics-\d{8}T\d{6}Z\.json\s+179 kB, lúc/);

      await switchLanguage(page, 'en');
      await goTo(page, 'settings');
      await page.locator('button', { hasText: 'Back up now' }).click();
      await page.locator('#backup-outcome .notice-ok', { hasText: /Backed up to .*\d{1,3}(,\d{3})+ records, 4\.6 MB, at/ }).waitFor();

      h.agent.maintenanceFailure = {
        code: 'internal',
        messages: {
          vi: 'Ổ đĩa của máy đã đầy nên không ghi được bản sao lưu vào C:\\ProgramData\\ndxp-edge-agent\\backups.',
          en: "The computer's disk is full, so the backup could not be written to C:\\ProgramData\\ndxp-edge-agent\\backups.",
        },
      };
      await page.locator('button', { hasText: 'Back up now' }).click();
      await page.locator('.file-action [role="alert"]', { hasText: "The computer's disk is full" }).waitFor();
      assert.equal(await page.locator('#backup-outcome .notice-ok').count(), 0, 'the earlier result is not shown as if it were this one');
      await switchLanguage(page, 'vi');
      await goTo(page, 'settings');
      await page.locator('button', { hasText: 'Xuất gói chẩn đoán' }).click();
      await page.locator('.file-action [role="alert"]', { hasText: 'Ổ đĩa của máy đã đầy' }).waitFor();
      assert.equal(await page.locator('button', { hasText: 'Xuất gói chẩn đoán' }).getAttribute('aria-disabled'), null, 'it can be tried again');
      assert.deepEqual(pageErrors(page), []);
    } finally {
      release();
      h.agent.maintenanceFailure = null;
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { goTo, pageErrors, startHarness, switchLanguage } from './support/browser.js';
import type { Harness } from './support/browser.js';

describe('the settings forms check the platform address and the token before sending', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  test('a plain-http address to another machine is explained beside the field and not sent; a loopback one is saved', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    const sent = h.agent.sent('settings.update').length;
    const address = page.locator('#set-platform');
    await address.fill('http://ndxp.example.gov.vn');
    await page.locator('button', { hasText: 'Lưu cài đặt' }).click();
    const error = page.locator('#set-platform-error');
    await error.waitFor();
    assert.match(await error.innerText(), /http:\/\/ không mã hóa chỉ được dùng khi nền tảng chạy ngay trên máy này/);
    assert.equal(await address.getAttribute('aria-invalid'), 'true');
    assert.equal(await address.getAttribute('aria-describedby'), 'set-platform-error');
    assert.equal(h.agent.sent('settings.update').length, sent, 'nothing was sent to the agent');

    await address.fill('not an address');
    await page.locator('#set-platform-error', { hasText: 'Địa chỉ chưa đầy đủ' }).waitFor();
    await switchLanguage(page, 'en');
    await page.locator('#set-platform-error', { hasText: 'The address is incomplete' }).waitFor();
    await switchLanguage(page, 'vi');

    await address.fill('http://127.0.0.1:8080');
    assert.equal(await page.locator('#set-platform-error').count(), 0);
    await page.locator('button', { hasText: 'Lưu cài đặt' }).click();
    await page.locator('[role="status"]', { hasText: 'Đã lưu cài đặt' }).waitFor();
    assert.equal(h.agent.settings.platformUrl, 'http://127.0.0.1:8080');
    assert.deepEqual(pageErrors(page), []);
  });

  test('enrollment with a short token or a plain-http address shows each problem beside its field and sends nothing', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    const sent = h.agent.sent('enrollment.enroll').length;
    await page.getByLabel('Mã đăng ký').fill('short');
    await page.locator('#enroll-platform').fill('http://127.0.0.1.example.gov.vn');
    await page.locator('button', { hasText: /^Đăng ký$/ }).click();
    await page.locator('#enroll-token-error', { hasText: 'Mã đăng ký cần ít nhất 16 ký tự' }).waitFor();
    await page.locator('#enroll-platform-error', { hasText: 'http:// không mã hóa' }).waitFor();
    assert.equal(await page.getByLabel('Mã đăng ký').getAttribute('aria-invalid'), 'true');
    assert.equal(h.agent.sent('enrollment.enroll').length, sent, 'nothing was sent to the agent');

    await page.getByLabel('Mã đăng ký').fill('one-time-token-0123456789');
    await page.locator('#enroll-platform').fill('https://ndxp.example.gov.vn');
    assert.equal(await page.locator('.enroll-form .field-errors').count(), 0);
    await page.locator('button', { hasText: /^Đăng ký$/ }).click();
    await page.locator('[role="status"]', { hasText: /Đăng ký thành công|Đã gửi yêu cầu đăng ký/ }).waitFor();
    assert.deepEqual(h.agent.sent('enrollment.enroll').at(-1), { token: 'one-time-token-0123456789', platformUrl: 'https://ndxp.example.gov.vn' });
  });

  test('a form sent from the keyboard with a problem puts the focus on the first field in error, which carries its message, so a screen reader says it', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    /** The focused element's id, whether it is marked invalid, and the text of what describes it. */
    const focused = () =>
      page.evaluate(`(() => {
        const el = document.activeElement;
        const described = (el.getAttribute('aria-describedby') || '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent ?? '');
        return { id: el.id, invalid: el.getAttribute('aria-invalid'), described: described.join(' ') };
      })()`) as Promise<{ id: string; invalid: string | null; described: string }>;
    const press = async (name: RegExp) => {
      await page.locator('button', { hasText: name }).focus();
      await page.keyboard.press('Enter');
    };

    await page.locator('#set-platform').fill('http://ndxp.example.gov.vn');
    await press(/^Lưu cài đặt$/);
    const settings = await focused();
    assert.equal(settings.id, 'set-platform');
    assert.equal(settings.invalid, 'true');
    assert.match(settings.described, /http:\/\/ không mã hóa/);
    await page.locator('#set-platform').fill(h.agent.settings.platformUrl ?? '');

    await page.getByLabel('Mã đăng ký').fill('short');
    await page.locator('#enroll-platform').fill('http://ndxp.example.gov.vn');
    await press(/^Đăng ký$/);
    const token = await focused();
    assert.equal(token.id, 'enroll-token', 'the first of the two fields in error');
    assert.equal(token.invalid, 'true');
    assert.match(token.described, /Mã đăng ký cần ít nhất 16 ký tự/);

    await switchLanguage(page, 'en');
    await page.getByLabel('Enrollment token').fill('one-time-token-0123456789');
    await press(/^Enroll$/);
    const address = await focused();
    assert.equal(address.id, 'enroll-platform');
    assert.equal(address.invalid, 'true');
    assert.match(address.described, /Unencrypted http:\/\//);
    await switchLanguage(page, 'vi');
  });

  test('a problem found as a field is left, or on Enter in it, is announced at once (an alert), in either language', async () => {
    const page = await h.open();
    await goTo(page, 'settings');
    const address = page.locator('#set-platform');
    await address.fill('http://ndxp.example.gov.vn');
    await address.press('Tab');
    await page.locator('#set-platform-error[role="alert"]', { hasText: 'http:// không mã hóa' }).waitFor();
    assert.equal(await page.evaluate('document.activeElement.id'), 'set-schedule', 'said while the person is on the next field');
    await address.fill(h.agent.settings.platformUrl ?? '');

    await switchLanguage(page, 'en');
    const token = page.getByLabel('Enrollment token');
    await token.fill('short');
    await token.press('Enter');
    await page.locator('#enroll-token-error[role="alert"]', { hasText: 'at least 16 characters' }).waitFor();
    assert.equal(await page.evaluate('document.activeElement.id'), 'enroll-token', 'Enter in the field: the focus stays, so only the alert says it');
    await token.fill('one-time-token-0123456789');
    await page.locator('#enroll-platform').fill('http://ndxp.example.gov.vn');
    await page.locator('#enroll-platform').press('Tab');
    await page.locator('#enroll-platform-error[role="alert"]', { hasText: 'Unencrypted http://' }).waitFor();
    await switchLanguage(page, 'vi');
  });
});

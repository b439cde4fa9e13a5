import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { eventually } from '../agent/support/fake-time.js';
import { goTo, seriousViolations, startHarness } from './support/browser.js';
import type { Harness } from './support/browser.js';
import { FakeAgent } from './support/fake-agent.js';
import { BIRTHS } from './support/fake-data.js';

describe('a personal ID number another record on this computer holds, told at the field (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ agent: new FakeAgent(2_000) });
  });
  after(async () => {
    await h?.close();
  });

  const personalId = (page: Page) => page.locator(`#rf-${BIRTHS}-personalId`);
  const note = (page: Page) => page.locator('.held-elsewhere');

  test("a new birth given the personal ID number of a birth already here says which record holds it, opens it after asking about what was typed; another number, or the record's own, says nothing", async () => {
    const page = await h.open('vi');
    const held = h.agent.records.get(BIRTHS)![7]!;
    const id = String(held.data!.personalId);
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'Thêm bản ghi' }).click();
    await page.locator('.record-form').waitFor();

    // Typed as on a card, in groups: read as its 12 digits, then looked for.
    await personalId(page).fill(`${id.slice(0, 3)} ${id.slice(3, 6)} ${id.slice(6)}`);
    await personalId(page).press('Tab');
    await note(page).waitFor();
    assert.equal(
      await note(page).locator('p').innerText(),
      `Số định danh cá nhân này đã có trong bản ghi “${String(held.data!.fullName)}” trên máy này: có thể một người đã được nhập hai lần.`,
    );
    assert.match((await personalId(page).getAttribute('aria-describedby')) ?? '', /personalId-note/, 'the input is described by the note');
    assert.deepEqual(await seriousViolations(page), []);

    // Another number: the note goes.
    await personalId(page).fill('001301099991');
    await personalId(page).press('Tab');
    await note(page).waitFor({ state: 'detached' });

    // Back to the held one; "Mở bản ghi đó" asks first about what was typed, then opens that record.
    await personalId(page).fill(id);
    await personalId(page).press('Tab');
    await note(page).locator('button', { hasText: 'Mở bản ghi đó' }).click();
    const leave = page.getByRole('dialog', { name: 'Bỏ những gì đang nhập?' });
    await leave.waitFor();
    await leave.locator('button', { hasText: 'Bỏ và rời đi' }).click();
    await page.locator('#record-form-title', { hasText: 'Sửa bản ghi' }).waitFor();
    assert.equal(await personalId(page).inputValue(), id);
    assert.equal(await page.locator(`#rf-${BIRTHS}-fullName`).inputValue(), String(held.data!.fullName));
    // Its own number is no other record's.
    const lookups = h.agent.sent('records.list').length;
    await personalId(page).focus();
    await personalId(page).press('Tab');
    await eventually(() => h.agent.sent('records.list').length > lookups);
    // Two frames after the answer: time enough for a note to be drawn.
    await page.evaluate('new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))');
    assert.equal(await note(page).count(), 0, 'a record does not hold its value "elsewhere"');
    await page.close();
  });

  test('in English', async () => {
    const page = await h.open('en');
    const held = h.agent.records.get(BIRTHS)![9]!;
    await goTo(page, 'records');
    await page.locator('button', { hasText: 'New record' }).click();
    await page.locator('.record-form').waitFor();
    await personalId(page).fill(String(held.data!.personalId));
    await personalId(page).press('Tab');
    await note(page).waitFor();
    assert.equal(
      await note(page).locator('p').innerText(),
      `Personal ID number: the record “${String(held.data!.fullName)}” on this computer already has this one. The same person may have been entered twice.`,
    );
    assert.equal(await note(page).locator('button').innerText(), 'Open that record');
    await page.close();
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, SCREENS, seriousViolations, startHarness, switchLanguage } from './support/browser.js';
import type { Harness, ScreenName } from './support/browser.js';
import { addConflictLike, openConflict } from './support/conflicts.js';
import { FakeAgent } from './support/fake-agent.js';

/** A 1366×768 laptop with Windows display scaling at 125% and at 150%, in CSS pixels. */
const SMALL_SCREENS = [
  { width: 1093, height: 614 },
  { width: 911, height: 512 },
] as const;

/** A conflict on many fields: each of the template's four fields three times over. */
const MANY_FIELDS = 'Nhiều trường xung đột';

/**
 * What a person cannot reach or read on the page as it is: the page or a table
 * scrolling sideways, a control or a table cell past the window's right edge.
 * Sent as source text: tsx would wrap a named function in a helper the page lacks.
 */
const OUT_OF_REACH = `(() => {
  const found = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) found.push('the page scrolls sideways (' + document.documentElement.scrollWidth + ' > ' + width + ')');
  for (const wrap of document.querySelectorAll('.table-wrap')) {
    if (wrap.scrollWidth > wrap.clientWidth + 1) found.push('a table scrolls sideways: ' + wrap.querySelector('table').className + ' (' + wrap.scrollWidth + ' > ' + wrap.clientWidth + ')');
  }
  for (const el of document.querySelectorAll('main button, main input, main select, main textarea, main th, main td, header button, nav button')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) found.push(el.tagName.toLowerCase() + ' "' + (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40) + '" ends at ' + Math.round(box.right) + ' px');
  }
  return [...new Set(found)];
})()`;

describe('the window on a small screen: a 1366×768 laptop at 125% and 150% scaling (built renderer against the fake admin API)', { timeout: 900_000 }, () => {
  let h: Harness;
  before(async () => {
    const agent = new FakeAgent(2_000);
    h = await startHarness({ agent });
    const template = agent.conflicts.find((c) => c.id === 'c-fields-1')!;
    const fields = [1, 2, 3].flatMap((n) => template.fields.map((f) => ({ ...structuredClone(f), field: `${f.field}${n}` })));
    addConflictLike(agent, 'c-fields-1', { id: 'c-many-fields', title: MANY_FIELDS, fields });
  });
  after(async () => {
    await h?.close();
  });

  /** The screen as the person works in it: the record form open on Records, a many-field conflict open on Conflicts. */
  async function show(page: Page, screen: ScreenName): Promise<void> {
    if (screen === 'conflicts') {
      await openConflict(page, MANY_FIELDS);
      return;
    }
    await goTo(page, screen);
    if (screen === 'records') {
      await page.locator('main button.primary', { hasText: /^(Thêm bản ghi|New record)$/ }).click();
      await page.locator('form.record-form').waitFor();
    }
  }

  test('the records search\'s example (accents or none) is read whole at 1024×768 and on the small screens, in either language', async () => {
    const page = await h.open();
    const cut: string[] = [];
    for (const size of [{ width: 1024, height: 768 }, ...SMALL_SCREENS]) {
      await page.setViewportSize(size);
      for (const language of ['vi', 'en'] as const) {
        await switchLanguage(page, language);
        await goTo(page, 'records');
        // The placeholder's width in the input's font against the room inside the input (sent as source text, as above).
        const [needed, room, text] = (await page.evaluate(`(() => {
          const input = document.querySelector('main input[type="search"]');
          const style = getComputedStyle(input);
          const ctx = document.createElement('canvas').getContext('2d');
          ctx.font = [style.fontStyle, style.fontWeight, style.fontSize, style.fontFamily].join(' ');
          return [ctx.measureText(input.placeholder).width, input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight), input.placeholder];
        })()`)) as [number, number, string];
        if (needed > room + 0.5) cut.push(`${size.width}×${size.height} ${language}: "${text}" needs ${Math.round(needed)} px, has ${Math.round(room)}`);
      }
    }
    await switchLanguage(page, 'vi');
    assert.deepEqual(cut, []);
  });

  for (const size of SMALL_SCREENS) {
    test(`at ${size.width}×${size.height} every screen fits the window and passes axe, in either language: nothing scrolls sideways or lies past the right edge`, async () => {
      const page = await h.open();
      await page.setViewportSize(size);
      const problems: string[] = [];
      for (const language of ['vi', 'en'] as const) {
        await switchLanguage(page, language);
        for (const screen of SCREENS) {
          await show(page, screen);
          for (const problem of (await page.evaluate(OUT_OF_REACH)) as string[]) problems.push(`${language} ${screen}: ${problem}`);
          for (const violation of await seriousViolations(page)) problems.push(`${language} ${screen}: ${violation}`);
          if (screen === 'records') {
            // The form's Save is reached by scrolling the page, and then seen whole.
            const save = page.locator('form.record-form button[type="submit"]');
            await save.scrollIntoViewIfNeeded();
            const box = (await save.boundingBox())!;
            if (box.y < 0 || box.y + box.height > size.height || box.x + box.width > size.width) problems.push(`${language} records: Save is out of view after scrolling to it`);
          }
        }
      }
      await switchLanguage(page, 'vi');
      assert.deepEqual(problems, []);
    });
  }
});

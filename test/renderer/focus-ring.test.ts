import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { goTo, SCREENS } from './support/browser.js';
import type { Harness, ScreenName } from './support/browser.js';
import { openConflict, startConflictsHarness } from './support/conflicts.js';

/**
 * The focused element's ring and what lies around it: the ring's colour and
 * width, and the background just outside it (the first painted background
 * under a point beside the element, the element itself left out). Sent as
 * source text: tsx would wrap a named function in a helper the page lacks.
 */
const RING = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const name = (el.getAttribute('aria-label') || el.textContent || el.id || el.tagName).trim().slice(0, 40);
  // The ring is the element's own outline, or, where a list draws it on the row around the element, that row's.
  let bearer = el;
  for (let up = 0; up < 3 && bearer.parentElement && getComputedStyle(bearer).outlineStyle === 'none'; up++) bearer = bearer.parentElement;
  if (getComputedStyle(bearer).outlineStyle === 'none') bearer = el;
  const style = getComputedStyle(bearer);
  const box = bearer.getBoundingClientRect();
  const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth);
  const ring = { left: box.left - reach, right: box.right + reach, top: box.top - reach, bottom: box.bottom + reach };
  // Cut off by a box that clips what overflows it (the page itself aside: its edge is the window's).
  let clippedBy = null;
  for (let node = bearer.parentElement; node && node !== document.body; node = node.parentElement) {
    const clip = getComputedStyle(node);
    if (clip.overflowX === 'visible' && clip.overflowY === 'visible') continue;
    const edge = node.getBoundingClientRect();
    if (ring.left < edge.left - 0.5 || ring.right > edge.right + 0.5 || ring.top < edge.top - 0.5 || ring.bottom > edge.bottom + 0.5) {
      clippedBy = node.tagName.toLowerCase() + '.' + node.className;
      break;
    }
  }
  // What lies around the ring: the first painted background under a point beside it.
  const half = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
  const y = Math.min(Math.max(box.top + box.height / 2, 0), innerHeight - 1);
  const x = box.left - half >= 0 ? box.left - half : Math.min(box.right + half, innerWidth - 1);
  let behind = null;
  search: for (const under of document.elementsFromPoint(x, y)) {
    if (under === bearer || bearer.contains(under)) continue;
    for (let node = under; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor;
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') {
        behind = colour;
        break search;
      }
    }
  }
  behind ??= getComputedStyle(document.documentElement).backgroundColor;
  return { name, style: style.outlineStyle, width: parseFloat(style.outlineWidth), ring: style.outlineColor, behind, clippedBy, skip: el.classList.contains('skip-link') };
})()`;

interface Ring {
  name: string;
  style: string;
  width: number;
  ring: string;
  behind: string;
  clippedBy: string | null;
  skip: boolean;
}

/** WCAG's contrast ratio of two rgb() colours. */
function contrast(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = colour.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('the keyboard focus ring (built renderer against the fake admin API)', { timeout: 600_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startConflictsHarness();
  });
  after(async () => {
    await h?.close();
  });

  /** Each screen as worked in: Records with its list, then with the form open; a conflict open on Conflicts. */
  const VIEWS = [...SCREENS.map((screen) => ({ screen, form: false })), { screen: 'records' as const, form: true }];
  async function show(page: Page, { screen, form }: { screen: ScreenName; form: boolean }): Promise<void> {
    if (screen === 'conflicts') return openConflict(page, 'Nguyễn Thị Hương');
    await goTo(page, screen);
    if (form) {
      await page.locator('main button.primary', { hasText: 'Thêm bản ghi' }).click();
      await page.locator('form.record-form').waitFor();
    }
  }

  test('on every screen, each control reached with Tab shows a whole ring of at least 2 px, not cut off, that stands out 3:1 from what is around it (WCAG 1.4.11)', async () => {
    const page = await h.open();
    const faint: string[] = [];
    const seen = new Set<string>();
    for (const view of VIEWS) {
      const screen = view.form ? 'record form' : view.screen;
      await show(page, view);
      const check = async (): Promise<Ring | null> => {
        const ring = (await page.evaluate(RING)) as Ring | null;
        if (!ring) return null;
        seen.add(ring.name);
        const ratio = contrast(ring.ring, ring.behind);
        if (ring.style === 'none' || ring.width < 2 || ratio < 3) faint.push(`${screen}: "${ring.name}" ${ring.style} ${ring.width}px ${ring.ring} on ${ring.behind} (${ratio.toFixed(2)}:1)`);
        if (ring.clippedBy) faint.push(`${screen}: "${ring.name}"'s ring is cut off by ${ring.clippedBy}`);
        return ring;
      };
      // Back from the screen's heading through the navigation and the header to the skip link...
      const heading = 'document.querySelector("main h1").focus()';
      await page.evaluate(heading);
      for (let stop = 0; stop < 30; stop++) {
        await page.keyboard.press('Shift+Tab');
        if ((await check())?.skip) break;
      }
      // ...then on from the heading through the screen (a long list: as far as 60 stops), until the window's end.
      await page.evaluate(heading);
      for (let stop = 0; stop < 60; stop++) {
        await page.keyboard.press('Tab');
        const ring = await check();
        if (!ring || ring.skip) break;
      }
    }
    assert.deepEqual([...new Set(faint)], []);
    for (const name of ['Chuyển tới nội dung chính', 'Đổi tên', 'English', 'Cài đặt', 'Đồng bộ ngay', 'Lưu', 'Ghi nhận quyết định']) assert.ok(seen.has(name), `${name} was reached and checked`);
  });
});

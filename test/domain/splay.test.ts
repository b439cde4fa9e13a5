import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SPLAY_MAX_MS, splayDelay, splayFraction, splayWindow } from '../../sync-engine/src/domain/index.js';
import { uuidv7 } from '../../sync-engine/src/protocol/uuid.js';

const FIVE_MINUTES = 300_000;

/** A fleet's agent ids as the platform hands them out (UUIDv7), all in the same second, with seeded random bits. */
function fleetIds(count: number): string[] {
  let state = 20260115;
  const bytes = () => Buffer.from(Array.from({ length: 10 }, () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) >>> 24)));
  const at = Date.UTC(2026, 0, 15, 8, 0, 0);
  return Array.from({ length: count }, (_, i) => uuidv7(at + (i % 1000), bytes()));
}

test('two agents with different ids get different offsets, each the same every time it is asked', () => {
  const [a, b] = fleetIds(2) as [string, string];
  assert.notEqual(splayDelay(splayFraction(a), FIVE_MINUTES), splayDelay(splayFraction(b), FIVE_MINUTES));
  assert.equal(splayFraction(a), splayFraction(a));
  // The same id gives the same offset in another process, after a restart or an upgrade: pinned values.
  assert.equal(splayFraction(''), 0.6689221884589642);
  assert.equal(splayDelay(splayFraction('0194a3f2-7c00-7000-8000-000000000001'), FIVE_MINUTES), 75_089);
});

test('the window is 4 min 59 s at most, and ends 1 s or more before the next tick', () => {
  assert.equal(SPLAY_MAX_MS, 299_000);
  assert.equal(splayWindow(FIVE_MINUTES), 299_000);
  assert.equal(splayWindow(FIVE_MINUTES - 7), 299_000, 'a tick fired a few ms late keeps its window');
  assert.equal(splayWindow(3_600_000), 299_000, 'an hourly schedule: still at most 4 min 59 s');
  assert.equal(splayWindow(60_000), 59_000, 'every minute: 59 s');
  assert.equal(splayWindow(null), 299_000);
  assert.equal(splayWindow(0), 0);
  for (const gap of [60_000, 120_000, FIVE_MINUTES, 86_400_000]) {
    for (const fraction of [0, 0.5, 1 - Number.EPSILON, 1, 7, -1, Number.NaN]) {
      const delay = splayDelay(fraction, gap);
      assert.ok(delay >= 0 && delay < Math.min(SPLAY_MAX_MS, gap - 1_000) + 1 && delay <= gap - 1_000, `gap ${gap}, fraction ${fraction}: ${delay}`);
    }
  }
});

test('3,321 communes on the default schedule spread over the whole window instead of starting in the same second', () => {
  const offsets = fleetIds(3_321).map((id) => splayDelay(splayFraction(id), FIVE_MINUTES));
  const perSecond = new Map<number, number>();
  for (const offset of offsets) perSecond.set(Math.floor(offset / 1000), (perSecond.get(Math.floor(offset / 1000)) ?? 0) + 1);
  // 3,321 over 299 seconds is 11 a second on average.
  assert.ok(perSecond.size >= 290, `${perSecond.size} of 299 seconds hold a start`);
  const busiest = Math.max(...perSecond.values());
  assert.ok(busiest <= 30, `at most ${busiest} agents start in the same second, not 3,321`);
  const perMinute = [0, 1, 2, 3, 4].map((m) => offsets.filter((o) => Math.floor(o / 60_000) === m).length);
  for (const n of perMinute.slice(0, 4)) assert.ok(n > 550 && n < 780, `a minute of the window holds ${perMinute.join(', ')}`);
});

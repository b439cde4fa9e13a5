import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_BACKOFF,
  RETRY_AFTER_CEILING_MS,
  backoffCeiling,
  backoffDelay,
  equalJitterDelay,
  nextRetryDelay,
  parseRetryAfter,
} from '../../sync-engine/src/domain/index.js';

const almostOne = () => 1 - Number.EPSILON;
const half = () => 0.5;
const now = new Date('2025-07-01T08:00:00.000Z');

/** A seeded linear congruential generator: the same seed gives the same sequence. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

test('attempt 0 waits up to the base delay', () => {
  assert.equal(DEFAULT_BACKOFF.baseMs, 2000);
  assert.equal(backoffDelay(0, () => 0), 0);
  assert.equal(backoffDelay(0, half), 1000);
  assert.ok(backoffDelay(0, almostOne) < 2000);
  assert.ok(backoffDelay(0, almostOne) >= 1999);
});

test('the ceiling doubles with each attempt until it reaches the cap', () => {
  const ceilings = Array.from({ length: 12 }, (_, attempt) => backoffCeiling(attempt));
  assert.deepEqual(ceilings, [2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 512000, 1024000, 1800000, 1800000]);
  assert.equal(backoffDelay(3, half), 8000);
});

test('no delay is ever above the cap, however many attempts or whatever the random source returns', () => {
  const policy = { baseMs: 1000, capMs: 60000 };
  for (const attempt of [0, 1, 5, 6, 7, 50, 1024, 1e9, Infinity]) {
    for (const r of [0, 0.3, almostOne(), 1, 7, -1, Number.NaN]) {
      const delay = backoffDelay(attempt, () => r, policy);
      assert.ok(delay >= 0 && delay < policy.capMs, `attempt ${attempt}, random ${r}: ${delay}`);
    }
  }
});

test('equal jitter waits between half the ceiling and the ceiling, never over the cap', () => {
  const policy = { baseMs: 15_000, capMs: 300_000 };
  assert.equal(equalJitterDelay(0, () => 0, policy), 7_500);
  assert.equal(equalJitterDelay(0, half, policy), 11_250);
  assert.equal(equalJitterDelay(0, almostOne, policy), 14_999);
  for (const attempt of [0, 1, 4, 5, 6, 50, Infinity]) {
    const ceiling = backoffCeiling(attempt, policy);
    for (const r of [0, 0.3, almostOne(), 1, 7, -1, Number.NaN]) {
      const delay = equalJitterDelay(attempt, () => r, policy);
      assert.ok(delay >= ceiling / 2 && delay < ceiling && delay < policy.capMs, `attempt ${attempt}, random ${r}: ${delay}`);
    }
  }
});

test('a negative or fractional attempt counts as the whole attempts below it', () => {
  assert.equal(backoffCeiling(-3), 2000);
  assert.equal(backoffCeiling(2.9), 8000);
  assert.equal(backoffCeiling(Number.NaN), 2000);
});

test('delays are deterministic for a fixed random sequence', () => {
  const run = (seed: number) => Array.from({ length: 12 }, (_, attempt) => backoffDelay(attempt, seeded(seed + attempt)));
  assert.deepEqual(run(42), run(42));
  assert.notDeepEqual(run(42), run(43));
});

test('Retry-After is honoured when it asks for longer than the jittered backoff', () => {
  assert.equal(nextRetryDelay(0, 120_000, half), 120_000);
  assert.equal(nextRetryDelay(5, 1_000, half), 32_000, 'the backoff wins when it is longer');
  assert.equal(nextRetryDelay(2, null, half), 4_000, 'no Retry-After: the backoff alone');
  assert.equal(nextRetryDelay(0, 0, () => 0), 0);
});

test('an absurd Retry-After is capped at one hour', () => {
  assert.equal(RETRY_AFTER_CEILING_MS, 3_600_000);
  assert.equal(nextRetryDelay(0, 86_400_000, half), 3_600_000);
  assert.equal(nextRetryDelay(0, Infinity, half), 3_600_000);
  assert.equal(nextRetryDelay(0, parseRetryAfter('9'.repeat(400), now), half), 3_600_000, 'an overflowing header too');
  assert.equal(nextRetryDelay(0, Number.NaN, half), 1000, 'NaN is no request at all');
  assert.equal(nextRetryDelay(0, -5000, () => 0), 0);
});

test('Retry-After in delta-seconds', () => {
  assert.equal(parseRetryAfter('120', now), 120_000);
  assert.equal(parseRetryAfter(' 5 ', now), 5_000);
  assert.equal(parseRetryAfter('0', now), 0);
  assert.equal(parseRetryAfter('-3', now), 0, 'negative means now');
  assert.equal(parseRetryAfter('2', now), 2_000, 'a bare number is seconds, never a date');
});

test('Retry-After as an HTTP-date in each form RFC 9110 requires, read as GMT', () => {
  assert.equal(parseRetryAfter('Tue, 01 Jul 2025 08:01:30 GMT', now), 90_000);
  assert.equal(parseRetryAfter('Tuesday, 01-Jul-25 08:02:00 GMT', now), 120_000);
  assert.equal(parseRetryAfter('Tue Jul  1 08:00:10 2025', now), 10_000);
  assert.equal(parseRetryAfter('Tue, 01 Jul 2025 07:00:00 GMT', now), 0, 'a date in the past means now');
});

test('garbage Retry-After values are ignored', () => {
  for (const value of [undefined, '', '   ', 'soon', '1.5', '12abc', 'Tue, 31 Feb 2025 08:00:00 GMT', 'Tue, 01 Foo 2025 08:00:00 GMT', '2025-07-01T08:01:00Z']) {
    assert.equal(parseRetryAfter(value, now), null, String(value));
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canAcquire, holdsLease, renewed } from '../../sync-engine/src/domain/index.js';

const T = 1_750_000_000_000;

test('a free data folder can be taken by anyone', () => {
  assert.ok(canAcquire(null, 'service-1', T));
});

test('a lease held by another process blocks until it expires, and is free from its expiry on', () => {
  const lease = renewed('service-1', T, 30_000);
  assert.deepEqual(lease, { holder: 'service-1', expiresAt: T + 30_000 });
  assert.ok(!canAcquire(lease, 'window-2', T + 29_999));
  assert.ok(canAcquire(lease, 'window-2', T + 30_000));
});

test('the holder may always renew its own lease, even a little late', () => {
  const lease = renewed('service-1', T, 30_000);
  assert.ok(canAcquire(lease, 'service-1', T + 10_000));
  assert.ok(canAcquire(lease, 'service-1', T + 60_000));
  assert.deepEqual(renewed('service-1', T + 10_000, 30_000), { holder: 'service-1', expiresAt: T + 40_000 });
});

test('only the holder of an unexpired lease holds it', () => {
  const lease = renewed('service-1', T, 30_000);
  assert.ok(holdsLease(lease, 'service-1', T + 29_999));
  assert.ok(!holdsLease(lease, 'service-1', T + 30_000));
  assert.ok(!holdsLease(lease, 'window-2', T));
  assert.ok(!holdsLease(null, 'service-1', T));
});

test('a lease without a positive TTL is refused', () => {
  assert.throws(() => renewed('service-1', T, 0), RangeError);
  assert.throws(() => renewed('service-1', T, Number.NaN), RangeError);
});

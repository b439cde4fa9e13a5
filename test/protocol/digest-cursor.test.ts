import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { DigestAccumulator, EMPTY_DIGEST, decodeCursor, digestOf, encodeCursor, uuidv7 } from '../../sync-engine/src/protocol/index.js';

test('the digest is the XOR of the first 16 bytes of sha256(id:rev), computed independently', () => {
  const records = Array.from({ length: 50 }, (_, i) => ({ id: uuidv7(), rev: (i % 4) + 1 }));
  const expected = Buffer.alloc(16);
  for (const r of records) {
    const h = createHash('sha256').update(`${r.id}:${r.rev}`).digest();
    for (let i = 0; i < 16; i += 1) expected[i] = (expected[i] ?? 0) ^ (h[i] ?? 0);
  }
  const got = digestOf(records);
  assert.equal(got.digest, expected.toString('hex'));
  assert.equal(got.count, 50);
  assert.equal(digestOf([...records].reverse()).digest, got.digest, 'order-free');
});

test('removing a record from an accumulator restores the earlier digest', () => {
  const acc = new DigestAccumulator();
  assert.equal(acc.hex(), EMPTY_DIGEST);
  acc.add('a', 1);
  const before = acc.hex();
  acc.add('b', 2).remove('b', 2);
  assert.equal(acc.hex(), before);
  assert.equal(acc.count, 1);
});

test('a cursor round-trips under its key and any edit is refused', () => {
  const key = randomBytes(32);
  const payload = { v: 1 as const, ds: 'civil-status-births', ag: 'x', seq: 42, sv: 1, ep: 'e1' };
  const c = encodeCursor(payload, key);
  assert.deepEqual(decodeCursor(c, key), payload);
  assert.equal(decodeCursor(c, randomBytes(32)), null);
  const [prefix, body, tag] = c.split('.');
  const forged = Buffer.from(JSON.stringify({ ...payload, ds: 'business-households' })).toString('base64url');
  assert.equal(decodeCursor(`${prefix}.${forged}.${tag}`, key), null);
  assert.equal(decodeCursor(`${prefix}.${body}`, key), null);
  assert.equal(decodeCursor('garbage', key), null);
});

test('uuidv7 ids are valid, versioned and time-ordered', () => {
  const a = uuidv7(1_700_000_000_000);
  const b = uuidv7(1_700_000_000_001);
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.ok(a < b);
});

test('uuidv7 ids minted in the same millisecond never repeat, across refills of the random pool', () => {
  // 409 ids per refill of the pool: 2,000 ids cross four refills.
  const ids = Array.from({ length: 2_000 }, () => uuidv7(1_700_000_000_000));
  assert.equal(new Set(ids).size, ids.length);
  const tails = new Set(ids.map((id) => id.slice(24)));
  assert.equal(tails.size, ids.length, 'the last 48 random bits differ too');
});

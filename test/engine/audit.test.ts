import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, test } from 'node:test';
import { canonicalJson } from '../../sync-engine/src/audit/canonical-json.js';
import { openEngineFixture, type EngineFixture } from './support/engine-fixture.js';

let f: EngineFixture;
beforeEach(async () => {
  f = await openEngineFixture();
  await f.store.transaction((tx) =>
    f.audit.appendMany(
      tx,
      Array.from({ length: 6 }, (_, i) => ({
        action: 'local.put' as const,
        actor: `user-${i}`,
        dataset: 'civil-status-births',
        recordId: `r${i}`,
        details: { n: i, note: 'Đặng Thị Lan' },
      })),
    ),
  );
});
afterEach(async () => f.close());

test('an untouched chain verifies', async () => {
  assert.deepEqual(await f.audit.verify(f.store.sql), { ok: true, count: 6, lastSeq: 6 });
});

test('appends in later transactions continue the chain', async () => {
  await f.store.transaction((tx) => f.audit.append(tx, { action: 'resync', actor: 'sync', dataset: 'admin-units' }));
  const result = await f.audit.verify(f.store.sql);
  assert.equal(result.ok, true);
  const [last] = await f.audit.list(f.store.sql, { limit: 1 });
  assert.equal(last?.seq, 7);
});

test('an edited event breaks the chain at that event', async () => {
  await f.store.transaction((tx) => tx.run(`UPDATE audit_log SET actor = 'someone else' WHERE seq = 3`));
  assert.deepEqual(await f.audit.verify(f.store.sql), { ok: false, brokenAt: 3, reason: 'hash', checked: 2 });
});

test('an edited detail breaks the chain even when the JSON is only reformatted with another value', async () => {
  await f.store.transaction((tx) => tx.run(`UPDATE audit_log SET details = ? WHERE seq = 5`, [canonicalJson({ n: 40, note: 'Đặng Thị Lan' })]));
  const result = await f.audit.verify(f.store.sql);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.brokenAt, 5);
});

test('a deleted event is detected where the gap is', async () => {
  await f.store.transaction((tx) => tx.run('DELETE FROM audit_log WHERE seq = 4'));
  const result = await f.audit.verify(f.store.sql);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.brokenAt, 5);
});

test('swapping two events is detected', async () => {
  await f.store.transaction(async (tx) => {
    await tx.run('UPDATE audit_log SET seq = 100 WHERE seq = 2');
    await tx.run('UPDATE audit_log SET seq = 2 WHERE seq = 3');
    await tx.run('UPDATE audit_log SET seq = 3 WHERE seq = 100');
  });
  const result = await f.audit.verify(f.store.sql);
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.brokenAt, 2);
});

test('cutting off the newest events is detected', async () => {
  await f.store.transaction((tx) => tx.run('DELETE FROM audit_log WHERE seq >= 5'));
  const result = await f.audit.verify(f.store.sql);
  assert.deepEqual(result, { ok: false, brokenAt: 5, reason: 'truncated', checked: 4 });
});

test('canonical JSON does not depend on key order', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } }), '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
  assert.equal(canonicalJson({ a: undefined, b: 2 }), '{"b":2}');
});

test("each event's hash is SHA-256 of the previous hash and the canonical JSON of all its fields", async () => {
  const events = await f.audit.list(f.store.sql, { limit: 10 });
  assert.equal(events.length, 6);
  for (const e of events) {
    const { prevHash, hash, ...fields } = e;
    // A chain written by any earlier version must keep verifying: the hashed text is pinned here.
    const expected = createHash('sha256')
      .update(prevHash + canonicalJson(fields))
      .digest('hex');
    assert.equal(hash, expected, `event ${e.seq}`);
  }
  const [withoutRecord] = await f.store.transaction((tx) => f.audit.appendMany(tx, [{ action: 'resync', actor: 'sync', details: { z: [1, { b: null, a: 'x' }] } }]));
  assert.ok(withoutRecord);
  const { prevHash, hash, ...fields } = withoutRecord;
  assert.equal(fields.dataset, null);
  assert.equal(hash, createHash('sha256').update(prevHash + canonicalJson(fields)).digest('hex'));
});

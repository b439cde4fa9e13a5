import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nodeCronSource } from '../../sync-engine/src/adapters/cron-node.js';

test('the node-cron adapter tells the next ticks in order, as far apart as the schedule says (the splay is measured by them)', () => {
  const task = nodeCronSource.start('*/5 * * * *', () => undefined);
  try {
    const now = Date.now();
    const [next, following, third] = task.nextRuns(3);
    assert.ok(next !== undefined && following !== undefined && third !== undefined);
    assert.ok(next > now && next - now <= 300_000, 'the next tick is within five minutes');
    assert.equal(following - next, 300_000);
    assert.equal(third - following, 300_000);
  } finally {
    task.stop();
  }
});

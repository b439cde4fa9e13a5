import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';

const DATASET = 'civil-status-births';

/**
 * records.history through the AgentApi: an inspector asks who changed a birth registration's
 * personal ID number and when; the office answers from the audit log, without SQLite by hand.
 */
describe('records.history', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('names the person who created and edited the record, the platform accepting each change, and the ID number before and after', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    try {
      const data = samples(81).sample(DATASET, '01');
      const newId = `${String(data['personalId']).slice(0, 9)}999`;
      const created = await agent.call('records.put', { dataset: DATASET, data }, { user: 'Nguyễn Thị Hoa' });
      assert.ok(created.ok, JSON.stringify(created));
      const id = created.value.id;
      await syncOk(agent);
      const edited = await agent.call('records.put', { dataset: DATASET, id, data: { ...data, personalId: newId } }, { user: 'Trần Văn Bình' });
      assert.ok(edited.ok, JSON.stringify(edited));
      await syncOk(agent);

      const { items, next } = await ok(agent, 'records.history', { dataset: DATASET, id });
      assert.equal(next, null);
      assert.deepEqual(
        items.map((e) => [e.kind, e.actor]),
        [
          ['accepted', 'sync'],
          ['edited', 'Trần Văn Bình'],
          ['accepted', 'sync'],
          ['created', 'Nguyễn Thị Hoa'],
        ],
      );
      assert.deepEqual(items[1]!.changes, [{ field: 'personalId', before: data['personalId'], after: newId }]);
      const firstPage = await ok(agent, 'records.history', { dataset: DATASET, id, limit: 3 });
      assert.equal(firstPage.items.length, 3);
      assert.deepEqual((await ok(agent, 'records.history', { dataset: DATASET, id, before: firstPage.next! })).items.map((e) => e.kind), ['created']);

      assert.deepEqual(await ok(agent, 'records.history', { dataset: DATASET, id: '0190a0a0-0000-7000-8000-00000000abcd' }), { items: [], next: null });
      const refused = await agent.call('records.history', { dataset: DATASET, id, limit: 0 });
      assert.equal(refused.ok ? 'ok' : refused.error.code, 'invalid_input');
    } finally {
      await agent.close();
    }
  });
});

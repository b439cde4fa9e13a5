import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addSite, enrolledAgent, ok, platformPerSuite } from './support/agent-fixture.js';

// A new record's form starts with what every record of the office holds: the province of its
// scope, and its commune when the scope is one commune; nothing of a person.
describe('the office values a dataset gives a new record', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('are the scope\'s province, and its commune when the scope is one commune, for the read-write province datasets only', async () => {
    const commune = await enrolledAgent(temp, env.p, { site: await addSite(env.p, { communeCodes: ['00004'] }) });
    const province = await enrolledAgent(temp, env.p, { site: await addSite(env.p, { communeCodes: ['00004', '00008'] }) });
    try {
      const values = async (agent: typeof commune.agent) => Object.fromEntries((await ok(agent, 'datasets.list', {})).map((d) => [d.name, d.officeValues]));
      assert.deepEqual(await values(commune.agent), {
        'admin-units': {},
        'civil-status-births': { provinceCode: '01', communeCode: '00004' },
        'procedure-dossiers': { provinceCode: '01', communeCode: '00004' },
        'business-households': { provinceCode: '01', communeCode: '00004' },
      });
      assert.deepEqual(await values(province.agent), {
        'admin-units': {},
        'civil-status-births': { provinceCode: '01' },
        'procedure-dossiers': { provinceCode: '01' },
        'business-households': { provinceCode: '01' },
      });
    } finally {
      await commune.agent.close();
      await province.agent.close();
    }
  });
});

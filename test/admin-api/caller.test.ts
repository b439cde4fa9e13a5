import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAdminApiClient, startAdminApi } from '../../sync-engine/src/admin-api/index.js';
import { enrolledAgent, ok, platformPerSuite, samples } from '../agent/support/agent-fixture.js';
import { rawRequest } from './http-request.js';
import { auditActors } from '../support/audit-actors.js';

const TOKEN = 'caller-token-0123456789abcdefghijklmnopqrstuvwxyz';
const DATASET = 'civil-status-births';

describe('the audit log names the person who acted, not the background service\'s account', () => {
  const env = platformPerSuite();

  test('a client of the service says who its person is; a caller that does not is logged as the service', async () => {
    // The service runs under its own account, as the installed service does.
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p, { service: { user: 'ndxp-agent' } });
    const server = await startAdminApi({ api: agent, port: 0, token: TOKEN });
    const gen = samples(41);
    try {
      const window = createAdminApiClient({ baseUrl: server.url, token: TOKEN, user: 'VP-HANOI\\Nguyễn Thị Lan' });
      const put = await window.call('records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
      assert.ok(put.ok, JSON.stringify(put));
      const removed = await window.call('records.delete', { dataset: DATASET, id: put.value.id });
      assert.ok(removed.ok, JSON.stringify(removed));

      // No name, or one that is not a name (a line break): the service's own account.
      const post = (headers: Record<string, string>) =>
        rawRequest({
          port: server.port,
          path: '/api/commands/records.put',
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ dataset: DATASET, data: gen.sample(DATASET, '01') }),
        });
      const anonymous = JSON.parse((await post({})).body);
      const forged = JSON.parse((await post({ 'x-edge-agent-user': encodeURIComponent('Lan\nroot') })).body);
      assert.ok(anonymous.ok && forged.ok);

      // In the engine's own process (the window hosting it, the CLI), the caller may say it too.
      const inProcess = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01') });
      await agent.call('records.delete', { dataset: DATASET, id: inProcess.id }, { user: 'chị Hoa' });

      const actors = (await auditActors(dataDir)).filter((e) => e.action === 'local.put' || e.action === 'local.delete');
      assert.deepEqual(
        actors.map((e) => [e.action, e.actor]),
        [
          ['local.put', 'VP-HANOI\\Nguyễn Thị Lan'],
          ['local.delete', 'VP-HANOI\\Nguyễn Thị Lan'],
          ['local.put', 'ndxp-agent'],
          ['local.put', 'ndxp-agent'],
          ['local.put', 'ndxp-agent'],
          ['local.delete', 'chị Hoa'],
        ],
      );
    } finally {
      await server.close();
      await agent.close();
    }
  });
});

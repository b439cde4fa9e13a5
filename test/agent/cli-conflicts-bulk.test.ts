import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { digests, enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';
import { fieldConflicts, pulledRecords } from './support/national-changes.js';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';

const DATASET = 'civil-status-births';

/**
 * `edge-agent conflicts list --dataset/--kind/--field` and `conflicts take-matching`: the window's filtered
 * list and "select all matching" at the command line, for a computer without the window.
 */
describe('edge-agent conflicts take-matching', () => {
  const env = platformPerSuite();

  test('lists the filtered conflicts, counts them with --dry-run, refuses without --yes, and with --yes settles them all; the office and the platform then agree', async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    const generator = samples(91);
    const records = await pulledRecords(agent, env.p, DATASET, Array.from({ length: 4 }, () => generator.sample(DATASET, '01')));
    await fieldConflicts(agent, env.p, DATASET, records);
    await agent.close();

    const listed = await cli(dataDir, ['--json', 'conflicts', 'list', '--dataset', DATASET, '--kind', 'fields', '--field', 'registrar']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal(listed.json.total, 4);
    const none = await cli(dataDir, ['conflicts', 'list', '--dataset', 'procedure-dossiers']);
    assert.equal(none.code, 0, none.stderr);
    assert.equal(none.stdout.trim(), 'Không có xung đột nào khớp bộ lọc.');

    const counted = await cli(dataDir, ['conflicts', 'take-matching', '--take', 'national', '--dataset', DATASET, '--dry-run']);
    assert.equal(counted.code, 0, counted.stderr);
    assert.equal(counted.stdout.trim(), 'Xung đột đang chờ khớp bộ lọc: 4; giữ bên quốc gia được cho 4.');

    const refused = await cli(dataDir, ['--lang', 'en', 'conflicts', 'take-matching', '--take', 'national', '--dataset', DATASET]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Nothing was settled: a settled conflict cannot be reopened\. Add --yes to settle them/);
    assert.equal((await cli(dataDir, ['--json', 'conflicts', 'list'])).json.total, 4, 'still open');

    const noField = await cli(dataDir, ['conflicts', 'take-matching', '--take', 'national', '--field', 'registrar']);
    assert.equal(noField.code, 1);
    assert.match(noField.stderr, /--field cần --dataset/);

    const taken = await cli(dataDir, ['conflicts', 'take-matching', '--take', 'national', '--dataset', DATASET, '--kind', 'fields', '--yes']);
    assert.equal(taken.code, 0, taken.stderr);
    assert.match(taken.stdout, /\nĐã giải quyết 4 xung đột; còn mở 0\.\n/);
    assert.equal((await cli(dataDir, ['--json', 'conflicts', 'list'])).json.total, 0);
    const settled = await cli(dataDir, ['--json', 'conflicts', 'list', '--resolved']);
    assert.equal(settled.json.total, 4);

    const reopened = await createAgentService({ dataDir, onError: () => undefined });
    try {
      await syncOk(reopened);
      const now = await platformLive(env.p, DATASET);
      for (const r of records) assert.equal((await ok(reopened, 'records.get', { dataset: DATASET, id: r.id }))?.data?.['registrar'], now.get(r.id)?.data?.['registrar']);
      assert.equal((await digests(reopened))[DATASET], 'match');
    } finally {
      await reopened.close();
    }
  });
});

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { enrolledAgent, platformPerSuite } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const ID = '0b9f3c1e-5d2a-4c7b-9e8f-1a2b3c4d5e6f';
const NAMES = 'admin-units, civil-status-births, procedure-dossiers, business-households';

/** A dataset name the catalog does not hold (a typo): every records command says so, naming the datasets there are (exit 1). */
describe('edge-agent records with an unknown dataset', () => {
  const env = platformPerSuite();

  test('get, list, history, delete, put and export say the dataset is unknown and name the datasets, in vi and en; exit 1', async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    await agent.close();
    const file = join(dataDir, 'record.json');
    writeFileSync(file, '{}');
    const commands = [
      ['get', 'civil-status-birth', ID],
      ['list', 'civil-status-birth'],
      ['history', 'civil-status-birth', ID],
      ['delete', 'civil-status-birth', ID],
      ['put', 'civil-status-birth', file],
      ['export', 'civil-status-birth', '--out', join(dataDir, 'out.csv')],
    ];
    for (const command of commands) {
      const vi = await cli(dataDir, ['records', ...command]);
      assert.equal(vi.code, 1, `${command[0]}: ${vi.stdout}${vi.stderr}`);
      assert.ok(
        vi.stderr.includes(`Không có bộ dữ liệu "civil-status-birth" trong danh mục đã tải về; các bộ dữ liệu có trong danh mục: ${NAMES}. Hãy đồng bộ để cập nhật danh mục.`),
        `${command[0]}: ${vi.stderr}`,
      );
      const en = await cli(dataDir, ['--lang', 'en', '--json', 'records', ...command]);
      assert.equal(en.code, 1, `${command[0]}: ${en.stdout}${en.stderr}`);
      assert.equal(en.json.error.code, 'not_found', command[0]);
      assert.equal(
        en.json.error.messages.en,
        `There is no dataset "civil-status-birth" in the downloaded catalog; the datasets in it are ${NAMES}. Sync to refresh the catalog.`,
        command[0],
      );
    }
  });
});

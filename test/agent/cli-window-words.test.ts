import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';
const I18N = resolve(import.meta.dirname, '../../renderer/src/i18n');
type Messages = {
  history: { column: Record<string, string> };
  overview: { datasets: Record<string, string> };
  digest: Record<string, string>;
  health: Record<string, string>;
  outbox: { op: Record<string, string>; status: Record<string, string>; column: Record<string, string> };
};
const window = (lang: 'vi' | 'en') => JSON.parse(readFileSync(join(I18N, `${lang}.json`), 'utf8')) as Messages;
const words = (lang: 'vi' | 'en') => window(lang).history.column;

/** The CLI's text names what a run did with the window's words: the Sync history's columns are the reference. */
describe("the CLI speaks the window's words", () => {
  const env = platformPerSuite();

  test("sync's summary counts a run as the Sync history's columns do, in Vietnamese and English (not 'Pushed' / 'Pulled', 'Đã gửi' / 'Đã nhận')", async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    await agent.close();
    const generator = samples(83);
    for (const lang of ['vi', 'en'] as const) {
      const file = join(env.temp.make(), 'birth.json');
      writeFileSync(file, JSON.stringify(generator.sample('civil-status-births', '01')));
      assert.equal((await cli(dataDir, ['records', 'put', 'civil-status-births', file])).code, 0);
      const sync = await cli(dataDir, ['--lang', lang, 'sync']);
      assert.equal(sync.code, 0, sync.stderr);
      const column = words(lang);
      assert.match(sync.stdout, new RegExp(`\\n  ${column['pushed']}: 1   ${column['pulled']}: \\d+   ${column['conflicts']}: 0   ${column['rejected']}: 0\\n`), sync.stdout);
    }
  });

  test("status's datasets table has the Overview's columns and says each dataset's check as the Overview does", async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    await agent.close();
    for (const lang of ['vi', 'en'] as const) {
      const text = await cli(dataDir, ['--lang', lang, 'status']);
      assert.equal(text.code, 0, text.stderr);
      const { overview, digest } = window(lang);
      const columns = [overview.datasets['name'], overview.datasets['records'], overview.datasets['fresh'], overview.datasets['digest']];
      assert.ok(text.stdout.split('\n').some((line) => line.replace(/\s{2,}/g, '|') === columns.join('|')), text.stdout);
      const rows = text.stdout.split('\n').filter((line) => line.startsWith('civil-status-births '));
      assert.equal(rows.length, 1, text.stdout);
      assert.ok(rows[0]!.trimEnd().endsWith(`  ${digest['match']}`), `a synced dataset matches: ${rows[0]}`);
    }
  });

  test("a dataset whose change waits for a person says in status that its changes are not yet settled, with the Overview's words, not the connection's 'checking'", async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    // Edited here and nationally since the last sync: the sync opens a conflict, and the digest is not compared while it is open.
    const data = samples(97).sample(DATASET, '01');
    const put = await env.p.platform.admin.putRecord(DATASET, data);
    await syncOk(agent);
    await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, registrar: 'Cán bộ xã' } });
    await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ quốc gia' }, { id: put.id, baseRev: put.rev });
    assert.equal((await syncOk(agent)).status, 'conflicts');
    await agent.close();
    for (const lang of ['vi', 'en'] as const) {
      const { digest, health } = window(lang);
      // It was worded as the connection's "checking" state, which it is not: nothing is being checked until a person decides.
      assert.notEqual(digest['pending'], health['unknown']);
      const text = await cli(dataDir, ['--lang', lang, 'status']);
      assert.equal(text.code, 0, text.stderr);
      const rows = text.stdout.split('\n').filter((line) => line.startsWith(`${DATASET} `));
      assert.equal(rows.length, 1, text.stdout);
      assert.ok(rows[0]!.trimEnd().endsWith(`  ${digest['pending']}`), `a dataset with a conflict open is not compared: ${rows[0]}`);
    }
  });

  test("outbox list says each change's operation and state as the Outbox screen does (it printed the codes upsert, queued, in Vietnamese too)", async () => {
    const { agent, dataDir } = await enrolledAgent(env.temp, env.p);
    await agent.close();
    const file = join(env.temp.make(), 'birth.json');
    writeFileSync(file, JSON.stringify(samples(89).sample('civil-status-births', '01')));
    const put = await cli(dataDir, ['--json', 'records', 'put', 'civil-status-births', file]);
    assert.equal(put.code, 0, put.stderr);
    for (const lang of ['vi', 'en'] as const) {
      const text = await cli(dataDir, ['--lang', lang, 'outbox', 'list']);
      assert.equal(text.code, 0, text.stderr);
      const { outbox } = window(lang);
      const [header, row] = text.stdout.split('\n').map((line) => line.split(/\s{2,}/));
      assert.deepEqual([header![3], header![4]], [outbox.column['op'], outbox.column['status']], text.stdout);
      assert.deepEqual([row![2], row![3], row![4]], [put.json.id, outbox.op['upsert'], outbox.status['queued']], text.stdout);
    }
  });
});

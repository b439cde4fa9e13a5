import assert from 'node:assert/strict';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { shellWord } from '../../sync-engine/src/service/shell-word.js';
import { addSite, startTestPlatform, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { makeCertificates } from './support/certificates.js';

/**
 * A CA file of the settings that became unusable (deleted, moved, replaced)
 * stops every sync before it reaches the platform. The run is kept in the sync
 * history as failed, with the file and what to do, like any failed run: it
 * was not recorded at all, so the history and `status` showed the last good
 * sync while nothing synced.
 */
describe('a sync stopped by a CA file that is no longer there', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('is a failed run in the history naming the file and the network set command, exit 1; status shows it as the last sync; doctor exits 1 for it too', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    try {
      const site = await addSite(p);
      const home = temp.make('agent-');
      const live = join(temp.make('ca-'), 'ca.pem');
      copyFileSync(certs.caFile, live);
      assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
      assert.equal((await cli(home, ['network', 'set', '--ca-file', live])).code, 0);
      assert.equal((await cli(home, ['enroll', '--token', await p.platform.admin.createToken({ site })])).code, 0);
      assert.equal((await cli(home, ['sync'])).code, 0);

      rmSync(live);
      const json = await cli(home, ['--json', 'sync']);
      assert.equal(json.code, 1, json.stdout);
      const run = (json.json as { started: boolean; run: { id: number; status: string; error: { code: string; messages: { vi: string; en: string } } } }).run;
      assert.equal(run.status, 'failed');
      assert.equal(run.error.code, 'ca_file');
      assert.ok(run.error.messages.en.startsWith(`The CA file ${live} is not there: check the path.`), run.error.messages.en);
      // The command to type names this data folder, as every other hint does.
      const command = `"edge-agent --home ${shellWord(home)} network set --ca-file`;
      assert.ok(run.error.messages.en.includes(`network settings (caFiles): set it again with ${command} <file.pem>"`), run.error.messages.en);
      assert.ok(run.error.messages.vi.startsWith('Không thấy tệp chứng chỉ CA ') && run.error.messages.vi.includes(`${command} <tệp.pem>"`), run.error.messages.vi);

      const text = await cli(home, ['--lang', 'en', 'sync']);
      assert.equal(text.code, 1);
      assert.match(text.stdout, new RegExp(`^Sync #${run.id + 1}: failed\\n.*\\n {2}The CA file ${live.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not there`));

      const status = await cli(home, ['--json', 'status']);
      assert.equal(status.json.lastSync.status, 'failed');

      // The doctor finds the same cause and exits as the sync it stops: a setting to correct (1), not "unreachable" (2).
      const doctor = await cli(home, ['--json', 'doctor', '--timeout', '2000']);
      assert.equal(doctor.code, 1, doctor.stdout);
      const settings = (doctor.json as { checks: { id: string; status: string; detail?: { code?: string }; messages: { en: string } }[] }).checks.find((c) => c.id === 'settings');
      assert.equal(settings?.status, 'fail');
      assert.equal(settings?.detail?.code, 'ca_file');
      assert.ok(settings?.messages.en.startsWith(`The CA file ${live} is not there`), settings?.messages.en);
    } finally {
      await p.close();
    }
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { shellWord } from '../../sync-engine/src/service/shell-word.js';
import { addSite, startTestPlatform, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { eventually } from '../agent/support/fake-time.js';
import { readServiceFile } from '../../sync-engine/src/service/service-file.js';
import { makeCertificates } from './support/certificates.js';

/**
 * The office's internal CA often comes as a binary (DER) .cer file, which the
 * agent cannot use: every door that takes a CA file says so, with how to
 * convert it, instead of an unexpected error.
 */
describe('a CA file that holds no PEM certificate', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  const derOf = (pem: string, dir: string) => {
    const der = join(dir, 'CA nội bộ.cer');
    execFileSync('openssl', ['x509', '-in', pem, '-outform', 'der', '-out', der]);
    return der;
  };

  test('provision refuses it as a wrong caFiles field with how to convert it, exit 1, and saves nothing', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const der = derOf(certs.caFile, temp.make('Cấu hình-'));
    const file = join(temp.make('prov-'), 'provisioning.json');
    writeFileSync(file, JSON.stringify({ platformUrl: 'https://ndxp.example.gov.vn', siteCode: 'HN-BA-DINH', token: 'a-token-of-twenty-chars', caFiles: [der], installService: false }));
    const home = join(temp.make('agent-'), 'data');
    const result = await cli(home, ['--json', 'provision', file]);
    assert.equal(result.code, 1, result.stdout);
    assert.equal(result.json.error.code, 'invalid_input');
    const [field] = result.json.error.fieldErrors as { path: string; messages: { vi: string; en: string } }[];
    assert.equal(field!.path, 'caFiles');
    assert.ok(field!.messages.en.includes(`The CA file ${der} holds no PEM certificate`), field!.messages.en);
    assert.match(field!.messages.en, /certutil -encode .* openssl x509 -inform der/);
    assert.match(field!.messages.vi, /không chứa chứng chỉ dạng PEM/);
    assert.equal(existsSync(home), false, 'nothing saved');
  });

  test('network set refuses it with how to convert it; one replaced by a DER file after it was set is named by sync and enroll (exit 1), not an unexpected error, and the running service shows the connection offline for a certificate problem, not its last good state', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    try {
      const site = await addSite(p);
      const home = temp.make('agent-');
      assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
      const der = derOf(certs.caFile, temp.make('ca-'));
      const refused = await cli(home, ['--lang', 'en', 'network', 'set', '--ca-file', der]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /holds no PEM certificate .*certutil -encode/);

      const live = join(temp.make('ca-'), 'ca.pem');
      copyFileSync(certs.caFile, live);
      assert.equal((await cli(home, ['network', 'set', '--ca-file', live])).code, 0);
      copyFileSync(der, live);
      const enroll = await cli(home, ['--json', 'enroll', '--token', await p.platform.admin.createToken({ site })]);
      assert.equal(enroll.code, 1, enroll.stdout);
      assert.equal(enroll.json.error.code, 'invalid_input');
      assert.ok(enroll.json.error.messages.en.startsWith(`The CA file ${live} holds no PEM certificate`), enroll.json.error.messages.en);
      assert.ok(enroll.json.error.messages.en.includes(`set it again with "edge-agent --home ${shellWord(home)} network set --ca-file <file.pem>"`), enroll.json.error.messages.en);
      assert.doesNotMatch(enroll.json.error.messages.vi, /không lường trước/);

      copyFileSync(certs.caFile, live);
      assert.equal((await cli(home, ['enroll', '--token', await p.platform.admin.createToken({ site })])).code, 0);
      copyFileSync(der, live);
      const sync = await cli(home, ['sync']);
      assert.equal(sync.code, 1, sync.stderr);
      // A failed run (the sync history keeps it), its reason under the summary.
      assert.match(sync.stdout, /: không thành công\n.*\n {2}Tệp chứng chỉ CA .* không chứa chứng chỉ dạng PEM.*caFiles/);

      // The background service meets it at its health probe: the connection shows the certificate problem, not the last good state.
      const stop = new AbortController();
      const running = cli(home, ['run', '--port', '0', '--no-sync-at-start'], { stopSignal: stop.signal });
      try {
        await eventually(() => readServiceFile(home) !== null, 30_000);
        let health: { state: string; code: string } | null = null;
        for (let i = 0; i < 200 && health?.code !== 'tls'; i++) {
          health = (await cli(home, ['--json', 'status'])).json.health;
          if (health?.code !== 'tls') await new Promise((r) => setTimeout(r, 50));
        }
        assert.deepEqual({ state: health?.state, code: health?.code }, { state: 'offline', code: 'tls' });
      } finally {
        stop.abort();
        await running;
      }
    } finally {
      await p.close();
    }
  });
});

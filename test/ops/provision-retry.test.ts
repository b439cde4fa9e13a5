import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { addSite, startTestPlatform, TempDirs } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { makeCertificates } from './support/certificates.js';
import { recordingProxy } from './support/connect-proxy.js';

/**
 * `provision` stopped at its enrollment (an untrusted certificate, a proxy
 * the file does not name): what IT is told to do next, and that doing it
 * works. Fields the file leaves out keep the folder's values.
 */
describe('provision again after it stopped at the enrollment', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());
  const write = (content: unknown) => {
    const file = join(temp.make('prov-'), 'provisioning.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  };

  test('an untrusted certificate: the message says to run the same provision again; with the CA added by network set it enrolls, and the CA file stays', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    try {
      const site = await addSite(p);
      const token = await p.platform.admin.createToken({ site });
      const home = temp.make('agent-');
      const file = write({ platformUrl: p.url, siteCode: site, token, language: 'en', installService: false });

      const first = await cli(home, ['provision', file]);
      assert.equal(first.code, 2, first.stderr);
      assert.match(first.stderr, /^Not enrolled: the platform's certificate is issued by a CA this computer does not trust/);
      assert.ok(
        first.stderr.includes(
          `Provisioning from ${file} stopped at the enrollment: the file's settings are saved, this computer is not enrolled. Once that is fixed (a new token, if one is needed, goes in the file's "token"), run again: edge-agent --home ${home} provision ${file} (it enrolls, then installs the service; enroll alone does not install it).`,
        ),
        first.stderr,
      );
      const vi = await cli(home, ['--lang', 'vi', 'provision', file]);
      assert.match(vi.stderr, /Việc cài đặt bằng .* dừng ở bước đăng ký: cấu hình trong tệp đã được lưu, máy chưa đăng ký\. .*hãy chạy lại: edge-agent --home .* provision /);

      // What the enrollment's message says to do about the certificate, then what provisioning's says.
      assert.equal((await cli(home, ['network', 'set', '--ca-file', certs.caFile])).code, 0);
      const again = await cli(home, ['provision', file]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^Settings saved\.\nEnrolled: [0-9a-f-]+\./);
      assert.deepEqual((await cli(home, ['--json', 'network', 'show'])).json.caFiles, [certs.caFile], 'a file without caFiles keeps the CA file set');
      assert.equal((await cli(home, ['--json', 'sync'])).code, 0, 'and the agent syncs through it');
    } finally {
      await p.close();
    }
  });

  test('a proxy set with network set and left out of the file: the enrollment goes through it, as every later call does', async () => {
    const p = await startTestPlatform(temp);
    const proxy = await recordingProxy();
    try {
      const site = await addSite(p);
      const token = await p.platform.admin.createToken({ site });
      const home = temp.make('agent-');
      assert.equal((await cli(home, ['network', 'set', '--proxy', proxy.url, '--bypass', ''])).code, 0);
      const provisioned = await cli(home, ['--lang', 'en', 'provision', write({ platformUrl: p.url, siteCode: site, token, installService: false })]);
      assert.equal(provisioned.code, 0, provisioned.stderr);
      assert.ok(proxy.requests.includes('POST /v1/enrollments'), `the enrollment went through the proxy: ${proxy.requests.join(', ')}`);
      assert.equal((await cli(home, ['--json', 'network', 'show'])).json.proxy, proxy.url);
    } finally {
      await proxy.close();
      await p.close();
    }
  });
});

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { shellWord } from '../../sync-engine/src/service/shell-word.js';
import { makeCertificates } from '../ops/support/certificates.js';
import { addSite, startTestPlatform, TempDirs } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

/**
 * Enrollment is local IT's step: when the platform gives no answer, the
 * refusal names the address and the likely cause, says the enrollment saved
 * nothing, points at `doctor`, and that the same token can be used again;
 * not the clerk's "changes are kept safely" sentence.
 */
describe('enroll when the platform cannot be reached', () => {
  const temp = new TempDirs();
  after(() => temp.cleanup());

  test('a wrong port: the address refuses connections, doctor named, exit 2; the same token enrolls once the address is right', async () => {
    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const token = await p.platform.admin.createToken({ site });
      const closed = await startTestPlatform(temp);
      const wrongPort = closed.url;
      await closed.close();
      const home = temp.make('Dữ liệu xã-');
      assert.equal((await cli(home, ['init', '--platform', wrongPort, '--site', site])).code, 0);

      const vi = await cli(home, ['enroll', '--token', token]);
      assert.equal(vi.code, 2, vi.stderr);
      assert.ok(vi.stderr.startsWith('Chưa đăng ký được: địa chỉ này từ chối kết nối: sai cổng'), vi.stderr);
      assert.ok(vi.stderr.includes(`(${wrongPort}, ECONNREFUSED)`), vi.stderr);
      assert.ok(vi.stderr.includes(`"edge-agent --home '${home}' doctor"`), vi.stderr);
      assert.match(vi.stderr, /đăng ký lại với cùng mã đăng ký/);
      const en = await cli(home, ['--json', '--lang', 'en', 'enroll', '--token', token]);
      assert.equal(en.code, 2);
      assert.equal(en.json.error.code, 'unreachable');
      assert.match(en.json.error.messages.en, /^Not enrolled: that address refuses connections: a wrong port/);
      assert.doesNotMatch(en.json.error.messages.en, /Changes are kept safely|Tell local IT/);
      assert.match(en.json.error.messages.en, /enroll again with the same token/);
      assert.equal((await cli(home, ['--json', 'status'])).json.enrollment, 'not_enrolled');

      const right = await cli(home, ['--json', 'enroll', '--platform', p.url, '--token', token]);
      assert.equal(right.code, 0, right.stdout);
      assert.equal(right.json.status, 'active');
    } finally {
      await p.close();
    }
  });

  test('another web service at the address (404, 501 to the POST): not the platform\'s answer, check the address, exit 2; maintenance: enroll again later; the token is not used', async () => {
    const other = createServer((req, res) => {
      res.writeHead(req.method === 'POST' ? 501 : 404, { 'content-type': 'text/html' });
      res.end('<html><body>Cổng thông tin UBND xã</body></html>');
    });
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    const p = await startTestPlatform(temp);
    try {
      const site = await addSite(p);
      const token = await p.platform.admin.createToken({ site });
      const home = temp.make('agent-');
      const wrong = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      assert.equal((await cli(home, ['init', '--platform', wrong, '--site', site])).code, 0);
      const web = await cli(home, ['--json', 'enroll', '--token', token]);
      assert.equal(web.code, 2, web.stdout);
      assert.equal(web.json.error.code, 'unreachable');
      assert.ok(web.json.error.messages.en.startsWith('Not enrolled: that address does not answer as the national platform does: check the address'), web.json.error.messages.en);
      assert.ok(web.json.error.messages.en.includes(`(${wrong}, HTTP 501)`), web.json.error.messages.en);
      assert.doesNotMatch(web.json.error.messages.en, /retry by itself|nothing to do/);
      assert.match(web.json.error.messages.vi, /^Chưa đăng ký được: địa chỉ này không trả lời như nền tảng quốc gia/);
      const doctor = await cli(home, ['--json', 'doctor']);
      assert.equal(doctor.code, 2);
      const health = (doctor.json.checks as { id: string; messages: { en: string } }[]).find((c) => c.id === 'health');
      assert.match(health!.messages.en, /^That address does not answer as the national platform does \(HTTP 404\): check the platform address/);

      await p.platform.admin.setMaintenance(true, 60);
      const maintenance = await cli(home, ['--lang', 'en', 'enroll', '--platform', p.url, '--token', token]);
      assert.equal(maintenance.code, 2, maintenance.stderr);
      assert.match(maintenance.stderr, /^Not enrolled: the national platform is under maintenance; enroll again later \(.*HTTP 503 maintenance\)/);
      assert.doesNotMatch(maintenance.stderr, /retry by itself/);
      await p.platform.admin.setMaintenance(false);
      const enrolled = await cli(home, ['--json', 'enroll', '--platform', p.url, '--token', token]);
      assert.equal(enrolled.code, 0, enrolled.stdout);
    } finally {
      await p.close();
      await new Promise((done) => other.close(done));
    }
  });

  test('a certificate from an unknown CA: says to add the CA file with network set, exit 2; with it the same token enrolls', async () => {
    const certs = makeCertificates(temp.make('certs-'));
    const p = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
    try {
      const site = await addSite(p);
      const token = await p.platform.admin.createToken({ site });
      const home = temp.make('agent-');
      assert.equal((await cli(home, ['init', '--platform', p.url, '--site', site])).code, 0);
      const untrusted = await cli(home, ['--lang', 'en', 'enroll', '--token', token]);
      assert.equal(untrusted.code, 2, untrusted.stderr);
      assert.match(untrusted.stderr, /^Not enrolled: the platform's certificate is issued by a CA this computer does not trust; /);
      assert.ok(untrusted.stderr.includes(`add its PEM file: "edge-agent --home ${shellWord(home)} network set --ca-file <file.pem>"`), untrusted.stderr);
      assert.match(untrusted.stderr, /doctor/);

      assert.equal((await cli(home, ['network', 'set', '--ca-file', certs.caFile])).code, 0);
      const trusted = await cli(home, ['--json', 'enroll', '--token', token]);
      assert.equal(trusted.code, 0, trusted.stdout);
      assert.equal(trusted.json.status, 'active');
    } finally {
      await p.close();
    }
  });
});

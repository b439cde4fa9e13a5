import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TempDirs, startTestPlatform, type TestPlatform } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';
import { makeCertificates } from './support/certificates.js';
import { recordingProxy } from './support/connect-proxy.js';
import { type Check, checkOf } from './support/doctor-checks.js';

/**
 * What local IT mistypes in the platform address or the proxy, and what
 * `doctor` says about it: the mistake, and the command that corrects it, not
 * a certificate, a proxy or a platform error that is not there.
 */
describe('edge-agent doctor on a mistyped platform address or proxy', () => {
  const temp = new TempDirs();
  let plain: TestPlatform;
  let secure: TestPlatform;
  let caFile: string;
  before(async () => {
    const certs = makeCertificates(temp.make('certs-'));
    caFile = certs.caFile;
    plain = await startTestPlatform(temp);
    secure = await startTestPlatform(temp, { tls: { key: certs.key, cert: certs.cert } });
  });
  after(async () => {
    await plain.close();
    await secure.close();
    temp.cleanup();
  });

  async function doctorFor(platformUrl: string, setup: string[][] = [], env?: NodeJS.ProcessEnv) {
    const home = temp.make('agent-');
    assert.equal((await cli(home, ['init', '--platform', platformUrl, '--site', 'HN-BA-DINH'])).code, 0);
    for (const args of setup) assert.equal((await cli(home, args)).code, 0, args.join(' '));
    const result = await cli(home, ['--json', 'doctor', '--timeout', '3000'], env ? { env } : {});
    assert.equal(result.code, 2, JSON.stringify(result.json));
    return result.json as { checks: Check[] };
  }

  test('https:// to a port that answers plain HTTP is said as such, not as a TLS-inspecting device wanting a CA file', async () => {
    const port = new URL(plain.url).port;
    const tls = checkOf(await doctorFor(`https://127.0.0.1:${port}`), 'tls');
    assert.equal(tls.status, 'fail');
    assert.match(tls.messages.en, new RegExp(`127\\.0\\.0\\.1:${port} answers in plain HTTP, not HTTPS: the platform address starts with https:// but port ${port} is not the platform's HTTPS port.*edge-agent init --platform`));
    assert.match(tls.messages.vi, /trả lời bằng HTTP thường, không phải HTTPS/);
    assert.doesNotMatch(tls.messages.en, /caFiles|inspecting/);
  });

  test('http:// to a port that speaks TLS says to write https://, not to check a proxy that is not set', async () => {
    const port = new URL(secure.url).port;
    const json = await doctorFor(`http://127.0.0.1:${port}`, [['network', 'set', '--ca-file', caFile]]);
    assert.equal(checkOf(json, 'tcp').status, 'ok');
    const health = checkOf(json, 'health');
    assert.equal(health.status, 'fail');
    assert.match(health.messages.en, new RegExp(`Port ${port} of 127\\.0\\.0\\.1 speaks HTTPS \\(TLS\\), but the platform address starts with http://: change it to https://127\\.0\\.0\\.1:${port} `));
    assert.match(health.messages.vi, /dùng HTTPS \(TLS\).*sửa thành https:\/\//);
    assert.doesNotMatch(health.messages.en, /proxy/);
  });

  test('a path after the platform address is named, with the address without it, not "retry later"', async () => {
    const health = checkOf(await doctorFor(`${plain.url}/api/v1`), 'health');
    assert.equal(health.status, 'fail');
    assert.equal(health.detail?.['status'], 404);
    assert.match(health.messages.en, new RegExp(`serves no platform under the address's path /api/v1 \\(HTTP 404\\).*remove "/api/v1" \\(edge-agent init --platform ${plain.url.replace(/\./g, '\\.')} `));
    assert.match(health.messages.vi, /không có nền tảng ở đường dẫn \/api\/v1/);
    assert.doesNotMatch(health.messages.en, /retry later/);
  });

  test("a proxy whose name does not resolve is named as the proxy, with the command that corrects it", async () => {
    const dns = checkOf(await doctorFor(plain.url, [['network', 'set', '--proxy', 'http://proxy.ubnd-xa.invalid:3128']]), 'dns');
    assert.equal(dns.status, 'fail');
    assert.match(dns.messages.en, /^The proxy's host name proxy\.ubnd-xa\.invalid does not resolve \(\w+\): .*edge-agent network set --proxy/);
    assert.match(dns.messages.vi, /^Không phân giải được tên máy chủ proxy proxy\.ubnd-xa\.invalid .*edge-agent network set --proxy/);
  });

  test('a proxy that refuses connections says where it was set: the settings, or HTTPS_PROXY of the environment', async () => {
    const fromSettings = checkOf(await doctorFor(plain.url, [['network', 'set', '--proxy', 'http://127.0.0.1:9']]), 'tcp');
    assert.equal(fromSettings.status, 'fail');
    assert.match(fromSettings.messages.en, /^The proxy 127\.0\.0\.1:9 refuses connections .*edge-agent network show.*edge-agent network set --proxy/);
    assert.doesNotMatch(fromSettings.messages.en, /ask its operator/);

    const fromEnvironment = checkOf(await doctorFor(plain.url, [], { ...process.env, EDGE_AGENT_HOME: '', HTTPS_PROXY: 'http://127.0.0.1:9', NO_PROXY: '', no_proxy: '' }), 'tcp');
    assert.equal(fromEnvironment.status, 'fail');
    assert.match(fromEnvironment.messages.en, /^The proxy 127\.0\.0\.1:9 refuses connections .*comes from the HTTPS_PROXY\/HTTP_PROXY environment variable/);
    assert.match(fromEnvironment.messages.vi, /biến môi trường HTTPS_PROXY\/HTTP_PROXY/);
  });

  test("through a proxy, an untrusted certificate names the platform's, not \"'s certificate\", with the command that adds the CA", async () => {
    const proxy = await recordingProxy();
    try {
      const json = await doctorFor(secure.url, [['network', 'set', '--proxy', proxy.url, '--bypass', '']]);
      assert.equal(checkOf(json, 'tls').status, 'skipped');
      const health = checkOf(json, 'health');
      assert.equal(health.status, 'fail');
      assert.match(health.messages.en, /^The platform's certificate is issued by an untrusted CA \(\w+\): .*edge-agent network set --ca-file <file\.pem>/);
      assert.match(health.messages.vi, /^Chứng chỉ của nền tảng do một CA không được tin cậy cấp/);
    } finally {
      await proxy.close();
    }
  });
});

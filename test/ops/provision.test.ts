import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { nodeCronSource } from '../../sync-engine/src/adapters/cron-node.js';
import { parseProvisioningFile } from '../../sync-engine/src/ops/provisioning-file.js';
import { addSite, platformPerSuite } from '../agent/support/agent-fixture.js';
import { cli } from '../agent/support/cli-runner.js';

const EXAMPLE = join(import.meta.dirname, '../../installers/provisioning.example.json');

describe('edge-agent provision', () => {
  const env = platformPerSuite();
  const { temp } = env;

  const write = (content: unknown) => {
    const file = join(temp.make('prov-'), 'provisioning.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  test('the example file is valid apart from its CA path, which is named', () => {
    const parsed = parseProvisioningFile(readFileSync(EXAMPLE, 'utf8'), nodeCronSource, () => true);
    assert.equal(parsed.ok, true);
    const missing = parseProvisioningFile(readFileSync(EXAMPLE, 'utf8'), nodeCronSource, () => false);
    assert.deepEqual(!missing.ok && missing.problems.map((x) => x.path), ['caFiles']);
  });

  test('a bad file names EACH wrong, missing or unknown field in Vietnamese and English, exits 1 and changes nothing', async () => {
    const file = write({
      platformUrl: 'ftp://ndxp',
      siteCode: 'HN BA DINH',
      schedule: '99 * * * *',
      proxy: 'not a url',
      language: 'fr',
      adminPort: 80,
      installService: 'yes',
      caFiles: ['/nonexistent/ca.pem'],
      siteCodee: 'typo',
    });
    const home = temp.make('agent-');
    const result = await cli(home, ['--json', 'provision', file]);
    assert.equal(result.code, 1);
    const paths = (result.json.error.fieldErrors as { path: string }[]).map((f) => f.path).sort();
    assert.deepEqual(paths, ['adminPort', 'caFiles', 'installService', 'language', 'platformUrl', 'proxy', 'schedule', 'siteCode', 'siteCodee', 'token'].sort());
    for (const field of result.json.error.fieldErrors as { path: string; messages: { vi: string; en: string } }[]) {
      assert.ok(field.messages.vi.includes(field.path) && field.messages.en.includes(field.path), `messages name ${field.path}`);
    }
    const token = (result.json.error.fieldErrors as { path: string; messages: { en: string } }[]).find((f) => f.path === 'token');
    assert.match(token!.messages.en, /missing field "token"/);

    const human = await cli(home, ['--lang', 'vi', 'provision', write('{ not json')]);
    assert.equal(human.code, 1);
    assert.match(human.stderr, /không phải JSON/);
    // Nothing was made: the folder holds no agent, which status says.
    assert.deepEqual(readdirSync(home), []);
    const status = await cli(home, ['--json', 'status']);
    assert.equal(status.code, 1);
    assert.equal(status.json.error.code, 'not_found');
  });

  test('a field typed close to a known one is named with the known one; a JSON syntax error gives the line and column', async () => {
    const home = temp.make('agent-');
    const typed = write({ platformURL: 'https://ndxp.example.vn', siteCode: 'HN-BADINH', token: 'a'.repeat(20), caFile: '/etc/ssl/ndxp/ca.pem', colour: 'red' });
    const result = await cli(home, ['--json', 'provision', typed]);
    assert.equal(result.code, 1);
    const fields = result.json.error.fieldErrors as { path: string; messages: { vi: string; en: string } }[];
    assert.deepEqual(
      fields.map((f) => [f.path, f.messages.en]),
      [
        ['platformURL', 'field "platformURL" is not supported: did you mean "platformUrl"?'],
        ['caFile', 'field "caFile" is not supported: did you mean "caFiles"?'],
        ['colour', 'field "colour" is not supported (a typo?)'],
      ],
    );
    assert.equal(fields[1]!.messages.vi, 'trường "caFile" không được hỗ trợ: có phải "caFiles"?');

    const broken = write('{\n  "siteCode": "HN-BADINH",\n  "caFiles": ["/etc/ssl/ndxp/ca.pem",]\n}\n');
    const vi = await cli(home, ['provision', broken]);
    assert.equal(vi.code, 1);
    assert.match(vi.stderr, /Tệp không phải JSON hợp lệ: dòng 3, cột 38: Unexpected token '\]'\n/);
    const en = await cli(home, ['--lang', 'en', 'provision', write('{\n  "siteCode": "HN-BADINH"\n  "token": "x"\n}')]);
    assert.match(en.stderr, /The file is not valid JSON: line 3, column 3: Expected ',' or '\}' after property value\n/);
    assert.doesNotMatch(en.stderr + vi.stderr, /position/);
  });

  test('a provisioning file that cannot be read names the path, the cause and what to do, in both languages, exit 1', async () => {
    const dir = temp.make('Cấu hình xã-');
    const missing = join(dir, 'cấu-hình.json');
    const home = temp.make('agent-');
    for (const [file, vi, en] of [
      [missing, /không có thư mục hoặc tệp này: hãy kiểm tra lại đường dẫn \(ENOENT\)/, /no such folder or file: check the path \(ENOENT\)/],
      [dir, /đây là một thư mục, không phải tệp/, /that is a folder, not a file: give a file name \(EISDIR\)/],
    ] as const) {
      const human = await cli(home, ['provision', file]);
      assert.equal(human.code, 1, human.stderr);
      assert.ok(human.stderr.startsWith(`Không dùng được ${file}: `), human.stderr);
      assert.match(human.stderr, vi);
      assert.doesNotMatch(human.stderr, /no such file or directory, open|illegal operation/, 'not the raw Node text');
      const json = await cli(home, ['--json', '--lang', 'en', 'provision', file]);
      assert.equal(json.code, 1);
      assert.equal(json.json.error.code, 'invalid_input');
      assert.match(json.json.error.messages.en, en);
    }
  });

  test('a file saved by Windows Notepad with a UTF-8 byte order mark is read like any other', async () => {
    const site = await addSite(env.p);
    const token = await env.p.platform.admin.createToken({ site });
    const file = write('\uFEFF' + JSON.stringify({ platformUrl: env.p.url, siteCode: site, token, installService: false }, null, 2));
    const home = temp.make('agent-');
    const result = await cli(home, ['--json', 'provision', file]);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.json.enrollment, 'enrolled');
  });

  test('a good file against a real platform ends enrolled and synced-ready; running it again is safe and says enrollment was skipped', async () => {
    const site = await addSite(env.p);
    const token = await env.p.platform.admin.createToken({ site });
    const file = write({ platformUrl: env.p.url, siteCode: site, token, schedule: '*/10 * * * *', language: 'en', adminPort: 7555, installService: false });
    const home = temp.make('agent-');
    const first = await cli(home, ['--json', 'provision', file]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal(first.json.enrollment, 'enrolled');
    assert.equal(first.json.service, 'skipped');
    const status = await cli(home, ['--json', 'status']);
    assert.equal(status.json.enrollment, 'active');
    assert.equal(status.json.siteCode, site);
    const sync = await cli(home, ['--json', 'sync']);
    assert.equal(sync.code, 0, sync.stderr);

    const again = await cli(home, ['--json', 'provision', file]);
    assert.equal(again.code, 0, again.stderr + again.stdout);
    assert.equal(again.json.enrollment, 'already-enrolled');
    const agents = await env.p.platform.admin.listAgents({ site });
    assert.equal(agents.length, 1, 'one agent on the platform after two runs');
  });

  test('without --lang, what follows the file is said in its language: a wrong field, a refusal by the platform, the result, and a later run of a file that names none', async () => {
    const site = await addSite(env.p);
    const home = temp.make('agent-');
    const wrong = await cli(home, ['provision', write({ platformUrl: env.p.url, siteCode: site, token: 'short', language: 'en', installService: false })]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^The provisioning file .* has 1 wrong field\(s\):\n {2}- token: field "token" is wrong: /, wrong.stderr);
    const refusedFile = write({ platformUrl: env.p.url, siteCode: site, token: 'no-such-token-0123456789', language: 'en', installService: false });
    const refused = await cli(home, ['provision', refusedFile]);
    assert.equal(refused.code, 3);
    assert.equal(
      refused.stderr,
      `The enrollment token is not valid. Check it, or ask the national platform operator for a new one. Provisioning from ${refusedFile} stopped at the enrollment: the file's settings are saved, this computer is not enrolled. Once that is fixed (a new token, if one is needed, goes in the file's "token"), run again: edge-agent --home ${home} provision ${refusedFile} (it enrolls, then installs the service; enroll alone does not install it).\n`,
    );
    const token = await env.p.platform.admin.createToken({ site });
    const first = await cli(home, ['provision', write({ platformUrl: env.p.url, siteCode: site, token, language: 'en', installService: false })]);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.match(first.stdout, /^Settings saved\.\nEnrolled: [0-9a-f-]+\.\nService not installed \(installService: false\)\.\n$/);
    const again = await cli(home, ['provision', write({ platformUrl: env.p.url, siteCode: site, token, installService: false })]);
    assert.equal(again.stdout, 'Settings saved.\nThis computer was already enrolled: enrollment skipped.\nService not installed (installService: false).\n', 'the folder\'s language, en since the first run');
    const vi = await cli(home, ['--lang', 'vi', 'provision', write({ platformUrl: env.p.url, siteCode: site, token, language: 'en', installService: false })]);
    assert.equal(vi.stdout.split('\n')[0], 'Đã lưu cấu hình.', '--lang wins');
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CliIo } from '../../national-platform/src/cli/context.js';
import { dateTime as platformDateTime } from '../../national-platform/src/cli/date-time.js';
import { runCli } from '../../national-platform/src/cli/program.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { proofReason } from '../../national-platform/src/cli/proof-reasons.js';
import { dateTime } from '../../sync-engine/src/cli/output.js';

// The operator CLI speaks Vietnamese first, English on a switch: --lang, else NATIONAL_PLATFORM_LANG.
const dir = mkdtempSync(join(tmpdir(), 'platform-cli-lang-'));
const db = join(dir, 'platform.sqlite');
after(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env?: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readStdin: async () => '',
    stopSignal: () => new Promise(() => undefined),
    ...(env ? { env } : {}),
  };
  const code = await runCli(['--db', db, ...args], io);
  return { code, out, err };
}

before(async () => {
  const added = await run(['--lang', 'en', 'sites', 'add', 'HN-01', '--province', '01', '--name', 'UBND phường Ba Đình']);
  assert.equal(added.code, 0, added.err);
});

test('results are in Vietnamese by default and in English with --lang en', async () => {
  const vi = await run(['maintenance', 'on', '--retry-after', '30']);
  assert.deepEqual(vi, { code: 0, out: 'đã bật chế độ bảo trì (tác tử thử lại sau 30 giây)\n', err: '' });
  const en = await run(['--lang', 'en', 'maintenance', 'off']);
  assert.deepEqual(en, { code: 0, out: 'maintenance is off\n', err: '' });

  const status = await run(['status']);
  assert.match(status.out, /^head seq 0, epoch \S+, mốc đã xóa hẳn 0, bảo trì tắt\nepoch bắt đầu bằng "epoch new": chưa có trên cơ sở dữ liệu này/);
  const statusEn = await run(['status', '--lang', 'en']);
  assert.match(statusEn.out, /^head seq 0, epoch \S+, purge horizon 0, maintenance off\nepochs begun by "epoch new": none on this database/);
});

test('tables are headed in the chosen language; --json keeps the same keys in both', async () => {
  const vi = await run(['sites', 'list']);
  assert.equal(vi.code, 0, vi.err);
  assert.match(vi.out, /^mã +tên +tỉnh +xã +phiên bản phạm vi +cần duyệt +quyền\nHN-01 +UBND phường Ba Đình +01 +\(cả tỉnh\) +1 +không/);
  const en = await run(['--lang', 'en', 'sites', 'list']);
  assert.match(en.out, /^code +name +province +communes +scopeVersion +approval +access\nHN-01 +UBND phường Ba Đình +01 +\(all\) +1 +no/);
  assert.equal((await run(['agents', 'list'])).out, '(không có)\n');
  assert.equal((await run(['--lang', 'en', 'agents', 'list'])).out, '(none)\n');

  const jsonVi = await run(['sites', 'list', '--json']);
  const jsonEn = await run(['--lang', 'en', 'sites', 'list', '--json']);
  assert.equal(jsonVi.out, jsonEn.out);
  assert.deepEqual(Object.keys((JSON.parse(jsonVi.out) as object[])[0] ?? {}).sort(), ['access', 'code', 'createdAt', 'name', 'requireApproval', 'scope', 'scopeVersion']);
});

test('a refusal (a bad --limit) is one line in Vietnamese by default, in English with --lang en', async () => {
  const vi = await run(['messages', 'list', '--limit', '0']);
  assert.deepEqual(vi, { code: 1, out: '', err: 'lỗi: --limit phải là một số nguyên từ 1 đến 10000\n' });
  const en = await run(['--lang', 'en', 'messages', 'list', '--limit', '0']);
  assert.deepEqual(en, { code: 1, out: '', err: 'error: --limit must be a whole number from 1 to 10000\n' });
});

test("the platform's refusals an operator meets, and commander's usage errors, are said in Vietnamese too", async () => {
  const noSite = await run(['tokens', 'create', '--site', 'hn-01']);
  assert.deepEqual(noSite, { code: 1, out: '', err: 'lỗi: không có đơn vị nào mã hn-01 (not_found)\n' });
  assert.equal((await run(['--lang', 'en', 'tokens', 'create', '--site', 'hn-01'])).err, 'error: no site with code hn-01 (not_found)\n');

  const usage = await run(['sites', 'add', 'HN-02', '--name', 'x']);
  assert.equal(usage.code, 1);
  assert.match(usage.err, /^lỗi: Thiếu tùy chọn bắt buộc --province <code>\.\n/);
  const usageEn = await run(['--lang', 'en', 'sites', 'add', 'HN-02', '--name', 'x']);
  assert.match(usageEn.err, /^error: required option '--province <code>' not specified\n/);

  const badLang = await run(['--lang', 'fr', 'status']);
  assert.equal(badLang.code, 1);
  assert.match(badLang.err, /^lỗi: Giá trị 'fr' của tùy chọn --lang <lang> không hợp lệ \(cần vi hoặc en\)\.\n/);
});

test('NATIONAL_PLATFORM_LANG chooses the language without --lang; --lang wins; another value is named and not used', async () => {
  assert.equal((await run(['maintenance', 'off'], { NATIONAL_PLATFORM_LANG: 'en' })).out, 'maintenance is off\n');
  assert.equal((await run(['--lang', 'vi', 'maintenance', 'off'], { NATIONAL_PLATFORM_LANG: 'en' })).out, 'đã tắt chế độ bảo trì\n');
  assert.equal((await run(['maintenance', 'off'], { NATIONAL_PLATFORM_LANG: 'vi' })).out, 'đã tắt chế độ bảo trì\n');
  const typo = await run(['maintenance', 'off'], { NATIONAL_PLATFORM_LANG: 'english' });
  assert.deepEqual(typo, {
    code: 0,
    out: 'đã tắt chế độ bảo trì\n',
    err: 'cảnh báo: NATIONAL_PLATFORM_LANG=english không phải vi hoặc en nên không được dùng\n',
  });
});

test('the warning about a NATIONAL_PLATFORM_LANG it cannot use is in the language --lang chose', async () => {
  const env = { NATIONAL_PLATFORM_LANG: 'english' };
  const warning = 'warning: NATIONAL_PLATFORM_LANG=english is not vi or en, so it is not used\n';
  assert.deepEqual(await run(['--lang', 'en', 'maintenance', 'off'], env), { code: 0, out: 'maintenance is off\n', err: warning });
  assert.deepEqual(await run(['maintenance', 'off', '--lang', 'en'], env), { code: 0, out: 'maintenance is off\n', err: warning });
  const refused = await run(['--lang', 'en', 'messages', 'list', '--limit', '0'], env);
  assert.equal(refused.err, `${warning}error: --limit must be a whole number from 1 to 10000\n`);
  const usage = await run(['--lang', 'en', 'sites', 'add', 'HN-02', '--name', 'x'], env);
  assert.match(usage.err, /^warning: NATIONAL_PLATFORM_LANG=english is not vi or en, so it is not used\nerror: required option '--province <code>' not specified\n/);
  const viUsage = await run(['sites', 'add', 'HN-02', '--name', 'x'], env);
  assert.match(viUsage.err, /^cảnh báo: NATIONAL_PLATFORM_LANG=english không phải vi hoặc en nên không được dùng\nlỗi: Thiếu tùy chọn bắt buộc --province <code>\.\n/);
});

test("times in the text output read dd/mm/yyyy HH:mm in local time in both languages, as the agent CLI's; --json keeps ISO", async () => {
  const created = await run(['tokens', 'create', '--site', 'HN-01', '--json']);
  assert.equal(created.code, 0, created.err);
  const { id } = JSON.parse(created.out) as { id: string };
  const [row] = JSON.parse((await run(['tokens', 'list', '--json'])).out) as { id: string; createdAt: string; expiresAt: string }[];
  assert.equal(row?.id, id);
  assert.match(row?.createdAt ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, '--json keeps the ISO text');
  const cells = `${id}  HN-01   unused  ${dateTime(row?.createdAt ?? '')}  ${dateTime(row?.expiresAt ?? '')}`;
  assert.match(dateTime(row?.createdAt ?? ''), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  const vi = await run(['tokens', 'list']);
  assert.equal(vi.out.split('\n')[1]?.replace(/ +/g, ' '), cells.replace(/ +/g, ' '));
  const en = await run(['--lang', 'en', 'tokens', 'list']);
  assert.equal(en.out.split('\n')[1]?.replace(/ +/g, ' '), cells.replace(/ +/g, ' '));

  const revoked = JSON.parse((await run(['tokens', 'revoke', id, '--json'])).out) as { revokedAt: string };
  assert.equal((await run(['tokens', 'revoke', id])).out, `mã đăng ký ${id} (HN-01) đã bị thu hồi từ ${dateTime(revoked.revokedAt)}\n`);
  assert.equal((await run(['--lang', 'en', 'tokens', 'revoke', id])).out, `token ${id} (HN-01) is revoked since ${dateTime(revoked.revokedAt)}\n`);
});

test("the platform's date formatter writes every instant as the agent CLI's does", () => {
  for (const at of ['2026-01-05T00:00:00Z', '2025-12-31T23:59:59.999Z', '2025-07-01T17:30:00+07:00', 1_767_225_600_000, '2026-03-08', 'not a time', '']) {
    assert.equal(platformDateTime(at), dateTime(at), String(at));
  }
});

test("messages verify's reasons are said in both languages, by the check's reason code", () => {
  const mutationId = '0199a000-0000-7000-8000-000000000001';
  assert.deepEqual(proofReason({ status: 'unverifiable', mutationId, reasonCode: 'not_kept', reason: 'logged before push requests were kept whole: no target URI or body to check' }), {
    vi: 'được ghi nhận trước khi nền tảng giữ nguyên vẹn các yêu cầu gửi lên: không có địa chỉ đích hay nội dung để kiểm tra',
    en: 'logged before push requests were kept whole: no target URI or body to check',
  });
  const vi = (check: Parameters<typeof proofReason>[0]) => proofReason(check).vi;
  assert.equal(vi({ status: 'invalid', mutationId, reasonCode: 'agent_unknown', agentId: 'a-1', reason: 'the agent a-1 is unknown' }), 'không có tác tử a-1');
  assert.equal(vi({ status: 'invalid', mutationId, reasonCode: 'signed_by_other', keyId: 'k-2', agentId: 'a-1', reason: 'signed by k-2, logged for a-1' }), 'được ký bởi k-2, nhưng ghi nhận là của a-1');
  assert.equal(vi({ status: 'invalid', mutationId, reasonCode: 'not_in_body', reason: 'x' }), 'nội dung đã ký không chứa thay đổi này ở vị trí đã ghi nhận');
  assert.equal(vi({ status: 'invalid', mutationId, reasonCode: 'bad_signature', reason: 'signature does not verify' }), 'chữ ký không khớp với khóa công khai của tác tử');
  assert.equal(vi({ status: 'invalid', mutationId, reasonCode: 'bad_signature', reason: 'the signature has no nonce' }), 'không đọc được chữ ký: the signature has no nonce');
});

test("a record's and a site's validation refusals are said in Vietnamese too, as the agent shows them", async () => {
  const file = join(dir, 'birth.json');
  writeFileSync(file, JSON.stringify({ ...createSampleGenerator(5).birth('01'), personalId: '12345' }));
  const vi = await run(['records', 'put', 'civil-status-births', file]);
  assert.deepEqual(vi, { code: 1, out: '', err: 'lỗi: bản ghi bị từ chối: /personalId: Số định danh cá nhân phải gồm đúng 12 chữ số\n' });
  const en = await run(['--lang', 'en', 'records', 'put', 'civil-status-births', file]);
  assert.equal(en.err, 'error: the record was refused: /personalId personal_id_format: Personal ID number must be exactly 12 digits.\n');
  const many = join(dir, 'births.json');
  writeFileSync(many, JSON.stringify([createSampleGenerator(6).birth('01'), { ...createSampleGenerator(7).birth('01'), personalId: '12345' }]));
  assert.equal(
    (await run(['records', 'put', 'civil-status-births', many])).err,
    'lỗi: bản ghi bị từ chối: bản ghi thứ 2: /personalId: Số định danh cá nhân phải gồm đúng 12 chữ số\n',
  );
  assert.equal((await run(['records', 'list', 'civil-status-birth'])).err, 'lỗi: không có bộ dữ liệu nào tên "civil-status-birth" (unknown_dataset)\n');

  const site = await run(['sites', 'add', 'HN 02', '--province', '1', '--name', 'x', '--communes', '00004,4']);
  assert.deepEqual(site, {
    code: 1,
    out: '',
    err:
      'lỗi: /code: mã đơn vị chỉ gồm chữ cái, chữ số, - và _, bắt đầu bằng chữ cái hoặc chữ số (1–64 ký tự); /provinceCode: mã tỉnh phải gồm đúng 2 chữ số; ' +
      '/communeCodes/1: mã xã thứ 2 trong --communes phải gồm đúng 5 chữ số (validation_failed)\n',
  });
  assert.match((await run(['--lang', 'en', 'sites', 'add', 'HN 02', '--province', '1', '--name', 'x'])).err, /^error: \/code: letters, digits, - and _ \(1-64\); \/provinceCode: .+ \(validation_failed\)\n$/);
});

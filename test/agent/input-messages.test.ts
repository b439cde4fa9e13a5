import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseCommandInput, type CommandName } from '../../sync-engine/src/api/contract.js';
import { createAgentService } from '../../sync-engine/src/index.js';
import { TempDirs } from './support/agent-fixture.js';

/** Words of zod's own English messages, and the contract's internal field names: neither may reach a person. */
const RAW = /Invalid (input|option|string|URL)|Too small|Too big|expected|received|Unrecognized|platformUrl|(^|[.;] )token:|adminPort|offset/;

const temp = new TempDirs();
after(() => temp.cleanup());

test('a bad platform address or a short token is refused in Vietnamese and English, naming the field as a person calls it', async () => {
  const agent = await createAgentService({ dataDir: temp.make(), onError: () => undefined });
  try {
    const settings = await agent.call('settings.update', { platformUrl: 'not a url' });
    assert.ok(!settings.ok);
    assert.match(settings.error.messages.vi, /^Dữ liệu gửi tới tác tử không hợp lệ\. Địa chỉ nền tảng: .*địa chỉ web đầy đủ/);
    assert.match(settings.error.messages.en, /^What was sent to the agent is not valid\. Platform address: .*full web address/);
    const enrolled = await agent.call('enrollment.enroll', { token: 'short' });
    assert.ok(!enrolled.ok);
    assert.equal(enrolled.error.messages.vi, 'Dữ liệu gửi tới tác tử không hợp lệ. Mã đăng ký: cần ít nhất 16 ký tự.');
    assert.equal(enrolled.error.messages.en, 'What was sent to the agent is not valid. Enrollment token: needs at least 16 characters.');
    for (const error of [settings.error, enrolled.error]) {
      assert.doesNotMatch(error.messages.vi, RAW);
      assert.doesNotMatch(error.messages.en, RAW);
    }
  } finally {
    await agent.close();
  }
});

test('every kind of input problem reads as a sentence in each language, without the validator’s English', () => {
  const cases: Array<[CommandName, unknown, string, string]> = [
    ['enrollment.enroll', {}, 'Mã đăng ký: bắt buộc phải có.', 'Enrollment token: is required.'],
    ['enrollment.enroll', { token: 'x'.repeat(300) }, 'Mã đăng ký: dài tối đa 256 ký tự.', 'Enrollment token: may be at most 256 characters long.'],
    ['settings.update', { adminPort: 80 }, 'Cổng quản trị: phải từ 1024 trở lên.', 'Admin port: must be 1024 or more.'],
    ['settings.update', { adminPort: 8080.5 }, 'Cổng quản trị: phải là số nguyên.', 'Admin port: must be a whole number.'],
    ['settings.update', { language: 'fr' }, 'Ngôn ngữ: phải là một trong: vi, en.', 'Language: must be one of: vi, en.'],
    ['settings.update', { colour: 'blue' }, 'có trường không được hỗ trợ: "colour".', 'has unsupported field(s): "colour".'],
    ['records.list', { dataset: 'NOT A NAME' }, 'Bộ dữ liệu: không đúng định dạng.', 'Dataset: is not in the right form.'],
    ['records.list', { dataset: 'births', limit: 0 }, 'Số dòng tối đa: phải từ 1 trở lên.', 'Row limit: must be 1 or more.'],
    ['conflicts.resolveMany', { ids: [], take: 'local' }, 'Danh sách mã: cần ít nhất 1 mục.', 'List of ids: needs at least 1 item.'],
  ];
  for (const [command, input, vi, en] of cases) {
    const parsed = parseCommandInput(command, input);
    assert.ok(!parsed.ok, command);
    assert.ok(parsed.error.messages.vi.endsWith(vi), `${parsed.error.messages.vi} ends with ${vi}`);
    assert.ok(parsed.error.messages.en.endsWith(en), `${parsed.error.messages.en} ends with ${en}`);
    assert.doesNotMatch(parsed.error.messages.vi, RAW);
    assert.doesNotMatch(parsed.error.messages.en, RAW);
  }
});

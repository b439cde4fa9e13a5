import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hostUnavailableBox, startFailedBox, windowNotBuiltBox } from '../../main/src/startup-dialogs.js';
import { StoreNewerError } from '../../sync-engine/src/store/migrate.js';

/** Vietnamese diacritics: a sentence a Vietnamese reader can read has some. */
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

function assertVietnameseThenEnglish(box: { title: string; content: string }, englishStart: string): void {
  const [vi, en] = box.content.split('\n\n');
  assert.match(box.title, VIETNAMESE, box.title);
  assert.match(box.title, / \/ [A-Z]/, `the title has its English after the Vietnamese: ${box.title}`);
  assert.match(vi ?? '', VIETNAMESE, `Vietnamese first: ${box.content}`);
  assert.ok(en?.startsWith(englishStart), `English under it: ${box.content}`);
}

test('a window that is not built is explained in Vietnamese, then English, with the missing path once', () => {
  const box = windowNotBuiltBox('/opt/ndxp/dist/renderer/index.html');
  assertVietnameseThenEnglish(box, 'The window is not built');
  assert.equal(box.title, 'Không mở được tác tử / Cannot open the agent');
  assert.equal(box.content.split('/opt/ndxp/dist/renderer/index.html').length, 2);
  assert.ok(box.content.endsWith('\n\n/opt/ndxp/dist/renderer/index.html'));
});

test('a start that fails is explained in Vietnamese, then English, with the error text for IT', () => {
  const box = startFailedBox(new Error('The data folder is synced by another process (service).'));
  assertVietnameseThenEnglish(box, 'The agent could not start');
  assert.equal(box.title, 'Tác tử đồng bộ NDXP / NDXP edge agent');
  assert.ok(box.content.endsWith('\n\nThe data folder is synced by another process (service).'));
  assert.ok(startFailedBox('disk gone').content.endsWith('\n\ndisk gone'));
});

test('a data file a newer version of the agent upgraded is explained in its own words, Vietnamese then English, not as an unknown error', () => {
  const error = new StoreNewerError('/var/lib/ndxp-edge-agent/agent.sqlite', ['FutureChange1799999999999']);
  const box = startFailedBox(error);
  assert.deepEqual(box, { title: 'Không mở được tác tử / Cannot open the agent', content: `${error.messages.vi}\n\n${error.messages.en}` });
  assert.match(box.content, /phiên bản mới hơn của tác tử[\s\S]*a newer version of the agent/);
  assert.doesNotMatch(box.content, /could not start|send the text below/);
});

test('an unavailable host shows its reason in both languages, Vietnamese first', () => {
  const box = hostUnavailableBox({ vi: 'Dịch vụ nền không trả lời.', en: 'The background service does not answer.' });
  assert.deepEqual(box, {
    title: 'Không mở được tác tử / Cannot open the agent',
    content: 'Dịch vụ nền không trả lời.\n\nThe background service does not answer.',
  });
});

test('every error box the main process shows is built here, none from a literal of one language', () => {
  const dir = fileURLToPath(new URL('../../main/src/', import.meta.url));
  const calls = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => [...readFileSync(dir + f, 'utf8').matchAll(/showErrorBox\(([^;]*)\);/g)].map((m) => `${f}: ${m[1] ?? ''}`));
  assert.ok(calls.length >= 3, calls.join('\n'));
  for (const call of calls) assert.match(call, /: box\.title, box\.content$/, call);
});

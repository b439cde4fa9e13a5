import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/catalog.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import type { RecordError } from '../../sync-engine/src/protocol/push.js';
import { fieldTitles } from '../../sync-engine/src/protocol/validation/index.js';
import { rejection } from '../../national-platform/src/services/rejections.js';

type Kind = keyof typeof rejection;

function fieldsOf(d: DatasetDescriptor): string[] {
  return Object.keys((d.schema['properties'] ?? {}) as Record<string, unknown>);
}

/** Every refusal kind as the platform makes it for one dataset; `unique` once per unique field. */
function refusalsOf(d: DatasetDescriptor): Record<Kind, RecordError[]> {
  return {
    invalidMutation: [rejection.invalidMutation('baseRev: Expected number')],
    unknownDataset: [],
    access: [rejection.access(d)],
    notFound: [rejection.notFound()],
    dataRequired: [rejection.dataRequired()],
    tooLarge: [rejection.tooLarge(65_536)],
    recordOutOfScope: [rejection.recordOutOfScope()],
    dataOutOfScope: [rejection.dataOutOfScope(`/${d.scopeField ?? ''}`)],
    unique: d.uniqueFields.map((f) => rejection.unique(d, f, '001200000001')),
  };
}

/** A key as a whole word (keys are letters, digits and hyphens). */
const word = (key: string) => new RegExp(`(^|[^\\p{L}\\p{N}_-])${key}($|[^\\p{L}\\p{N}_-])`, 'u');

for (const d of DATASETS) {
  test(`refusals about ${d.name} name no internal dataset or field key in either language`, () => {
    const all = refusalsOf(d);
    assert.deepEqual(Object.keys(all).sort(), Object.keys(rejection).sort(), 'every refusal kind is covered');
    const keys = [d.name, ...fieldsOf(d)];
    for (const [kind, errors] of Object.entries(all)) {
      for (const e of errors) {
        for (const lang of ['vi', 'en'] as const) {
          const text = e.messages?.[lang] ?? '';
          assert.ok(text.length > 0, `${kind} has a ${lang} message`);
          for (const key of keys) assert.doesNotMatch(text, word(key), `${kind} (${lang}) names “${key}”: ${text}`);
          if (lang === 'vi') assert.doesNotMatch(text, /tập dữ liệu/, `${kind} says “bộ dữ liệu” as the window does`);
        }
        assert.equal(e.message, e.messages?.en);
      }
    }
  });
}

test('access names the dataset by its title in each language, and keeps its code and path', () => {
  const d = DATASETS.find((x) => x.name === 'civil-status-births') as DatasetDescriptor;
  const e = rejection.access(d);
  assert.equal(e.code, 'access');
  assert.equal(e.path, '');
  assert.ok(e.messages?.vi.includes(d.title.vi), e.messages?.vi);
  assert.ok(e.messages?.en.includes(d.title.en), e.messages?.en);
  assert.match(e.messages?.vi ?? '', /bộ dữ liệu/);
});

test('unique names the field by its title and keeps the field key in the path', () => {
  const d = DATASETS.find((x) => x.name === 'civil-status-births') as DatasetDescriptor;
  const e = rejection.unique(d, 'personalId', '001200000001');
  const t = fieldTitles(d, 'personalId');
  assert.equal(e.code, 'unique');
  assert.equal(e.path, '/personalId');
  assert.ok(e.messages?.vi.startsWith(`${t.vi} “001200000001”`), e.messages?.vi);
  assert.ok(e.messages?.en.startsWith(`${t.en} “001200000001”`), e.messages?.en);
});

test('without a title, the internal name is what a refusal can show', () => {
  const untitled = { name: 'old-registry', title: { vi: '', en: '' }, schema: { properties: { code: { type: 'string' } } } };
  assert.match(rejection.access(untitled).messages?.vi ?? '', /“old-registry”/);
  assert.match(rejection.unique(untitled, 'code', 'A1').messages?.en ?? '', /^code “A1”/);
  assert.match(rejection.unknownDataset('no-such-dataset').messages?.vi ?? '', /bộ dữ liệu “no-such-dataset”/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AnswerJsonError, parseAnswerJson, parsePageByEntry } from '../../sync-engine/src/adapters/answer-json.js';
import { entryJson, pageJson, removedJson, type FeedRow } from '../../national-platform/src/services/feed-json.js';

const ID = '0199a000-0000-7000-8000-000000000001';

function row(seq: number, data: unknown, deleted = false): FeedRow {
  return {
    seq,
    id: ID,
    rev: seq,
    deleted,
    data: deleted ? null : Buffer.from(JSON.stringify(data)),
    updatedAt: '2025-10-01T03:00:00.000Z',
    updatedBy: '{"siteCode":"01-HN","agentId":"a1","user":"Nguyễn Văn A"}',
    place: { provinceCode: '01', communeCode: null },
  };
}

const body = (text: string) => Buffer.from(text, 'utf8');

test('a page as the reference platform writes it is read entry by entry, to the value of the whole body', () => {
  const page = pageJson(
    [
      entryJson(row(1, { fullName: 'Trần Thị Bích Ngọc', notes: 'Ghi chú: "đã đối chiếu", {"seq":1}, \\ và ,{"seq": trong văn bản' })),
      entryJson(row(2, null, true)),
      removedJson({ seq: 3, id: ID }),
      entryJson(row(4, { fullName: 'Lê Văn Đạt', children: [{ name: 'An' }] })),
    ],
    'cursor-ĐÃ-đọc',
    true,
  ).bytes;
  const whole: unknown = JSON.parse(page.toString('utf8'));
  assert.deepEqual(parsePageByEntry(page), whole);
  assert.deepEqual(parseAnswerJson(page), whole);
  assert.equal((parseAnswerJson(page) as { changes: unknown[] }).changes.length, 4);
});

test('a page of one entry, and an empty page, read the same as the whole body', () => {
  for (const text of ['{"changes":[{"seq":1,"id":"x"}],"cursor":"c","hasMore":false}', '{"changes":[],"cursor":"c","hasMore":false}']) {
    assert.deepEqual(parseAnswerJson(body(text)), JSON.parse(text));
  }
});

test('a break inside an entry (a nested object that starts with seq) gives up the entry-by-entry read, not the page', () => {
  const text = '{"changes":[{"seq":1,"data":{"rows":[{"a":1},{"seq":2,"b":[]}]}},{"seq":3,"id":"y"}],"cursor":"c","hasMore":false}';
  assert.equal(parsePageByEntry(body(text)), undefined);
  assert.deepEqual(parseAnswerJson(body(text)), JSON.parse(text));
});

test('a second "changes" key means what JSON.parse says: the last one', () => {
  const text = '{"changes":[{"seq":1},{"seq":2}],"cursor":"c","changes":[{"seq":9}],"hasMore":false}';
  assert.equal(parsePageByEntry(body(text)), undefined);
  assert.deepEqual(parseAnswerJson(body(text)), { changes: [{ seq: 9 }], cursor: 'c', hasMore: false });
});

test('a __proto__ key in any entry of a long page is refused', () => {
  const entries = Array.from({ length: 5 }, (_, i) => (i === 3 ? `{"seq":${i + 1},"data":{"__proto__":{"polluted":true}}}` : `{"seq":${i + 1},"data":{"a":"__proto__"}}`));
  const text = `{"changes":[${entries.join(',')}],"cursor":"c","hasMore":false}`;
  assert.throws(() => parseAnswerJson(body(text)), (e: unknown) => e instanceof AnswerJsonError && e.problem === 'proto_key');
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});

test('a __proto__ key spelled with escapes is refused too, in a long page and in a whole body', () => {
  const hidden = '{"seq":4,"data":{"\\u005f_proto__":{"polluted":true}}}';
  const long = `{"changes":[{"seq":1,"data":{}},{"seq":2,"data":{}},${hidden},{"seq":5,"data":{}}],"cursor":"c","hasMore":false}`;
  const whole = `{"cursor":"c","changes":[${hidden}],"hasMore":false}`;
  for (const text of [long, whole]) {
    assert.ok(Object.hasOwn((JSON.parse(text) as { changes: Array<{ data: object }> }).changes.find((c) => c.data && Object.keys(c.data).length > 0)?.data ?? {}, '__proto__'));
    assert.throws(() => parseAnswerJson(body(text)), (e: unknown) => e instanceof AnswerJsonError && e.problem === 'proto_key', text);
  }
  // An escape elsewhere, with no such key, reads as JSON.parse reads it.
  const harmless = '{"changes":[{"seq":1,"data":{"a":"\\u0041"}},{"seq":2,"data":{"b":1}}],"cursor":"c","hasMore":false}';
  assert.deepEqual(parseAnswerJson(body(harmless)), JSON.parse(harmless));
});

test('a page cut short, or not JSON at all, is not_json', () => {
  const page = '{"changes":[{"seq":1,"id":"x"},{"seq":2,"id":"y"}],"cursor":"c","hasMore":false}';
  for (const text of [page.slice(0, 40), page.slice(0, page.length - 1), `${page}{}`, '<h1>502 Bad Gateway</h1>', '']) {
    assert.throws(() => parseAnswerJson(body(text)), (e: unknown) => e instanceof AnswerJsonError && e.problem === 'not_json', text);
  }
});

test('any page-shaped body reads to the value JSON.parse gives for the whole body (property)', () => {
  // Strings and keys made of the bytes the split looks for, so breaks turn up inside strings and nested objects.
  const tricky = fc.constantFrom(',{"seq":', '{"seq":1}', '"changes"', '\\', '"', '],"cursor":', 'Đồng Tháp', '__proto__', '');
  const text = fc.oneof(fc.string(), tricky, fc.array(tricky).map((parts) => parts.join('')));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.constant(null), tie('list'), tie('object'), tie('seqFirst')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    object: fc.dictionary(fc.oneof(text, fc.constantFrom('seq', 'changes')), tie('node'), { maxKeys: 4 }),
    seqFirst: fc.tuple(fc.integer(), fc.dictionary(text, tie('node'), { maxKeys: 3 })).map(([seq, rest]) => ({ seq, ...rest })),
  }));
  const entry = fc.tuple(fc.nat(), fc.dictionary(fc.oneof(text, fc.constant('changes')), value.node, { maxKeys: 4 })).map(([seq, rest]) => ({ seq, ...rest }));
  const page = fc.record({ changes: fc.array(entry, { maxLength: 6 }), cursor: text, hasMore: fc.boolean() }, { noNullPrototype: true });
  let byEntry = 0;
  let whole = 0;
  fc.assert(
    fc.property(page, fc.boolean(), fc.boolean(), (p, spaced, escaped) => {
      const json = spaced ? JSON.stringify(p, null, 1).replace(/^\{\n "changes": \[/, '{"changes":[') : JSON.stringify(p);
      // A `"__proto__":` in JSON text is always a key (inside a string its quotes would be escaped).
      const raw = Buffer.from(escaped ? json.replaceAll('"__proto__":', '"\\u005f_proto__":') : json);
      if (holdsProtoKey(raw.toString('utf8'))) {
        assert.throws(() => parseAnswerJson(raw), (e: unknown) => e instanceof AnswerJsonError && e.problem === 'proto_key');
      } else {
        assert.deepEqual(parseAnswerJson(raw), JSON.parse(raw.toString('utf8')));
      }
      if (parsePageByEntry(raw) === undefined) whole += 1;
      else byEntry += 1;
    }),
    { numRuns: 500 },
  );
  // Both ways were taken: the property covers the split, not only the fallback.
  assert.ok(byEntry > 50 && whole > 50, `${byEntry} by entry, ${whole} whole`);
});

/** The oracle: JSON.parse's own reading of every key (a reviver sees each one, however it is spelled). */
function holdsProtoKey(text: string): boolean {
  let found = false;
  JSON.parse(text, (key, value: unknown) => {
    if (key === '__proto__') found = true;
    return value;
  });
  return found;
}

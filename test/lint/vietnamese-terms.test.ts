import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The Vietnamese the product shows keeps to docs/glossary.md: one word for each
// concept and one tone-mark style. This reads every Vietnamese message (vi.json,
// the string literals of the agent, the window, the platform, and the Vietnamese
// part of docs/operations.md with its title) and lists those that use a word the
// glossary replaced.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Place names and people's names keep the spelling of their source lists. */
const SKIPPED = [/[\\/]reference-data[\\/]/, /[\\/]seed[\\/]/, /search-fold\.ts$/, /fts-query\.ts$/];
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/iu;

type Text = { where: string; text: string };

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !SKIPPED.some((s) => s.test(path))) out.push(path);
  }
  return out;
}

function literals(file: string): Text[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Text[] = [];
  const visit = (n: ts.Node): void => {
    const text = ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) ? n.text : ts.isTemplateExpression(n) ? n.getText() : undefined;
    if (text !== undefined && VIETNAMESE.test(text)) {
      out.push({ where: `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`, text });
      return;
    }
    n.forEachChild(visit);
  };
  visit(source);
  return out;
}

function messages(): Text[] {
  const flat = (tree: object, prefix: string): Text[] =>
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [{ where: `vi.json ${prefix}${k}`, text: v }] : flat(v as object, `${prefix}${k}.`)));
  const vi = flat(JSON.parse(readFileSync(join(ROOT, 'renderer', 'src', 'i18n', 'vi.json'), 'utf8')) as object, '');
  const code = ['sync-engine/src', 'main/src', 'renderer/src', 'national-platform/src'].flatMap((d) => sources(join(ROOT, d)).flatMap(literals));
  const ops = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8').split('\n');
  const from = ops.findIndex((l) => l.startsWith('## 2. Tiếng Việt'));
  assert.ok(from > 0, 'docs/operations.md has its Vietnamese part');
  const doc = [{ where: 'docs/operations.md:1', text: ops[0]! }, ...ops.slice(from).map((text, i) => ({ where: `docs/operations.md:${from + i + 1}`, text }))];
  return [...vi, ...code, ...doc];
}

const all = messages();

function offending(pattern: RegExp): string[] {
  return all.filter((m) => pattern.test(m.text)).map((m) => `${m.where}: ${m.text.match(pattern)?.[0]}`);
}

test('the Vietnamese read is a real set: messages from each source', () => {
  for (const where of ['vi.json', 'sync-engine/src/cli/', 'sync-engine/src/service/', 'main/src/', 'docs/operations.md']) {
    assert.ok(all.some((m) => m.where.startsWith(where)), where);
  }
});

test('tone marks sit as official documents place them: hóa, xóa, khóa, hòa, tùy, hủy, khỏe (not hoá, xoá, khoá, hoà, tuỳ, huỷ, khoẻ)', () => {
  // oa, oe, uy closing a syllable carry the mark on the first vowel; quý keeps it on y (qu is the consonant).
  assert.deepEqual(offending(/(?<![\p{L}])\p{L}*(?:o[áàảãạéèẻẽẹ]|(?<!q)u[ýỳỷỹỵ])(?!\p{L})/iu), []);
});

/** The word the glossary chose, and the variants it replaced. */
const REPLACED: Array<{ use: string; not: RegExp }> = [
  { use: 'bộ phận CNTT (IT staff)', not: /cán bộ công nghệ thông tin|cán bộ CNTT|bộ phận hỗ trợ/iu },
  { use: 'bộ dữ liệu (dataset)', not: /tập dữ liệu/iu },
  { use: 'giải quyết xung đột (settle a conflict)', not: /xử lý[^.;:!?]{0,12}xung đột|xung đột[^.;:!?]{0,30}xử lý/iu },
  { use: 'xung đột đang chờ (open conflicts)', not: /xung đột mở/iu },
  { use: 'số định danh cá nhân (personal ID number)', not: /số định danh(?! cá nhân)/iu },
  { use: 'đơn vị (office)', not: /cơ quan/iu },
  { use: 'bảng điều khiển web (web console)', not: /trang quản trị web/iu },
  { use: 'lần đồng bộ gần nhất (last sync)', not: /lần đồng bộ trước(?! khi)/iu },
  { use: 'tác tử đồng bộ NDXP (the product)', not: /tác tử biên/iu },
  { use: 'đơn vị vận hành nền tảng (platform operator)', not: /bộ phận vận hành|(?<!người )quản trị nền tảng/iu },
  { use: 'dịch vụ nền (background service)', not: /dịch vụ tác tử/iu },
];

for (const { use, not } of REPLACED) {
  test(`glossary: ${use}`, () => {
    assert.deepEqual(offending(not), []);
  });
}

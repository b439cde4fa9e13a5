import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import ts from 'typescript';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'renderer', 'src');
type Tree = { [key: string]: string | Tree };

function load(language: 'vi' | 'en'): Tree {
  return JSON.parse(readFileSync(join(SRC, 'i18n', `${language}.json`), 'utf8')) as Tree;
}

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (n: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

const vi = flatten(load('vi'));
const en = flatten(load('en'));
const LETTER = /\p{L}/u;
/** Attributes a person reads or hears. */
const LABEL_ATTRIBUTES = new Set(['aria-label', 'title', 'placeholder', 'alt', 'label', 'aria-description', 'aria-roledescription']);

/** English's singular of a count (i18next picks `key_one` for a count of 1); Vietnamese has one form, the key itself. */
const SINGULAR = /_one$/;

test('vi.json and en.json hold the same keys, none of them empty', () => {
  assert.deepEqual([...vi.keys()].filter((k) => !en.has(k)), [], 'keys only in Vietnamese');
  assert.deepEqual([...en.keys()].filter((k) => !vi.has(k) && !(SINGULAR.test(k) && vi.has(k.replace(SINGULAR, '')))), [], 'keys only in English');
  for (const [key, value] of [...vi, ...en]) assert.notEqual(value.trim(), '', key);
});

/** Keys written twice in one object of a message file, as `path.key`: JSON.parse keeps the last, so an edit to the first is silently lost. */
function keysWrittenTwice(language: 'vi' | 'en'): string[] {
  const file = ts.parseJsonText(`${language}.json`, readFileSync(join(SRC, 'i18n', `${language}.json`), 'utf8'));
  const twice: string[] = [];
  const visit = (node: ts.Node, path: string): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const seen = new Set<string>();
      for (const property of node.properties) {
        if (!ts.isPropertyAssignment(property) || !ts.isStringLiteral(property.name)) continue;
        const key = property.name.text;
        if (seen.has(key)) twice.push(path + key);
        seen.add(key);
        visit(property.initializer, `${path}${key}.`);
      }
    } else node.forEachChild((child) => visit(child, path));
  };
  visit(file, '');
  return twice;
}

test('no key is written twice in a message file', () => {
  assert.deepEqual(keysWrittenTwice('vi'), []);
  assert.deepEqual(keysWrittenTwice('en'), []);
});

test('both files use the same {{placeholders}} in each message', () => {
  const names = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
  for (const [key, text] of vi) assert.deepEqual(names(en.get(key) ?? ''), names(text), key);
  for (const [key, text] of en) if (SINGULAR.test(key)) assert.deepEqual(names(text), names(en.get(key.replace(SINGULAR, '')) ?? ''), key);
});

test('English says one of a thing in the singular ("1 conflict needs…", not "1 conflicts need…"), as i18next picks it for a count of 1', () => {
  const instance = i18next.createInstance();
  void instance.init({ resources: { en: { translation: load('en') } }, lng: 'en', fallbackLng: false, interpolation: { escapeValue: false }, initAsync: false });
  const plural = /\b1 (records|changes|conflicts|fields|events|attempts)\b/;
  const wrong: string[] = [];
  for (const key of en.keys()) {
    if (SINGULAR.test(key)) continue;
    const names = [...(en.get(key) ?? '').matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
    // Each number in the message is 1 in turn, the others 2; the call passes the number that chooses the form as `count`.
    for (const one of names) {
      const values = Object.fromEntries(names.map((n) => [n, n === one ? '1' : '2']));
      const text = String(instance.t(key as never, { ...values, count: 1 } as never));
      if (plural.test(text)) wrong.push(`${key}: ${text}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('every call of a message with an English singular passes the number as `count`', () => {
  const singular = [...en.keys()].filter((k) => SINGULAR.test(k)).map((k) => k.replace(SINGULAR, ''));
  const missing: string[] = [];
  for (const file of sources(SRC)) {
    const source = parse(file);
    walk(source, (n) => {
      if (!ts.isCallExpression(n) || n.expression.getText() !== 't') return;
      const [arg, options] = n.arguments;
      if (!arg) return;
      // A literal key, or `group.${name}` when any message of the group has a singular.
      const counted =
        ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)
          ? singular.includes(arg.text)
          : ts.isTemplateExpression(arg) && singular.some((k) => k.startsWith(arg.head.text));
      const passesCount = options !== undefined && ts.isObjectLiteralExpression(options) && options.properties.some((p) => p.name?.getText() === 'count');
      if (counted && !passesCount) missing.push(`${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1} ${arg.getText()}`);
    });
  }
  assert.deepEqual(missing, []);
});

test('components hold no bare words in JSX text or labelling attributes', () => {
  const found: string[] = [];
  for (const file of sources(SRC).filter((f) => f.endsWith('.tsx'))) {
    const source = parse(file);
    const where = (n: ts.Node) => `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
    walk(source, (n) => {
      if (ts.isJsxText(n) && LETTER.test(n.text)) found.push(`${where(n)} text "${n.text.trim()}"`);
      if (ts.isJsxExpression(n) && n.expression && (ts.isStringLiteral(n.expression) || ts.isNoSubstitutionTemplateLiteral(n.expression)) && LETTER.test(n.expression.text)) {
        if (!ts.isJsxAttribute(n.parent)) found.push(`${where(n)} literal "${n.expression.text}"`);
      }
      if (ts.isJsxAttribute(n) && LABEL_ATTRIBUTES.has(n.name.getText()) && n.initializer && ts.isStringLiteral(n.initializer) && LETTER.test(n.initializer.text)) {
        found.push(`${where(n)} ${n.name.getText()}="${n.initializer.text}"`);
      }
    });
  }
  assert.deepEqual(found, []);
});

test('every translation key the code names exists', () => {
  const missing: string[] = [];
  const groups = new Set([...vi.keys()].flatMap((k) => k.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));
  for (const file of sources(SRC)) {
    const source = parse(file);
    walk(source, (n) => {
      if (!ts.isCallExpression(n) || n.expression.getText() !== 't') return;
      const arg = n.arguments[0];
      if (!arg) return;
      if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) {
        if (!vi.has(arg.text)) missing.push(`${relative(ROOT, file)}: ${arg.text}`);
      } else if (ts.isTemplateExpression(arg)) {
        // `health.${state}`: the group must exist; its members are checked by the compiler's key types.
        const group = arg.head.text.replace(/\.$/, '');
        if (!groups.has(group)) missing.push(`${relative(ROOT, file)}: ${arg.head.text}…`);
      } else if (ts.isConditionalExpression(arg)) {
        for (const branch of [arg.whenTrue, arg.whenFalse]) {
          if (ts.isStringLiteral(branch) && !vi.has(branch.text)) missing.push(`${relative(ROOT, file)}: ${branch.text}`);
        }
      }
    });
  }
  assert.deepEqual(missing, []);
});

test('no component renders markup from a string (record fields stay inert text)', () => {
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML|document\.write/, relative(ROOT, file));
  }
});

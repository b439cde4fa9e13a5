import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { refusals } from '../../sync-engine/src/service/service-errors.js';
import { parseProblem } from '../support/cli-parse.js';

/**
 * The commands a person is told to type (the Settings screen, the agent's
 * refusals the window shows, docs/cli.md, README) must parse with the real
 * `edge-agent` parser. Placeholders become sample values; nothing is run.
 */
const ROOT = join(import.meta.dirname, '../..');

/** Placeholders a parser reads as numbers. */
const NUMBERS = new Set(['N', 'MS', 'SEQ', 'PORT']);

/**
 * A shown command as the words a person would type: optional parts dropped (or
 * all kept), the first of alternatives taken, placeholders filled.
 */
function wordsOf(shown: string, keepOptional = false): string[] {
  let text = shown.replace(/^edge-agent\s+/, '').replace(/<[^>]*>/g, 'VALUE');
  const innermost = /[[(]([^[\]()]*)[\])]/;
  while (innermost.test(text)) {
    text = text.replace(innermost, (whole, inside: string) => (whole.startsWith('[') && !keepOptional ? ' ' : ` ${inside.split(/\s\|\s/)[0]} `));
  }
  return text
    .split(/\s+/)
    .map((w) => w.replace(/(\.\.\.|…)$/, ''))
    .filter((w) => w !== '')
    .map((w) => w.split('|')[0]!)
    .map((w) => (NUMBERS.has(w) ? '1' : /^[\p{Lu}_.-]+$/u.test(w) ? 'VALUE' : w));
}

async function assertAllParse(shown: Iterable<string>): Promise<void> {
  const problems: string[] = [];
  for (const command of shown) {
    const forms = new Map([wordsOf(command), wordsOf(command, true)].map((words) => [words.join(' '), words]));
    for (const words of forms.values()) {
      const problem = await parseProblem(words);
      if (problem) problems.push(`"${command}" as ${words.join(' ')}: ${problem}`);
    }
  }
  assert.deepEqual(problems, []);
}

function strings(tree: unknown): string[] {
  if (typeof tree === 'string') return [tree];
  return tree && typeof tree === 'object' ? Object.values(tree).flatMap(strings) : [];
}

test('the parser check itself refuses an unknown option, a missing argument and an unknown command', async () => {
  assert.match((await parseProblem(wordsOf('edge-agent diagnostics --out FILE'))) ?? '', /unknown option '--out'/);
  assert.match((await parseProblem(wordsOf('edge-agent restore'))) ?? '', /missing required argument/);
  assert.match((await parseProblem(wordsOf('edge-agent init --site <code>'))) ?? '', /required option '--platform <url>'/);
  assert.match((await parseProblem(wordsOf('edge-agent diagnose FILE'))) ?? '', /unknown command/);
  assert.equal(await parseProblem(wordsOf('edge-agent conflicts resolve ID (--take local|national | --field NAME=local|national ...)')), null);
});

test('every command the Settings screen shows parses with the real CLI, in Vietnamese and English', async () => {
  for (const language of ['vi', 'en']) {
    const tree: unknown = JSON.parse(readFileSync(join(ROOT, 'renderer/src/i18n', `${language}.json`), 'utf8'));
    const shown = strings(tree).filter((s) => s.startsWith('edge-agent '));
    // Backup and diagnostics are buttons now; restore stays a command for IT (the service must be stopped).
    assert.ok(shown.length >= 1, `restore is shown in ${language}`);
    await assertAllParse(shown);
  }
});

test("every command the agent's refusals tell a person to run parses", async () => {
  const shown = Object.values(refusals)
    .filter((make) => make.length === 0)
    .flatMap((make) => {
      const { messages } = (make as () => { messages: { vi: string; en: string } })();
      return [messages.vi, messages.en].flatMap((text) => [...text.matchAll(/"(edge-agent [^"]+)"/g)].map((m) => m[1]!));
    });
  assert.ok(shown.length >= 6, 'init, enroll and the site code in both languages');
  await assertAllParse(shown);
});

test('every command docs/cli.md documents and README runs parses', async () => {
  const cli = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
  const headings = [...cli.matchAll(/^### `([^`]+)`/gm)].map((m) => m[1]!);
  const table = [...cli.matchAll(/^\| `([a-z][^`]*)` \|/gm)].map((m) => m[1]!.replace(/\\\|/g, '|'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const runs = [...readme.matchAll(/^npm run agent -- (.+?)(\s+#.*)?$/gm)].map((m) => m[1]!.replace(/--home \S+ /, ''));
  assert.ok(headings.length >= 15 && table.length >= 9 && runs.length >= 3, 'the docs were read');
  await assertAllParse([...headings, ...table, ...runs]);
});

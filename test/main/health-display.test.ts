import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { HEALTH_DISPLAY, type HealthDisplayState } from '../../sync-engine/src/api/index.js';
import { healthName } from '../../main/src/strings.js';
import { TONE_COLOURS } from '../../main/src/tray-icon.js';

/**
 * The window and the tray name and colour each connection state alike. The
 * window cannot import the engine's table, so its copies are read here from
 * its sources: i18n words, the badge's tone table, the CSS colours.
 */
const RENDERER = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'renderer', 'src');
const STATES = Object.keys(HEALTH_DISPLAY) as HealthDisplayState[];

function windowWords(language: 'vi' | 'en'): Record<string, string> {
  return (JSON.parse(readFileSync(join(RENDERER, 'i18n', `${language}.json`), 'utf8')) as { health: Record<string, string> }).health;
}

/** HEALTH_TONE's object literal in HealthBadge.tsx, through its `as const satisfies`. */
function windowTones(): Record<string, string> {
  const path = join(RENDERER, 'components', 'HealthBadge.tsx');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  let literal: ts.ObjectLiteralExpression | null = null;
  const visit = (node: ts.Node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'HEALTH_TONE' && node.initializer) {
      let value: ts.Expression = node.initializer;
      while (ts.isSatisfiesExpression(value) || ts.isAsExpression(value) || ts.isParenthesizedExpression(value)) value = value.expression;
      if (ts.isObjectLiteralExpression(value)) literal = value;
    }
    node.forEachChild(visit);
  };
  visit(source);
  assert.ok(literal, 'HEALTH_TONE is an object literal in HealthBadge.tsx');
  const tones: Record<string, string> = {};
  for (const property of (literal as ts.ObjectLiteralExpression).properties) {
    assert.ok(ts.isPropertyAssignment(property) && ts.isStringLiteral(property.initializer), property.getText());
    tones[property.name.getText()] = property.initializer.text;
  }
  return tones;
}

function cssLineColour(tone: string): [number, number, number] {
  const css = readFileSync(join(RENDERER, 'styles', 'frame.css'), 'utf8');
  const hex = new RegExp(`--${tone}-line:\\s*#([0-9a-f]{6})`, 'i').exec(css)?.[1];
  assert.ok(hex, `--${tone}-line in frame.css`);
  return [0, 2, 4].map((at) => parseInt(hex.slice(at, at + 2), 16)) as [number, number, number];
}

test('the window and the tray give each connection state the same name, in both languages', () => {
  for (const language of ['vi', 'en'] as const) {
    const words = windowWords(language);
    for (const state of STATES) assert.equal(words[state], healthName(language, state), `${language} ${state}`);
  }
});

test('the window and the tray give each connection state the same colour', () => {
  const tones = windowTones();
  for (const state of STATES.filter((s) => s !== 'unknown')) assert.equal(tones[state], HEALTH_DISPLAY[state].tone, state);
  assert.deepEqual(Object.keys(tones).sort(), STATES.filter((s) => s !== 'unknown').sort());
  for (const tone of Object.keys(TONE_COLOURS) as (keyof typeof TONE_COLOURS)[]) assert.deepEqual([...TONE_COLOURS[tone]], cssLineColour(tone), tone);
});

test('online reads as online, and a stopped sync is red', () => {
  assert.equal(healthName('vi', 'online'), 'Trực tuyến');
  for (const state of ['offline', 'unauthorized', 'clock_skew'] as const) assert.equal(HEALTH_DISPLAY[state].tone, 'danger', state);
  assert.equal(HEALTH_DISPLAY.degraded.tone, 'warn');
  assert.equal(HEALTH_DISPLAY.unknown.tone, 'neutral');
});

test('a connection never checked is grey and says so, not red "offline"', () => {
  assert.equal(HEALTH_DISPLAY.unchecked.tone, 'neutral');
  assert.equal(healthName('vi', 'unchecked'), 'Chưa kiểm tra');
  assert.equal(healthName('en', 'unchecked'), 'Not checked yet');
});

import type { Localized } from './language.js';

/**
 * Commander's usage errors ("error: required option '--site <code>' not
 * specified") in Vietnamese and English. The platform's own copy of the agent
 * CLI's (sync-engine/src/cli/usage-errors.ts), which it may not import: the
 * English is commander's line without its "error: " prefix; an error not
 * known here keeps that line in both languages.
 */
export function usageErrorMessages(line: string): Localized {
  const en = line.trim().replace(/^error:\s*/, '');
  for (const [pattern, vi] of PATTERNS) {
    const match = pattern.exec(en);
    if (match) return { vi: vi(match), en };
  }
  return { vi: en, en };
}

const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^required option '(.+)' not specified$/, (m) => `Thiếu tùy chọn bắt buộc ${m[1]}.`],
  [/^missing required argument '(.+)'$/, (m) => `Thiếu tham số ${m[1]}.`],
  [/^option '(.+)' argument missing$/, (m) => `Tùy chọn ${m[1]} cần một giá trị.`],
  [/^option '(.+)' argument '(.*)' is invalid\.\s*(.*)$/s, (m) => `Giá trị '${m[2]}' của tùy chọn ${m[1]} không hợp lệ${m[3] ? ` (${expectedVi(m[3])})` : ''}.`],
  [/^unknown option '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/, (m) => `Không có tùy chọn ${m[1]}${m[2] ? ` (có phải ${m[2]}?)` : ''}.`],
  [/^unknown command '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/, (m) => `Không có lệnh ${m[1]}${m[2] ? ` (có phải ${m[2]}?)` : ''}.`],
  [/^too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/, (m) => `Thừa tham số${m[1] ? ` cho lệnh ${m[1]}` : ''}: cần ${m[2]}, nhưng có ${m[3]}.`],
];

/** What an option says it expected ("expected vi or en", commander's "Allowed choices are http, https."), in Vietnamese. */
function expectedVi(detail: string): string {
  const choices = /^Allowed choices are (.+)\.$/.exec(detail);
  if (choices) return `chọn một trong: ${choices[1]}`;
  const or = /^expected (.+) or (\S+)$/.exec(detail);
  if (or) return `cần ${or[1]} hoặc ${or[2]}`;
  return detail;
}

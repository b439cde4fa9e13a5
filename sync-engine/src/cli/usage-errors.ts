import type { Localized } from '../api/views.js';

/**
 * Commander's usage errors ("error: required option '--token <token>' not
 * specified") in Vietnamese and English, for the person at the command line
 * (Vietnamese by default) and for `--json`. The English is commander's own
 * line without its "error: " prefix; an error not known here keeps that line
 * in both languages.
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
  [/^option '(.+)' argument '(.*)' is invalid\.\s*(.*)$/s, (m) => `Giá trị '${m[2]}' của tùy chọn ${m[1]} không hợp lệ${m[3] ? ` (${m[3]})` : ''}.`],
  [/^command-argument value '(.*)' is invalid for argument '(.+)'\.\s*(.*)$/s, (m) => `Giá trị '${m[1]}' của tham số ${m[2]} không hợp lệ${m[3] ? ` (${m[3]})` : ''}.`],
  [/^unknown option '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/, (m) => `Không có tùy chọn ${m[1]}${m[2] ? ` (có phải ${m[2]}?)` : ''}.`],
  [/^unknown command '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/, (m) => `Không có lệnh ${m[1]}${m[2] ? ` (có phải ${m[2]}?)` : ''}.`],
  [/^too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/, (m) => `Thừa tham số${m[1] ? ` cho lệnh ${m[1]}` : ''}: cần ${m[2]}, nhưng có ${m[3]}.`],
];

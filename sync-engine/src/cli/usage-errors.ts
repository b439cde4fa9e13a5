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
  [/^option '(.+)' argument '(.*)' is invalid\.\s*(.*)$/s, (m) => `Giá trị '${m[2]}' của tùy chọn ${m[1]} không hợp lệ${m[3] ? ` (${expectedVi(m[3])})` : ''}.`],
  [/^command-argument value '(.*)' is invalid for argument '(.+)'\.\s*(.*)$/s, (m) => `Giá trị '${m[1]}' của tham số ${m[2]} không hợp lệ${m[3] ? ` (${expectedVi(m[3])})` : ''}.`],
  [/^unknown option '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/, (m) => `Không có tùy chọn ${m[1]}${m[2] ? ` (có phải ${m[2]}?)` : ''}.`],
  [/^unknown command '(.+?)'(?:\s*\(Did you mean (.+)\?\))?$/, (m) => `Không có lệnh ${m[1]}${m[2] ? ` (có phải ${m[2]}?)` : ''}.`],
  [/^too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/, (m) => `Thừa tham số${m[1] ? ` cho lệnh ${m[1]}` : ''}: cần ${m[2]}, nhưng có ${m[3]}.`],
];

/** What our option parsers say they expected (their InvalidArgumentError), in Vietnamese; commander gives only the English. */
const EXPECTED_VI: Record<string, string> = {
  'expected a whole number of milliseconds, e.g. 5000': 'cần một số nguyên mili giây, ví dụ 5000',
  'expected a port number from 0 to 65535 (0 picks a free one)': 'cần một số cổng từ 0 đến 65535 (0: tự chọn một cổng còn trống)',
  'expected a seq number': 'cần số thứ tự của thay đổi trong hàng đợi gửi',
  'expected a whole number': 'cần một số nguyên không âm',
  'expected NAME=local or NAME=national': 'cần TÊN=local hoặc TÊN=national',
};

function expectedVi(detail: string): string {
  const known = EXPECTED_VI[detail];
  if (known) return known;
  // "expected vi or en", "expected synced, waiting, conflict or rejected", "expected queued, in_flight, quarantined": the words are the values to type.
  const or = /^expected (.+) or (\S+)$/.exec(detail);
  if (or) return `cần ${or[1]} hoặc ${or[2]}`;
  const list = /^expected (\S+(?:, \S+)+)$/.exec(detail);
  if (list) return `cần một trong: ${list[1]}`;
  return detail;
}

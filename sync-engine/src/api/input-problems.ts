import type { z } from 'zod';
import type { Localized } from './views.js';

type Issue = z.core.$ZodIssue;

/** What a person calls each field a command takes; a key missing here is shown quoted as it is. */
const FIELD_TITLES: Record<string, Localized> = {
  platformUrl: { vi: 'Địa chỉ nền tảng', en: 'Platform address' },
  token: { vi: 'Mã đăng ký', en: 'Enrollment token' },
  siteCode: { vi: 'Mã đơn vị', en: 'Site code' },
  schedule: { vi: 'Lịch đồng bộ', en: 'Sync schedule' },
  proxy: { vi: 'Máy chủ proxy', en: 'Proxy' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  adminPort: { vi: 'Cổng quản trị', en: 'Admin port' },
  dataset: { vi: 'Bộ dữ liệu', en: 'Dataset' },
  id: { vi: 'Mã bản ghi', en: 'Record id' },
  ids: { vi: 'Danh sách mã', en: 'List of ids' },
  data: { vi: 'Dữ liệu bản ghi', en: 'Record data' },
  search: { vi: 'Từ khóa tìm kiếm', en: 'Search text' },
  state: { vi: 'Trạng thái', en: 'State' },
  status: { vi: 'Trạng thái', en: 'Status' },
  offset: { vi: 'Vị trí bắt đầu', en: 'Offset' },
  limit: { vi: 'Số dòng tối đa', en: 'Row limit' },
  seq: { vi: 'Số thứ tự thay đổi', en: 'Change number' },
  take: { vi: 'Bản được chọn', en: 'Chosen version' },
  fields: { vi: 'Lựa chọn từng trường', en: 'Per-field choices' },
  values: { vi: 'Giá trị mới', en: 'New values' },
  duplicate: { vi: 'Cách xử lý bản trùng', en: 'Duplicate handling' },
};

const TYPE_WORDS: Record<string, Localized> = {
  string: { vi: 'phải là chữ', en: 'must be text' },
  number: { vi: 'phải là số', en: 'must be a number' },
  int: { vi: 'phải là số nguyên', en: 'must be a whole number' },
  boolean: { vi: 'phải là true hoặc false', en: 'must be true or false' },
  object: { vi: 'phải là một đối tượng JSON', en: 'must be a JSON object' },
  record: { vi: 'phải là một đối tượng JSON', en: 'must be a JSON object' },
  array: { vi: 'phải là một danh sách', en: 'must be a list' },
};

/**
 * A command input's validation issues as sentences in both languages, each
 * led by the field's human name ("Mã đăng ký: cần ít nhất 16 ký tự."). The
 * validator's own English never reaches a person: zod's bundled Vietnamese
 * locale still says "string" and prints regular expressions, and setting it
 * through z.config would change every other schema's messages in the process.
 */
export function describeInputIssues(issues: readonly Issue[], input: unknown): Localized {
  const lines = issues.map((issue) => {
    const what = reason(issue, input);
    const field = fieldTitle(issue.path);
    return field ? { vi: `${field.vi}: ${what.vi}`, en: `${field.en}: ${what.en}` } : what;
  });
  return { vi: lines.map((l) => sentence(l.vi)).join(' '), en: lines.map((l) => sentence(l.en)).join(' ') };
}

function fieldTitle(path: readonly PropertyKey[]): Localized | null {
  if (path.length === 0) return null;
  const [head, ...rest] = path.map(String);
  const title = FIELD_TITLES[head!] ?? { vi: `Trường "${head}"`, en: `Field "${head}"` };
  if (rest.length === 0) return title;
  const inner = rest.join('.');
  return { vi: `${title.vi} (${inner})`, en: `${title.en} (${inner})` };
}

function reason(issue: Issue, input: unknown): Localized {
  switch (issue.code) {
    case 'custom': {
      const messages = (issue.params as { messages?: Localized } | undefined)?.messages;
      return messages ?? { vi: 'không hợp lệ', en: 'is not valid' };
    }
    case 'invalid_type':
      if (valueAt(input, issue.path) === undefined) return { vi: 'bắt buộc phải có', en: 'is required' };
      return TYPE_WORDS[issue.expected] ?? { vi: 'có kiểu không đúng', en: 'has the wrong type' };
    case 'too_small':
      return bound(issue.origin, issue.minimum, issue.inclusive ?? true, 'min');
    case 'too_big':
      return bound(issue.origin, issue.maximum, issue.inclusive ?? true, 'max');
    case 'invalid_format':
      if (issue.format === 'url') return { vi: 'phải là một địa chỉ web đầy đủ, ví dụ https://…', en: 'must be a full web address, e.g. https://…' };
      return { vi: 'không đúng định dạng', en: 'is not in the right form' };
    case 'invalid_value': {
      const choices = issue.values.map((v) => String(v)).join(', ');
      return { vi: `phải là một trong: ${choices}`, en: `must be one of: ${choices}` };
    }
    case 'unrecognized_keys': {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return { vi: `có trường không được hỗ trợ: ${keys}`, en: `has unsupported field(s): ${keys}` };
    }
    default:
      return { vi: 'không hợp lệ', en: 'is not valid' };
  }
}

function bound(origin: string, limit: number | bigint, inclusive: boolean, side: 'min' | 'max'): Localized {
  const exact = Number(limit);
  const n = inclusive ? exact : side === 'min' ? exact + 1 : exact - 1;
  if (origin === 'string') {
    return side === 'min'
      ? { vi: `cần ít nhất ${n} ký tự`, en: `needs at least ${n} ${plural(n, 'character')}` }
      : { vi: `dài tối đa ${n} ký tự`, en: `may be at most ${n} ${plural(n, 'character')} long` };
  }
  if (origin === 'array' || origin === 'set') {
    return side === 'min' ? { vi: `cần ít nhất ${n} mục`, en: `needs at least ${n} ${plural(n, 'item')}` } : { vi: `có tối đa ${n} mục`, en: `may hold at most ${n} ${plural(n, 'item')}` };
  }
  if (side === 'min') return inclusive ? { vi: `phải từ ${exact} trở lên`, en: `must be ${exact} or more` } : { vi: `phải lớn hơn ${exact}`, en: `must be more than ${exact}` };
  return inclusive ? { vi: `không được quá ${exact}`, en: `must be ${exact} or less` } : { vi: `phải nhỏ hơn ${exact}`, en: `must be less than ${exact}` };
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = input;
  for (const key of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

import type { ErrorObject } from 'ajv/dist/2020.js';
import type { DatasetDescriptor, LocalizedText } from '../catalog.js';
import type { RecordError } from '../push.js';
import { describeEnumValue, fieldOfPointer, fieldTitles, fill, recordError } from './field-titles.js';

type Descriptor = Pick<DatasetDescriptor, 'schema'>;

const TYPE_NAMES: Readonly<Record<string, LocalizedText>> = {
  string: { vi: 'văn bản', en: 'text' },
  integer: { vi: 'số nguyên', en: 'a whole number' },
  number: { vi: 'số', en: 'a number' },
  array: { vi: 'danh sách', en: 'a list' },
  object: { vi: 'một đối tượng', en: 'an object' },
  boolean: { vi: 'giá trị đúng/sai', en: 'true or false' },
  null: { vi: 'rỗng', en: 'null' },
};

/** Which error a field shows when Ajv finds several: the most basic one. */
const PRIORITY = ['required', 'type', 'minLength', 'enum', 'format', 'pattern'];

function rank(e: ErrorObject): number {
  const i = PRIORITY.indexOf(e.keyword);
  return i < 0 ? PRIORITY.length : i;
}

function formatNumber(n: unknown, lang: 'vi' | 'en'): string {
  return typeof n === 'number' ? new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(n) : String(n);
}

/** Titles of the field an error is about, with "item N" when it is inside a list. */
function subjectOf(descriptor: Descriptor, path: string): LocalizedText {
  const field = fieldOfPointer(path);
  if (field === undefined) return { vi: 'Bản ghi', en: 'The record' };
  const t = fieldTitles(descriptor, field);
  const rest = path.split('/').slice(2);
  const index = rest.length > 0 ? Number(rest[0]) : NaN;
  if (!Number.isInteger(index)) return t;
  return { vi: `${t.vi} (mục ${index + 1})`, en: `${t.en} (item ${index + 1})` };
}

function pathOf(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  const child = (name: unknown): string => `${e.instancePath}/${String(name).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  if (e.keyword === 'required') return child(p['missingProperty']);
  if (e.keyword === 'additionalProperties') return child(p['additionalProperty']);
  return e.instancePath;
}

function typeMessage(t: LocalizedText, path: string, expected: unknown): [string, string, string] {
  if (path === '') return ['type', 'Dữ liệu bản ghi phải là một đối tượng JSON.', 'Record data must be a JSON object.'];
  const names = String(expected)
    .split(',')
    .map((n) => TYPE_NAMES[n] ?? { vi: n, en: n });
  return ['type', `${t.vi} phải là ${names.map((n) => n.vi).join(' hoặc ')}.`, `${t.en} must be ${names.map((n) => n.en).join(' or ')}.`];
}

function patternMessage(t: LocalizedText, parentSchema: unknown): [string, string, string] {
  const hint = (parentSchema as Record<string, unknown> | undefined)?.['x-pattern'] as Record<string, unknown> | undefined;
  if (hint && typeof hint['vi'] === 'string' && typeof hint['en'] === 'string') {
    const code = typeof hint['code'] === 'string' ? hint['code'] : 'pattern';
    return [code, fill(hint['vi'], { field: t.vi }), fill(hint['en'], { field: t.en })];
  }
  return ['pattern', `${t.vi} không đúng định dạng.`, `${t.en} is not in the expected format.`];
}

function formatMessage(t: LocalizedText, format: unknown): [string, string, string] {
  if (format === 'date') {
    return [
      'date_format',
      `${t.vi} phải là một ngày có thật, viết theo dạng năm-tháng-ngày (ví dụ 2025-07-01).`,
      `${t.en} must be a real date written as YYYY-MM-DD (e.g. 2025-07-01).`,
    ];
  }
  if (format === 'date-time') {
    return [
      'date_time_format',
      `${t.vi} phải là một thời điểm có thật, kèm múi giờ (ví dụ 2025-07-01T08:30:00Z).`,
      `${t.en} must be a real date and time with a time zone (e.g. 2025-07-01T08:30:00Z).`,
    ];
  }
  return ['format', `${t.vi} không đúng định dạng ${String(format)}.`, `${t.en} is not a valid ${String(format)}.`];
}

/** The code, Vietnamese and English texts for one Ajv error. */
function describe(descriptor: Descriptor, e: ErrorObject, path: string): [string, string, string] {
  const t = subjectOf(descriptor, path);
  const p = e.params as Record<string, unknown>;
  const vi = (n: unknown): string => formatNumber(n, 'vi');
  const en = (n: unknown): string => formatNumber(n, 'en');
  switch (e.keyword) {
    case 'required':
      return ['required', `${t.vi} là thông tin bắt buộc.`, `${t.en} is required.`];
    case 'additionalProperties': {
      const name = String(p['additionalProperty']);
      return ['unknown_field', `Trường “${name}” không thuộc bộ dữ liệu này.`, `Field “${name}” is not part of this dataset.`];
    }
    case 'type':
      return typeMessage(t, path, p['type']);
    case 'pattern':
      return patternMessage(t, e.parentSchema);
    case 'format':
      return formatMessage(t, p['format']);
    case 'enum': {
      const field = fieldOfPointer(path) ?? '';
      const values = Array.isArray(p['allowedValues']) ? (p['allowedValues'] as unknown[]).map(String) : [];
      const label = (lang: 'vi' | 'en'): string => values.map((v) => describeEnumValue(descriptor, field, v, lang)).join(', ');
      return ['enum', `${t.vi} phải là một trong các giá trị: ${label('vi')}.`, `${t.en} must be one of: ${label('en')}.`];
    }
    case 'minimum':
    case 'exclusiveMinimum': {
      const strict = e.keyword === 'exclusiveMinimum';
      return [
        'minimum',
        `${t.vi} phải ${strict ? 'lớn hơn' : 'lớn hơn hoặc bằng'} ${vi(p['limit'])}.`,
        `${t.en} must be ${strict ? 'greater than' : 'at least'} ${en(p['limit'])}.`,
      ];
    }
    case 'maximum':
    case 'exclusiveMaximum': {
      const strict = e.keyword === 'exclusiveMaximum';
      return [
        'maximum',
        `${t.vi} phải ${strict ? 'nhỏ hơn' : 'nhỏ hơn hoặc bằng'} ${vi(p['limit'])}.`,
        `${t.en} must be ${strict ? 'less than' : 'at most'} ${en(p['limit'])}.`,
      ];
    }
    case 'minLength':
      return p['limit'] === 1
        ? ['empty', `${t.vi} không được để trống.`, `${t.en} must not be empty.`]
        : ['min_length', `${t.vi} phải có ít nhất ${vi(p['limit'])} ký tự.`, `${t.en} must be at least ${en(p['limit'])} characters long.`];
    case 'maxLength':
      return ['max_length', `${t.vi} không được dài quá ${vi(p['limit'])} ký tự.`, `${t.en} must be at most ${en(p['limit'])} characters long.`];
    case 'minItems':
      return p['limit'] === 1
        ? ['min_items', `${t.vi} phải có ít nhất một mục.`, `${t.en} must have at least one item.`]
        : ['min_items', `${t.vi} phải có ít nhất ${vi(p['limit'])} mục.`, `${t.en} must have at least ${en(p['limit'])} items.`];
    case 'maxItems':
      return ['max_items', `${t.vi} không được quá ${vi(p['limit'])} mục.`, `${t.en} must have at most ${en(p['limit'])} items.`];
    case 'uniqueItems': {
      const [a, b] = [Number(p['i']) + 1, Number(p['j']) + 1].sort((x, y) => x - y);
      return ['unique_items', `${t.vi} có mục ${a} và mục ${b} trùng nhau.`, `${t.en} repeats an item (items ${a} and ${b}).`];
    }
    default:
      return [e.keyword, `${t.vi} không hợp lệ.`, `${t.en} is not valid.`];
  }
}

/**
 * Turns Ajv's errors into RecordErrors naming fields by their titles. One error
 * per path, the most basic one: "must not be empty" says more than the pattern
 * that an empty text also fails.
 */
export function translateSchemaErrors(descriptor: Descriptor, errors: readonly ErrorObject[]): RecordError[] {
  const best = new Map<string, ErrorObject>();
  for (const e of errors) {
    const path = pathOf(e);
    const known = best.get(path);
    if (!known || rank(e) < rank(known)) best.set(path, e);
  }
  return [...best].map(([path, e]) => {
    const [code, vi, en] = describe(descriptor, e, path);
    return recordError(path, code, vi, en);
  });
}

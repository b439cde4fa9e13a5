import { foldForSearch } from '../domain/search-fold.js';
import type { DatasetDescriptor, LocalizedText } from '../protocol/catalog.js';
import { fieldTitles, rulesOf } from '../protocol/validation/index.js';

/**
 * A spreadsheet cell as the value a record stores, read as the window's record
 * form reads what staff type (renderer/src/model/schema-form.ts `valueOf`,
 * date-input.ts): whole numbers plain or grouped by thousands ("1.500.000",
 * "1,500,000", "1 500 000"), dates day/month/year or ISO, a date and time
 * "dd/mm/yyyy hh:mm" in this computer's time zone or RFC 3339, a personal ID
 * number copied with spaces or dots read as its digits, a list one item per
 * line. A spreadsheet has no list box, so an enum cell may also hold the
 * value's Vietnamese or English label ("Nữ", "female", "Đang xử lý"), compared
 * without accents or case. The renderer may not import engine code
 * (scripts/layers.mjs): test/import/cell-values.test.ts holds this and the
 * form to the same answers. Text that does not convert is kept as written, so
 * the validation the form and records.put use names the problem; an empty
 * cell is an absent field.
 */
export type CellKind = 'text' | 'longText' | 'date' | 'dateTime' | 'enum' | 'integer' | 'list';

export interface CellField {
  name: string;
  kind: CellKind;
  title: LocalizedText;
  required: boolean;
  /** Enum values and their labels. */
  options: Array<{ value: string; title: LocalizedText }>;
  /** A personal ID number (a `personalId` rule names it, or its pattern message is the personal ID's). */
  personalId: boolean;
  /** The exact number of digits the value has (a `^[0-9]{N}$` pattern: a code, a personal ID number). */
  digits?: number;
  /** A code of an administrative unit (`x-lookup`): the export writes the unit's name beside it (import-columns.ts unitNameTitle). */
  lookup?: 'commune' | 'province';
}

/** Free text longer than this is a multi-line box in the form: kept with its spaces. */
const LONG_TEXT = 200;

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function localized(value: unknown): LocalizedText | null {
  const v = asObject(value);
  return typeof v['vi'] === 'string' && typeof v['en'] === 'string' ? { vi: v['vi'], en: v['en'] } : null;
}

function kindOf(schema: Record<string, unknown>): CellKind {
  if (Array.isArray(schema['enum'])) return 'enum';
  if (schema['type'] === 'integer' || schema['type'] === 'number') return 'integer';
  if (schema['type'] === 'array') return 'list';
  if (schema['format'] === 'date') return 'date';
  if (schema['format'] === 'date-time') return 'dateTime';
  if (typeof schema['maxLength'] === 'number' && schema['maxLength'] > LONG_TEXT) return 'longText';
  return 'text';
}

/** The dataset's fields in schema order, as an import reads them. */
export function cellFieldsOf(descriptor: DatasetDescriptor): CellField[] {
  const schema = descriptor.schema;
  const properties = asObject(schema['properties']);
  const required = new Set(Array.isArray(schema['required']) ? schema['required'].filter((r): r is string => typeof r === 'string') : []);
  const personalIds = new Set(rulesOf(descriptor).flatMap((r) => (r.rule === 'personalId' ? [r.field] : [])));
  return Object.entries(properties).map(([name, raw]) => {
    const prop = asObject(raw);
    const kind = kindOf(prop);
    const labels = asObject(prop['x-enumTitles']);
    const options = kind === 'enum' ? (prop['enum'] as unknown[]).map((v) => ({ value: String(v), title: localized(labels[String(v)]) ?? { vi: String(v), en: String(v) } })) : [];
    const personalId = kind === 'text' && (personalIds.has(name) || asObject(prop['x-pattern'])['code'] === 'personal_id_format');
    const digits = typeof prop['pattern'] === 'string' ? /^\^\[0-9\]\{(\d+)\}\$$/.exec(prop['pattern']) : null;
    const lookup = kind === 'text' && (prop['x-lookup'] === 'commune' || prop['x-lookup'] === 'province') ? prop['x-lookup'] : undefined;
    return {
      name,
      kind,
      title: fieldTitles(descriptor, name),
      required: required.has(name),
      options,
      personalId,
      ...(digits ? { digits: Number(digits[1]) } : {}),
      ...(lookup ? { lookup } : {}),
    };
  });
}

/** One cell's text as the stored value; undefined: the field is absent. */
export function cellValue(field: CellField, text: string): unknown {
  const trimmed = field.kind === 'longText' || field.kind === 'list' ? text : text.trim();
  if (trimmed.trim() === '') return undefined;
  switch (field.kind) {
    case 'integer':
      return wholeNumber(trimmed) ?? trimmed;
    case 'list':
      return trimmed
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
    case 'date':
      return isoDate(trimmed) ?? trimmed;
    case 'dateTime':
      return isoInstant(trimmed) ?? trimmed;
    case 'enum':
      return enumValue(field, trimmed);
    default:
      return field.personalId ? personalIdDigits(trimmed) : trimmed;
  }
}

/** An enum cell: the value itself, else the value whose Vietnamese or English label it is (accents and case aside). */
function enumValue(field: CellField, text: string): string {
  if (field.options.some((o) => o.value === text)) return text;
  const folded = foldForSearch(text);
  const match = field.options.find((o) => foldForSearch(o.value) === folded || foldForSearch(o.title.vi) === folded || foldForSearch(o.title.en) === folded);
  return match ? match.value : text;
}

/**
 * A whole number: plain digits, or grouped by thousands with dots, commas or
 * spaces, the same separator throughout ("1.500.000"); else null. A
 * spreadsheet in either language may hold either, and a group of exactly three
 * digits after each separator is no decimal fraction of a whole-number field.
 */
function wholeNumber(text: string): number | null {
  if (/^-?\d+$/.test(text)) return Number(text);
  const grouped = /^-?\d{1,3}(?:([., \u00a0\u202f])\d{3})(?:\1\d{3})*$/;
  return grouped.test(text) ? Number(text.replace(/[^\d-]/g, '')) : null;
}

function personalIdDigits(text: string): string {
  return /^\d+(?:[ .\-\u00a0\u202f]+\d+)*$/.test(text) ? text.replace(/\D/g, '') : text;
}

const pad = (n: number) => String(n).padStart(2, '0');

function realDate(year: number, month: number, day: number): { year: number; month: number; day: number } | null {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : null;
}

/** "24/03/2012", "24.3.2012", "24-03-2012", "24032012" or "2012-03-24" as a real date, else null. */
function readDate(text: string): { year: number; month: number; day: number } | null {
  const dmy = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(text) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  if (dmy) return realDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return iso ? realDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) : null;
}

function isoDate(text: string): string | null {
  const date = readDate(text.trim());
  return date ? `${String(date.year).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}` : null;
}

/** "dd/mm/yyyy hh:mm" in this computer's time zone, or an RFC 3339 instant, as the UTC instant; else null. */
function isoInstant(text: string): string | null {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(trimmed)) {
    const d = new Date(trimmed);
    return Number.isNaN(d.getTime()) ? null : instant(d);
  }
  const m = /^(.+?)[\sT,]+(\d{1,2})[:h .](\d{2})$/i.exec(trimmed);
  const date = m ? readDate(m[1]!.trim()) : null;
  if (!m || !date) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 23 || minutes > 59) return null;
  const d = new Date(date.year, date.month - 1, date.day, hours, minutes);
  d.setFullYear(date.year);
  return instant(d);
}

function instant(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

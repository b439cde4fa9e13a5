import type { FieldError, Localized } from '../api/types.js';
import type { Language } from '../i18n/index.js';
import { dateDraft, dateTimeDraft, parseDateDraft, parseDateTimeDraft } from './date-input.js';

/**
 * Reads a dataset's JSON Schema (with the project's x- keywords) into the
 * fields a form shows, and converts between a record's data and the text the
 * inputs hold. Validation itself stays with the engine (`records.validate`), so
 * the form and the outbox can never disagree about what is valid.
 */

export type FieldKind = 'text' | 'longText' | 'date' | 'dateTime' | 'enum' | 'integer' | 'list';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  title: Localized;
  required: boolean;
  options: Array<{ value: string; title: Localized }>;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** The exact number of digits the value has (a `^[0-9]{N}$` pattern: a code, a personal ID number). */
  digits?: number;
  lookup?: 'province' | 'commune';
  /** A personal ID number (the dataset's `personalId` rule names it): typed as copied from a card, "001 325 000 123", it is read as its digits. */
  personalId?: boolean;
  /** What a new record starts with in this field (the schema's `x-default`; model/new-record-values.ts). */
  initial?: 'today' | 'last-used';
}

/** What every input holds: text. A list field holds one item per line. */
export type Draft = Record<string, string>;

/** Free text longer than this gets a multi-line box. */
const LONG_TEXT = 200;

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function localized(value: unknown): Localized | null {
  const v = asRecord(value);
  return typeof v.vi === 'string' && typeof v.en === 'string' ? { vi: v.vi, en: v.en } : null;
}

function titleOf(name: string, schema: Record<string, unknown>): Localized {
  const title = localized(schema['x-title']);
  if (title) return title;
  const plain = typeof schema.title === 'string' ? schema.title : name;
  return { vi: plain, en: plain };
}

function kindOf(schema: Record<string, unknown>): FieldKind {
  if (Array.isArray(schema.enum)) return 'enum';
  if (schema.type === 'integer' || schema.type === 'number') return 'integer';
  if (schema.type === 'array') return 'list';
  if (schema.format === 'date') return 'date';
  if (schema.format === 'date-time') return 'dateTime';
  if (typeof schema.maxLength === 'number' && schema.maxLength > LONG_TEXT) return 'longText';
  return 'text';
}

/** The fields the schema's `personalId` rules (`x-rules`) check: personal ID numbers (so is a field whose pattern message is the personal ID's). */
function personalIdFields(schema: Record<string, unknown>): Set<string> {
  const declared = schema['x-rules'];
  const rules = Array.isArray(declared) ? declared.map(asRecord) : [];
  return new Set(rules.filter((r) => r.rule === 'personalId' && typeof r.field === 'string').map((r) => r.field as string));
}

export function fieldsOf(schema: Record<string, unknown>): FieldSpec[] {
  const properties = asRecord(schema.properties);
  const personalIds = personalIdFields(schema);
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(properties).map(([name, raw]) => {
    const prop = asRecord(raw);
    const kind = kindOf(prop);
    const enumTitles = asRecord(prop['x-enumTitles']);
    const options =
      kind === 'enum'
        ? (prop.enum as unknown[]).map((v) => {
            const value = String(v);
            return { value, title: localized(enumTitles[value]) ?? { vi: value, en: value } };
          })
        : [];
    const spec: FieldSpec = { name, kind, title: titleOf(name, prop), required: required.has(name), options };
    if (typeof prop.minimum === 'number') spec.minimum = prop.minimum;
    if (typeof prop.maximum === 'number') spec.maximum = prop.maximum;
    if (typeof prop.maxLength === 'number') spec.maxLength = prop.maxLength;
    const digits = typeof prop.pattern === 'string' ? /^\^\[0-9\]\{(\d+)\}\$$/.exec(prop.pattern) : null;
    if (digits) spec.digits = Number(digits[1]);
    if (prop['x-lookup'] === 'province' || prop['x-lookup'] === 'commune') spec.lookup = prop['x-lookup'];
    if (kind === 'text' && (personalIds.has(name) || asRecord(prop['x-pattern']).code === 'personal_id_format')) spec.personalId = true;
    if (prop['x-default'] === 'today' || prop['x-default'] === 'last-used') spec.initial = prop['x-default'];
    return spec;
  });
}

/**
 * A stored value as its input shows it in the window's language: a whole
 * number grouped by thousands as staff type it (50.000.000, 50,000,000), a
 * date day/month/year, a list one item per line.
 */
export function draftValue(spec: FieldSpec, value: unknown, language: Language): string {
  if (value === undefined || value === null) return '';
  if (spec.kind === 'integer' && typeof value === 'number' && Number.isSafeInteger(value)) return groupedWhole(value, language);
  if (spec.kind === 'list') return Array.isArray(value) ? value.map(String).join('\n') : String(value);
  if (spec.kind === 'date' && typeof value === 'string') return dateDraft(value);
  if (spec.kind === 'dateTime' && typeof value === 'string') return dateTimeDraft(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function draftOf(specs: readonly FieldSpec[], data: Record<string, unknown> | null | undefined, language: Language): Draft {
  const draft: Draft = {};
  for (const spec of specs) draft[spec.name] = draftValue(spec, data?.[spec.name], language);
  return draft;
}

/** The thousands separator of each language's whole numbers: 1.000.000 in Vietnamese, 1,000,000 in English. */
const THOUSANDS: Record<Language, string> = { vi: '.', en: ',' };

/**
 * A whole number as staff write it: plain digits, or grouped by thousands with
 * the language's separator or a space ("50.000.000", "50 000 000"), or null.
 * A decimal separator stays unread: "1,5" in Vietnamese is not a whole number.
 */
function wholeNumber(text: string, language: Language): number | null {
  if (/^-?\d+$/.test(text)) return Number(text);
  const grouped = new RegExp(`^-?\\d{1,3}(?:[${THOUSANDS[language]} \\u00a0\\u202f]\\d{3})+$`);
  return grouped.test(text) ? Number(text.replace(/[^\d-]/g, '')) : null;
}

/** A whole number grouped by thousands with the language's separator: 50.000.000 in Vietnamese, 50,000,000 in English. */
function groupedWhole(value: number, language: Language): string {
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, THOUSANDS[language]);
  return value < 0 ? `-${digits}` : digits;
}

/**
 * A whole number's text as the other language groups it, once the window's
 * language switches (50.000.000 read in Vietnamese shows 50,000,000 in
 * English, which would not read it); any other text stays as typed.
 */
export function regroupedText(spec: FieldSpec | undefined, text: string, from: Language, to: Language): string {
  if (spec?.kind !== 'integer' || from === to) return text;
  const value = wholeNumber(text.trim(), from);
  return value !== null && Number.isSafeInteger(value) && /\D/.test(text.trim().replace(/^-/, '')) ? groupedWhole(value, to) : text;
}

/** Every whole number of a draft regrouped for the window's new language (regroupedText). */
export function regroupedDraft(specs: readonly FieldSpec[], draft: Draft, from: Language, to: Language): Draft {
  const next: Draft = { ...draft };
  for (const spec of specs) if (next[spec.name] !== undefined) next[spec.name] = regroupedText(spec, next[spec.name]!, from, to);
  return next;
}

/**
 * A personal ID number as people copy it from a card: digit groups parted by
 * spaces, dots or dashes ("001 325 000 123", "001.325.000.123") read as the
 * digits alone; any other text stays as typed, for the engine to name.
 */
function personalIdDigits(text: string): string {
  return /^\d+(?:[ .\-\u00a0\u202f]+\d+)*$/.test(text) ? text.replace(/\D/g, '') : text;
}

/**
 * The text an input shows once the person leaves it: a personal ID number as
 * its digits; a date (or date and time) that reads as one, written as the
 * window writes it ("24032012" shows as 24/03/2012, so the clerk sees which
 * day was read); any other text as typed.
 */
export function tidyDraft(spec: FieldSpec, text: string): string {
  if (spec.kind === 'date') {
    const iso = parseDateDraft(text);
    return iso === null ? text : dateDraft(iso);
  }
  if (spec.kind === 'dateTime') {
    const instant = parseDateTimeDraft(text);
    return instant === null ? text : dateTimeDraft(instant);
  }
  if (!spec.personalId) return text;
  const digits = personalIdDigits(text.trim());
  return digits === text.trim() ? text : digits;
}

/**
 * One input's text as the value the record stores; `undefined` means absent
 * (an optional field is left out, never sent as an empty string). Text that does
 * not convert is sent as typed, so the engine names the problem. `language` is
 * the window's: it says how a whole number's thousands are grouped.
 */
export function valueOf(spec: FieldSpec, text: string, language: Language): unknown {
  const trimmed = spec.kind === 'longText' || spec.kind === 'list' ? text : text.trim();
  if (trimmed.trim() === '') return undefined;
  switch (spec.kind) {
    case 'integer':
      return wholeNumber(trimmed, language) ?? trimmed;
    case 'list':
      return trimmed
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== '');
    case 'date':
      return parseDateDraft(trimmed) ?? trimmed;
    case 'dateTime':
      return parseDateTimeDraft(trimmed) ?? trimmed;
    default:
      return spec.personalId ? personalIdDigits(trimmed) : trimmed;
  }
}

/**
 * Whether a date (or date and time) input holds text that reads as no real
 * one: valueOf would pass it on as typed. Empty text is not such a date.
 */
export function unreadableDate(spec: FieldSpec, text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return false;
  if (spec.kind === 'date') return parseDateDraft(trimmed) === null;
  if (spec.kind === 'dateTime') return parseDateTimeDraft(trimmed) === null;
  return false;
}

export function dataOf(specs: readonly FieldSpec[], draft: Draft, language: Language): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = valueOf(spec, draft[spec.name] ?? '', language);
    if (value !== undefined) data[spec.name] = value;
  }
  return data;
}

/** The top-level field a JSON pointer names (`/businessLines/2` → `businessLines`). */
export function fieldOfPointer(path: string): string | null {
  const first = path.split('/')[1];
  if (first === undefined || first === '') return null;
  return first.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Errors grouped by the field they belong to; the rest concern the record as a whole. */
export function groupErrors(specs: readonly FieldSpec[], errors: readonly FieldError[]) {
  const names = new Set(specs.map((s) => s.name));
  const byField = new Map<string, FieldError[]>();
  const general: FieldError[] = [];
  for (const error of errors) {
    const field = fieldOfPointer(error.path);
    if (field !== null && names.has(field)) byField.set(field, [...(byField.get(field) ?? []), error]);
    else general.push(error);
  }
  return { byField, general };
}

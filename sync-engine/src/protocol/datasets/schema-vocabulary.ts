import type { LocalizedText } from '../catalog.js';

/**
 * The keywords this project adds to JSON Schema 2020-12. All are annotations to a
 * standard validator; the agent's validator and forms read them.
 *
 * - `x-title` on a property: `{ vi, en }`. `title` holds the Vietnamese text, since
 *   JSON Schema's `title` is a single string.
 * - `x-pattern` on a string property: the message for a `pattern` failure,
 *   `{ code?, vi, en }`, `{field}` standing for the field's title.
 * - `x-enumTitles` on an enum property: value → `{ vi, en }` label.
 * - `x-lookup` on a code property: `province` or `commune`, the admin-units list
 *   a form offers as choices.
 * - `x-rules` at the root: the checks JSON Schema cannot express (XRule below),
 *   named so the agent applies them from the catalog without knowing datasets.
 * - `x-default` on a property: what the window's form starts a NEW record with
 *   (FieldDefault below). A form hint only: validation, `records put` and the
 *   CSV import never apply it, so a missing value stays missing there.
 * - `x-filter` on an enum or a commune/province code property: `true`, the
 *   Records list and `records list`/`records export` filter by its value
 *   (records/record-filter.ts; the agent indexes it per dataset).
 * - `x-due` on a date-time property: `{ statusField, doneValues }` (DueSpec
 *   below), a deadline: the list's "overdue" (before now) and "due today"
 *   filters take the records whose status is not one of `doneValues`.
 * All are annotations: a validator that does not know one ignores it.
 */
export const SCHEMA_KEYWORDS = ['x-title', 'x-pattern', 'x-enumTitles', 'x-lookup', 'x-rules', 'x-default', 'x-filter', 'x-due'] as const;

/** `x-due`: the deadline is met (or moot) once the status field holds one of `doneValues`. */
export interface DueSpec {
  statusField: string;
  doneValues: readonly string[];
}

/** The field, filterable in the Records list (`x-filter`). */
export function filterable(field: JsonSchema): JsonSchema {
  return { ...field, 'x-filter': true };
}

/** The date-time field, a deadline the list's overdue and due-today filters read (`x-due`). */
export function withDue(field: JsonSchema, due: DueSpec): JsonSchema {
  return { ...field, 'x-due': { statusField: due.statusField, doneValues: [...due.doneValues] } };
}

/**
 * - `today`: today's date in the computer's local time zone; on a date-time
 *   field, the current time to the minute.
 * - `last-used`: the value this window last saved in that field of a new record
 *   of the dataset (a staff member's name, never a citizen's data).
 */
export const FIELD_DEFAULTS = ['today', 'last-used'] as const;
export type FieldDefault = (typeof FIELD_DEFAULTS)[number];

/** The field with the default a new record's form starts it with. */
export function withDefault(field: JsonSchema, initial: FieldDefault): JsonSchema {
  return { ...field, 'x-default': initial };
}

export type JsonSchema = Record<string, unknown>;

export interface PatternMessage {
  /** Error code; `pattern` when absent. */
  code?: string;
  vi: string;
  en: string;
}

/** Values the `personalId` rule reads in a gender field. */
export type Gender = 'male' | 'female';

export type XRule =
  /**
   * A 12-digit personal ID number: digits 1-3 a pre-2025 province code with a
   * leading 0, digit 4 gender and century, digits 5-6 the birth year. With
   * `birthDateField`/`genderField` the ID must agree with them; `expectedGender`
   * fixes the gender when the record says it another way (father, mother).
   */
  | { rule: 'personalId'; field: string; birthDateField?: string; genderField?: string; expectedGender?: Gender }
  /** The field holds a province code of the table in force. */
  | { rule: 'provinceExists'; field: string }
  /** The field holds a commune code of the table in force. */
  | { rule: 'communeExists'; field: string }
  /** The commune belongs to the province (checked once both codes are known). */
  | { rule: 'communeInProvince'; communeField: string; provinceField: string }
  /** A date or date-time not earlier than another one; `code` defaults to `not_before`. */
  | { rule: 'notBefore'; field: string; otherField: string; code?: string };

export type XRuleName = XRule['rule'];

function titled(title: LocalizedText, schema: JsonSchema): JsonSchema {
  return { title: title.vi, 'x-title': { vi: title.vi, en: title.en }, ...schema };
}

/** Free text: at least one visible character, bounded length. */
export function textField(title: LocalizedText, maxLength = 200): JsonSchema {
  return titled(title, {
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: '\\S',
    'x-pattern': { code: 'blank', vi: '{field} không được chỉ gồm khoảng trắng.', en: '{field} must not be blank.' },
  });
}

/** A register or dossier number: Latin letters, digits and . / _ -, starting with a letter or digit. */
export function identifierField(title: LocalizedText, maxLength = 40): JsonSchema {
  return titled(title, {
    type: 'string',
    minLength: 1,
    maxLength,
    pattern: '^[0-9A-Za-z][0-9A-Za-z./_-]*$',
    'x-pattern': {
      code: 'identifier_format',
      vi: '{field} chỉ được gồm chữ cái không dấu, chữ số và các dấu . / _ - và phải bắt đầu bằng chữ hoặc số.',
      en: '{field} may hold only letters without diacritics, digits and . / _ - and must start with a letter or digit.',
    },
  });
}

export function personalIdField(title: LocalizedText): JsonSchema {
  return titled(title, {
    type: 'string',
    pattern: '^[0-9]{12}$',
    'x-pattern': { code: 'personal_id_format', vi: '{field} phải gồm đúng 12 chữ số.', en: '{field} must be exactly 12 digits.' },
  });
}

export function provinceCodeField(title: LocalizedText): JsonSchema {
  return titled(title, {
    type: 'string',
    pattern: '^[0-9]{2}$',
    'x-pattern': { code: 'province_code_format', vi: '{field} phải gồm đúng 2 chữ số.', en: '{field} must be exactly 2 digits.' },
    'x-lookup': 'province',
  });
}

export function communeCodeField(title: LocalizedText): JsonSchema {
  return titled(title, {
    type: 'string',
    pattern: '^[0-9]{5}$',
    'x-pattern': { code: 'commune_code_format', vi: '{field} phải gồm đúng 5 chữ số.', en: '{field} must be exactly 5 digits.' },
    'x-lookup': 'commune',
  });
}

/** A calendar date, YYYY-MM-DD. */
export function dateField(title: LocalizedText): JsonSchema {
  return titled(title, { type: 'string', format: 'date' });
}

/** An RFC 3339 date-time with a time zone (UTC `Z` preferred). */
export function dateTimeField(title: LocalizedText): JsonSchema {
  return titled(title, { type: 'string', format: 'date-time' });
}

export function enumField(title: LocalizedText, values: Readonly<Record<string, LocalizedText>>): JsonSchema {
  return titled(title, { type: 'string', enum: Object.keys(values), 'x-enumTitles': values });
}

export function integerField(title: LocalizedText, minimum: number, maximum: number): JsonSchema {
  return titled(title, { type: 'integer', minimum, maximum });
}

export function textListField(title: LocalizedText, maxItems: number, itemMaxLength = 200): JsonSchema {
  return titled(title, {
    type: 'array',
    minItems: 1,
    maxItems,
    uniqueItems: true,
    items: {
      type: 'string',
      minLength: 1,
      maxLength: itemMaxLength,
      pattern: '\\S',
      'x-pattern': { code: 'blank', vi: '{field} không được chỉ gồm khoảng trắng.', en: '{field} must not be blank.' },
    },
  });
}

/** The root schema of a dataset's `data`: closed, every property titled. */
export function recordSchema(spec: {
  title: LocalizedText;
  properties: Record<string, JsonSchema>;
  required: readonly string[];
  rules: readonly XRule[];
}): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: spec.title.vi,
    'x-title': { vi: spec.title.vi, en: spec.title.en },
    type: 'object',
    properties: spec.properties,
    required: [...spec.required],
    additionalProperties: false,
    'x-rules': [...spec.rules],
  };
}

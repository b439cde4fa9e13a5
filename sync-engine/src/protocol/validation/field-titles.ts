import type { DatasetDescriptor, LocalizedText } from '../catalog.js';
import type { RecordError } from '../push.js';

export type Language = 'vi' | 'en';

type SchemaHolder = Pick<DatasetDescriptor, 'schema'>;

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The schema of a top-level field, or undefined when the dataset has no such field. */
export function fieldSchema(descriptor: SchemaHolder, field: string): Record<string, unknown> | undefined {
  return asObject(asObject(descriptor.schema['properties'])?.[field]);
}

/** Both titles of a field: `x-title`, else `title` for both languages, else the field's name. */
export function fieldTitles(descriptor: SchemaHolder, field: string): LocalizedText {
  const schema = fieldSchema(descriptor, field);
  const x = asObject(schema?.['x-title']);
  const plain = typeof schema?.['title'] === 'string' ? schema['title'] : field;
  return {
    vi: typeof x?.['vi'] === 'string' ? x['vi'] : plain,
    en: typeof x?.['en'] === 'string' ? x['en'] : plain,
  };
}

/** A field's title in one language, for labels and messages. */
export function describeField(descriptor: SchemaHolder, field: string, lang: Language): string {
  return fieldTitles(descriptor, field)[lang];
}

/** The label of an enum value (`x-enumTitles`), or the value itself. */
export function describeEnumValue(descriptor: SchemaHolder, field: string, value: string, lang: Language): string {
  const label = asObject(asObject(fieldSchema(descriptor, field)?.['x-enumTitles'])?.[value]);
  return typeof label?.[lang] === 'string' ? label[lang] : value;
}

/** JSON Pointer (RFC 6901) of a top-level field. */
export function pointerOf(field: string): string {
  return `/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The top-level field a JSON Pointer starts with, or undefined for the root. */
export function fieldOfPointer(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const first = path.slice(1).split('/')[0] ?? '';
  return first.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * A RecordError whose `message` is the English text, as the wire carries it.
 * With `dates`, `vi` and `en` have a `{name}` where each date goes: the
 * messages name the dates as stored, and `template` and `params` carry them
 * as values for the window to write day/month/year (message-params.ts).
 */
export function recordError(path: string, code: string, vi: string, en: string, dates?: Readonly<Record<string, string>>): RecordError {
  if (!dates) return { path, code, message: en, messages: { vi, en } };
  const messages = { vi: fill(vi, dates), en: fill(en, dates) };
  const params = Object.fromEntries(Object.entries(dates).map(([name, date]) => [name, { date }]));
  return { path, code, message: messages.en, messages, template: { vi, en }, params };
}

/** Replaces `{name}` placeholders. */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

import type { DatasetView } from '../api/types.js';
import type { FieldSpec } from './schema-form.js';

/**
 * What a NEW record's form starts with: the office's own codes (the engine's
 * `officeValues`) and each field's `x-default` from the dataset's schema:
 * - `today`: today's date in this computer's local time zone (at 06:30 in
 *   Hà Nội, UTC is still yesterday); on a date-time field, the current minute.
 * - `last-used`: the value this window last saved in that field of a new record
 *   of the dataset (LastUsedValues), for a staff member's name typed forty times
 *   a day. Never for a citizen's data, whatever a schema says: not a personal ID
 *   number, a unique field or the field that names the record.
 * These are ordinary values, shown as typed: the person changes or clears them.
 * An edit, a conflict, `records put` and the CSV import get none of them.
 */

/** The longest value `last-used` keeps: a name or a code, never a page of notes. */
export const MAX_REMEMBERED_CHARS = 200;

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar date in this computer's local time zone, YYYY-MM-DD. */
export function localDate(now: Date): string {
  return `${String(now.getFullYear()).padStart(4, '0')}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The stored value `today` gives the field: a local date, or the instant of the current minute (seconds dropped); none on other kinds. */
export function todayValue(spec: FieldSpec, now: Date): string | undefined {
  if (spec.kind === 'date') return localDate(now);
  if (spec.kind !== 'dateTime') return undefined;
  const minute = new Date(now.getTime());
  minute.setSeconds(0, 0);
  return minute.toISOString().replace(/\.000Z$/, 'Z');
}

/** Whether the field keeps the value last saved in it: declared `last-used`, a text or a choice, and no citizen's data. */
export function remembersLastUsed(spec: FieldSpec, dataset: Pick<DatasetView, 'uniqueFields' | 'display'>): boolean {
  return (
    spec.initial === 'last-used' &&
    (spec.kind === 'text' || spec.kind === 'enum') &&
    !spec.personalId &&
    !dataset.uniqueFields.includes(spec.name) &&
    dataset.display.titleField !== spec.name
  );
}

/** A value worth keeping for the next new record: text, not blank, not longer than the cap. */
export function rememberable(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= MAX_REMEMBERED_CHARS;
}

/**
 * A new record's data: each field's default, then the office's values over them.
 * `remembered(field)`: the value last saved in that field, if any.
 */
export function newRecordData(
  specs: readonly FieldSpec[],
  dataset: Pick<DatasetView, 'uniqueFields' | 'display' | 'officeValues'>,
  now: Date,
  remembered: (field: string) => string | undefined,
): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = spec.initial === 'today' ? todayValue(spec, now) : remembersLastUsed(spec, dataset) ? remembered(spec.name) : undefined;
    if (value !== undefined) data[spec.name] = value;
  }
  return { ...data, ...dataset.officeValues };
}

/** The values of a saved new record that its dataset's next new record starts with. */
export function valuesToRemember(
  specs: readonly FieldSpec[],
  dataset: Pick<DatasetView, 'uniqueFields' | 'display'>,
  data: Record<string, unknown>,
): Array<[field: string, value: string]> {
  return specs.flatMap((spec) => {
    const value = data[spec.name];
    return remembersLastUsed(spec, dataset) && rememberable(value) ? [[spec.name, value] as [string, string]] : [];
  });
}

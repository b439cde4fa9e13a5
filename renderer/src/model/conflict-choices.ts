import type { ConflictView } from '../api/types.js';
import type { Language } from '../i18n/index.js';
import { regroupedText, unreadableDate, valueOf } from './schema-form.js';
import type { FieldSpec } from './schema-form.js';

export type ConflictField = ConflictView['fields'][number];

/** Per field: take one side, or a value the user typed (held as input text). */
export type FieldChoice = { take: 'local' | 'national' } | { take: 'value'; text: string };
export type Choices = Record<string, FieldChoice | undefined>;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Equal as data (key order of objects does not matter; absent equals null). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** The starting choices: whatever the engine already decided by itself or by policy. */
export function initialChoices(fields: readonly ConflictField[]): Choices {
  const choices: Choices = {};
  for (const f of fields) if (f.auto) choices[f.field] = { take: f.auto };
  return choices;
}

/**
 * The choices kept when a newer national version refreshes the conflict while
 * the person decides: a field whose base, values and automatic choice are
 * still those shown keeps the person's choice, a typed value included; a field
 * the newer version changed, or brought, starts over (its automatic choice, or
 * none) to be chosen again on the values now shown.
 */
export function refreshedChoices(seen: readonly ConflictField[], fresh: readonly ConflictField[], choices: Choices): Choices {
  const next = initialChoices(fresh);
  for (const f of fresh) {
    const before = seen.find((s) => s.field === f.field);
    const choice = choices[f.field];
    const unchanged = before && before.auto === f.auto && sameValue(before.base, f.base) && sameValue(before.local, f.local) && sameValue(before.national, f.national);
    if (choice && unchanged) next[f.field] = choice;
  }
  return next;
}

/**
 * One side chosen on every row that needs a person (the conflicting fields), as
 * "take local" / "take national" mean to the engine (conflicts.resolve): a row
 * the merge settled by itself keeps its choice, the automatic one unless the
 * person changed it.
 */
export function withConflictingTaken(fields: readonly ConflictField[], choices: Choices, take: 'local' | 'national'): Choices {
  const next: Choices = { ...choices };
  for (const f of fields) if (!f.auto) next[f.field] = { take };
  return next;
}

/** The typed values' whole numbers regrouped for the window's new language (regroupedText); the rest as they were. */
export function regroupedChoices(choices: Choices, specs: ReadonlyMap<string, FieldSpec>, from: Language, to: Language): Choices {
  const next: Choices = {};
  for (const [field, choice] of Object.entries(choices)) {
    next[field] = choice?.take === 'value' ? { take: 'value', text: regroupedText(specs.get(field), choice.text, from, to) } : choice;
  }
  return next;
}

/**
 * Turns the screen's choices into `conflicts.resolve` input. Typed values are
 * converted by the dataset's schema as the record form converts them (a number
 * for an integer field, a list for a list field, day/month/year to the stored
 * date). Fields without a choice are returned in `missing`; "another value"
 * left empty in `blank` (sent, it would reach the engine as null and be refused
 * as "must be text"); typed dates that cannot be read in `unreadable`: the
 * screen sends nothing while any of them has any.
 */
export function resolution(fields: readonly ConflictField[], choices: Choices, specs: ReadonlyMap<string, FieldSpec>, language: Language) {
  const picks: Record<string, 'local' | 'national'> = {};
  const values: Record<string, unknown> = {};
  const missing: string[] = [];
  const unreadable: string[] = [];
  const blank: string[] = [];
  for (const f of fields) {
    const choice = choices[f.field];
    if (!choice) missing.push(f.field);
    else if (choice.take === 'value' && choice.text.trim() === '') blank.push(f.field);
    else if (choice.take === 'value') {
      const spec = specs.get(f.field);
      if (spec && unreadableDate(spec, choice.text)) unreadable.push(f.field);
      values[f.field] = spec ? (valueOf(spec, choice.text, language) ?? null) : choice.text;
    } else picks[f.field] = choice.take;
  }
  return { fields: picks, values, missing, blank, unreadable };
}

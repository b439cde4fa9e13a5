import { fieldsOf, type FieldSpec } from './schema-form.js';

/**
 * The Records list's filters a dataset's schema offers (the engine's
 * records/record-filter.ts reads the same keywords): a choice per enum field
 * marked `x-filter` (a status), a commune per commune code field marked
 * `x-filter`, and "overdue" / "due today" when a date-time is marked `x-due`.
 * Nothing names a dataset here: a new dataset's schema brings its own filters.
 */
export interface ListFilters {
  choices: FieldSpec[];
  commune: FieldSpec | null;
  /** The deadline field (`x-due`), if any. */
  due: FieldSpec | null;
}

export type DueFilter = 'overdue' | 'today';

/** What the list filters by now: field → value, and the deadline filter. */
export interface FilterValue {
  fields: Record<string, string>;
  due: DueFilter | null;
}

export const NO_FILTER: FilterValue = { fields: {}, due: null };

export function listFiltersOf(schema: Record<string, unknown>): ListFilters {
  const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>;
  const specs = fieldsOf(schema);
  const marked = specs.filter((s) => properties[s.name]?.['x-filter'] === true);
  const dueName = Object.entries(properties).find(([, p]) => typeof p['x-due'] === 'object' && p['x-due'] !== null)?.[0];
  return {
    choices: marked.filter((s) => s.kind === 'enum'),
    commune: marked.find((s) => s.lookup === 'commune') ?? null,
    due: specs.find((s) => s.name === dueName) ?? null,
  };
}

/** The AgentApi `filter` of a value; undefined for none, so an unfiltered call is as before. */
export function apiFilter(value: FilterValue): { fields?: Record<string, string>; due?: DueFilter } | undefined {
  const fields = Object.fromEntries(Object.entries(value.fields).filter(([, v]) => v !== ''));
  const some = Object.keys(fields).length > 0;
  if (!some && !value.due) return undefined;
  return { ...(some ? { fields } : {}), ...(value.due ? { due: value.due } : {}) };
}

/** A stable text of the value, for the list's query key. */
export function filterKey(value: FilterValue): string {
  return JSON.stringify(apiFilter(value) ?? null);
}

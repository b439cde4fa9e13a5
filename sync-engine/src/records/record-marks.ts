import type { Sql } from '../store/sql.js';
import { chunk } from '../store/sql.js';

/**
 * Which of `records` a query finds, as a lookup: one statement per dataset and
 * 500 ids, for a page of views (never one per row). `idsOf(part)` is the SQL
 * that selects the matching `"id"`s among `part`, bound as `[dataset, ...part]`
 * (its `"dataset" = ?` first, then `"id" IN (...)`).
 */
export async function recordMarks(
  db: Sql,
  records: readonly { dataset: string; recordId: string }[],
  idsOf: (part: readonly string[]) => string,
): Promise<(dataset: string, recordId: string) => boolean> {
  const key = (dataset: string, id: string) => `${dataset}\u0000${id}`;
  const byDataset = new Map<string, Set<string>>();
  for (const r of records) byDataset.set(r.dataset, (byDataset.get(r.dataset) ?? new Set()).add(r.recordId));
  const marked = new Set<string>();
  for (const [dataset, ids] of byDataset) {
    for (const part of chunk([...ids], 500)) {
      const rows = await db.all<{ id: string }>(idsOf(part), [dataset, ...part]);
      for (const row of rows) marked.add(key(dataset, row.id));
    }
  }
  return (dataset, recordId) => marked.has(key(dataset, recordId));
}

/** `"id" IN (?, ?, ...)` for `part`. */
export function idsIn(part: readonly string[]): string {
  return `"id" IN (${part.map(() => '?').join(', ')})`;
}

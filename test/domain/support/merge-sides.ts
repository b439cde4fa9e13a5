import type { MergeDecision, MergeSide } from '../../../sync-engine/src/domain/index.js';
import type { FieldPolicy, RecordData } from '../../../sync-engine/src/protocol/index.js';

/** The sides and decisions the merge tests compare. */
export type Policies = Record<string, FieldPolicy>;
export const live = (data: RecordData): MergeSide => ({ data, deleted: false });
export const gone = (): MergeSide => ({ data: null, deleted: true });

/** Field lists in field order, so a table row does not depend on the order fields were visited. */
export function normalized(decision: MergeDecision): MergeDecision {
  const byField = <T extends { field: string }>(xs: T[]): T[] => [...xs].sort((a, b) => a.field.localeCompare(b.field));
  switch (decision.kind) {
    case 'merged':
      return { ...decision, resolutions: byField(decision.resolutions) };
    case 'take-remote':
    case 'keep-local':
      return decision.resolutions ? { ...decision, resolutions: byField(decision.resolutions) } : decision;
    case 'conflict':
      return { ...decision, fields: byField(decision.fields), autoResolved: byField(decision.autoResolved) };
    default:
      return decision;
  }
}

import type { RecordView } from '../../../sync-engine/src/api/index.js';
import type { FakeAgent } from './fake-agent.js';

/** The `filter` records.list and records.export take (sync-engine/src/records/record-filter.ts). */
export interface FakeFilter {
  fields?: Record<string, string> | undefined;
  due?: 'overdue' | 'today' | undefined;
}

/** A dossier's deadline is met once it is one of these (procedure-dossiers' x-due). */
const DONE = ['completed', 'returned', 'cancelled'];

/**
 * As the engine answers a filter: equality on the fields, and on the dossiers' appointment "overdue"
 * (before the fake's clock) or "today" (the computer's calendar day), while not done, earliest first.
 */
export function applyFilter(agent: FakeAgent, list: readonly RecordView[], filter: FakeFilter | undefined): RecordView[] {
  if (!filter) return [...list];
  let out = list.filter((r) => Object.entries(filter.fields ?? {}).every(([f, v]) => r.data?.[f] === v));
  if (filter.due) {
    const due = (r: RecordView) => Date.parse(String(r.data?.['appointmentAt']));
    const now = new Date(agent.now);
    const start = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
    const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime();
    out = out
      .filter((r) => !DONE.includes(String(r.data?.['status'])))
      .filter((r) => (filter.due === 'overdue' ? due(r) < agent.now : due(r) >= start && due(r) < end))
      .sort((a, b) => due(a) - due(b));
  }
  return out;
}

/**
 * The fake agent's conflicts.* commands: list, get, resolve one (by side, by
 * field, with typed values, or a possible duplicate's answer) and resolve many
 * by side (chosen, or all a filter holds), with the engine's refusals.
 */
import { refusals } from '../../../sync-engine/src/service/service-errors.js';
import { LocalWriteRefused } from '../../../sync-engine/src/records/write-errors.js';
import { toApiError } from '../../../sync-engine/src/service/api-errors.js';
import { CHANGED_OUT_OF_FILTER } from '../../../sync-engine/src/service/handlers/conflicts.js';
import { fail, ok } from './fake-answers.js';
import type { Handlers } from './fake-answers.js';
import type { FakeAgent } from './fake-agent.js';
import type { ConflictView } from '../../../sync-engine/src/api/index.js';

/** Who the fake says settled a conflict: it does not see the caller's name (the tests' console gives this one). */
const SETTLED_BY = 'Người kiểm thử';

/** conflicts.list, .get, .resolve, .resolveMany, and .matching with .resolveMatching (a take of all a filter holds). */
export function conflictHandlers(agent: FakeAgent) {
  return {
    // As the engine: the filters apply to all of them, the page after.
    'conflicts.list': ({ status, dataset, kind, field, offset, limit }) => {
      const list = agent.conflicts.filter((c) => c.status === status && (!dataset || c.dataset === dataset) && (!kind || c.kind === kind) && onlyField(c, field));
      return ok({ items: list.slice(offset, offset + limit), total: list.length });
    },
    'conflicts.get': ({ id }) => ok(agent.conflicts.find((c) => c.id === id) ?? null),
    'conflicts.resolve': ({ id, version, take, fields, values, duplicate }) => {
      const c = agent.conflicts.find((x) => x.id === id && x.status === 'open');
      if (!c) return fail('not_found', 'Xung đột không còn mở.', 'The conflict is no longer open.');
      if (agent.conflictRefusal) return { ok: false as const, error: agent.conflictRefusal };
      // As the engine: nothing of this office's change of a record that left its scope is kept.
      const keepsLocal = take === 'local' || Object.values(fields ?? {}).includes('local') || Object.keys(values ?? {}).length > 0 || duplicate === 'keep-both';
      if (c.leftScope && keepsLocal) return { ok: false as const, error: toApiError(LocalWriteRefused.keepLeftScope(c.recordId)) };
      if (version !== undefined && version !== c.version) {
        return fail('conflict_unresolved', 'Bản quốc gia của bản ghi này vừa thay đổi trong lúc bạn đang xem.', 'The national version of this record changed while you were looking at it.');
      }
      c.status = 'resolved';
      // As the engine: this office's side goes up; otherwise nothing is sent, and a record that left the scope, or
      // this office's possible duplicate, leaves this computer.
      const sent = keepsLocal;
      const gone = !sent && (c.leftScope || duplicate === 'discard-local');
      const choice = duplicate === 'discard-local' ? 'discard-local' : duplicate === 'keep-both' ? 'edit' : fields || values ? 'fields' : take === 'local' ? 'local' : 'national';
      c.settled = { at: new Date(agent.now).toISOString(), by: SETTLED_BY, choice, outcome: sent ? 'queued' : gone ? 'discarded' : 'adopted-remote' };
      agent.emit('conflicts.changed', { open: agent.conflicts.filter((x) => x.status === 'open').length, added: [] });
      agent.emit('status.changed', agent.status());
      return ok({ id, recordState: sent ? ('waiting' as const) : gone ? null : ('synced' as const), sent });
    },
    'conflicts.resolveMany': ({ ids, versions, take }) => {
      const out = settleMany(agent, ids, take, (id) => versions?.[id]);
      agent.emit('conflicts.changed', { open: agent.conflicts.filter((x) => x.status === 'open').length, added: [] });
      return ok(out);
    },
    // As the engine: the open conflicts the filter holds, counted with a mark; the take then settles none changed after it.
    'conflicts.matching': ({ dataset, kind, field }) => {
      const open = agent.conflicts.filter((c) => c.status === 'open' && (!dataset || c.dataset === dataset) && (!kind || c.kind === kind) && onlyField(c, field));
      const bulkable = open.filter((c) => c.kind !== 'possible-duplicate');
      const through = agent.countedConflicts.push(new Map(bulkable.map((c) => [c.id, c.version]))) - 1;
      return ok({ total: open.length, bulkable: bulkable.length, leftScope: bulkable.filter((c) => c.leftScope).length, duplicates: open.length - bulkable.length, through });
    },
    'conflicts.resolveMatching': ({ dataset, kind, field, take, through, after, limit }) => {
      if (after !== undefined && agent.matchingPageRefusal) return { ok: false as const, error: agent.matchingPageRefusal };
      const counted = agent.countedConflicts[through] ?? new Map<string, string>();
      const matches = (c: ConflictView) =>
        c.status === 'open' && c.kind !== 'possible-duplicate' && (!dataset || c.dataset === dataset) && (!kind || c.kind === kind) && onlyField(c, field);
      const left = agent.conflicts.filter((c) => matches(c) && counted.has(c.id) && c.id > (after ?? '')).sort((a, b) => (a.id < b.id ? -1 : 1));
      const page = left.slice(0, limit);
      // The version counted: one a newer national version refreshed since is left open.
      const out = settleMany(agent, page.map((c) => c.id), take, (id) => counted.get(id));
      const stopped = out.busy.length > 0;
      const next = !stopped && left.length > limit ? page.at(-1)!.id : null;
      const newSince = next === null ? agent.conflicts.filter((c) => matches(c) && !counted.has(c.id)).length : 0;
      // As the engine, on the last page: a counted one a newer national version moved out of the filter is left open and said.
      const leftFilter = next === null ? agent.conflicts.filter((c) => c.status === 'open' && counted.has(c.id) && !matches(c)) : [];
      const changed = [...out.changed, ...leftFilter.map((c) => ({ id: c.id, messages: CHANGED_OUT_OF_FILTER }))];
      agent.emit('conflicts.changed', { open: agent.conflicts.filter((x) => x.status === 'open').length, added: [] });
      return ok({ ...out, changed, next, newSince, notTried: stopped ? left.length - page.length : 0 });
    },
  } satisfies Partial<Handlers>;
}

type LeftOpen = Array<{ id: string; messages: { vi: string; en: string } }>;

/** As the engine's resolveMany: each conflict on its version (when one is given), the first busy one stopping it. */
function settleMany(agent: FakeAgent, ids: readonly string[], take: 'local' | 'national', versionOf: (id: string) => string | undefined) {
  let resolved = 0;
  let gone = 0;
  const failed: LeftOpen = [];
  const changed: LeftOpen = [];
  const outOfScope: LeftOpen = [];
  const busy: LeftOpen = [];
  for (const [i, id] of ids.entries()) {
    const c = agent.conflicts.find((x) => x.id === id && x.status === 'open');
    const version = versionOf(id);
    if (agent.writeLockHeld) {
      // The agent's own words; the first waits and is refused, the rest are not tried.
      const { messages } = refusals.storeWriteBusy(agent.dataDir, 'MAY-UBND-XA/4242/fake');
      busy.push(...ids.slice(i).map((left) => ({ id: left, messages })));
      break;
    } else if (c && version !== undefined && version !== c.version) {
      changed.push({ id, messages: { vi: 'Bản quốc gia của bản ghi này vừa thay đổi trong lúc bạn đang xem.', en: 'The national version of this record changed while you were looking at it.' } });
    } else if (c && c.leftScope && take === 'local') {
      outOfScope.push({ id, messages: LocalWriteRefused.keepLeftScope(c.recordId).messages });
    } else if (c && c.kind !== 'possible-duplicate') {
      c.status = 'resolved';
      c.settled = { at: new Date(agent.now).toISOString(), by: SETTLED_BY, choice: take, outcome: take === 'local' ? 'queued' : c.leftScope ? 'discarded' : 'adopted-remote' };
      resolved++;
      // As the engine: the national version of a record that left the scope takes it off this computer.
      if (c.leftScope) gone++;
    } else failed.push({ id, messages: { vi: 'Không giải quyết được xung đột này.', en: 'This conflict could not be settled.' } });
  }
  return { resolved, gone, changed, outOfScope, busy, failed };
}

/** As the engine's `field` filter: the conflicts whose one conflicting field is FIELD (any, without one). */
function onlyField(c: ConflictView, field: string | undefined): boolean {
  return !field || (c.fields.length === 1 && c.fields[0]!.field === field);
}

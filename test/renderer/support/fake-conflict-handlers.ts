/**
 * The fake agent's conflicts.* commands: list, get, resolve one (by side, by
 * field, with typed values, or a possible duplicate's answer) and resolve many
 * by side, with the engine's refusals.
 */
import { refusals } from '../../../sync-engine/src/service/service-errors.js';
import { LocalWriteRefused } from '../../../sync-engine/src/records/write-errors.js';
import { toApiError } from '../../../sync-engine/src/service/api-errors.js';
import { fail, ok } from './fake-answers.js';
import type { Handlers } from './fake-answers.js';
import type { FakeAgent } from './fake-agent.js';

/** Who the fake says settled a conflict: it does not see the caller's name (the tests' console gives this one). */
const SETTLED_BY = 'Người kiểm thử';

/** conflicts.list, .get, .resolve and .resolveMany. */
export function conflictHandlers(agent: FakeAgent) {
  return {
    // As the engine: the filters apply to all of them, the page after.
    'conflicts.list': ({ status, dataset, kind, offset, limit }) => {
      const list = agent.conflicts.filter((c) => c.status === status && (!dataset || c.dataset === dataset) && (!kind || c.kind === kind));
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
      let resolved = 0;
      let gone = 0;
      const failed: Array<{ id: string; messages: { vi: string; en: string } }> = [];
      const changed: typeof failed = [];
      const outOfScope: typeof failed = [];
      const busy: typeof failed = [];
      for (const [i, id] of ids.entries()) {
        const c = agent.conflicts.find((x) => x.id === id && x.status === 'open');
        if (agent.writeLockHeld) {
          // The agent's own words; the first waits and is refused, the rest are not tried.
          const { messages } = refusals.storeWriteBusy(agent.dataDir, 'MAY-UBND-XA/4242/fake');
          busy.push(...ids.slice(i).map((left) => ({ id: left, messages })));
          break;
        } else if (c && versions?.[id] !== undefined && versions[id] !== c.version) {
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
      agent.emit('conflicts.changed', { open: agent.conflicts.filter((x) => x.status === 'open').length, added: [] });
      return ok({ resolved, gone, changed, outOfScope, busy, failed });
    },
  } satisfies Partial<Handlers>;
}

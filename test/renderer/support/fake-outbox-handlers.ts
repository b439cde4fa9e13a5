/**
 * The fake agent's outbox.* commands: list, retry (a change the platform is
 * certain to refuse again is kept back, as the engine does) and discard.
 */
import type { OutboxEntryView } from '../../../sync-engine/src/api/index.js';
import { LocalWriteRefused } from '../../../sync-engine/src/records/write-errors.js';
import { ok } from './fake-answers.js';
import type { Handlers } from './fake-answers.js';
import type { FakeAgent } from './fake-agent.js';

/** outbox.list, outbox.retry and outbox.discard. */
export function outboxHandlers(agent: FakeAgent) {
  return {
    'outbox.list': ({ status, dataset, offset, limit }) => {
      const chosen = agent.outbox.filter((e) => (!status || e.status === status) && (!dataset || e.dataset === dataset));
      // As the engine: each entry counts its record's other held-back changes over the whole outbox, not the page.
      const othersHeld = (e: OutboxEntryView) =>
        agent.outbox.filter((o) => o.seq !== e.seq && o.status === 'quarantined' && o.dataset === e.dataset && o.recordId === e.recordId).length;
      return ok({ items: chosen.slice(offset, offset + limit).map((e) => ({ ...e, othersHeld: othersHeld(e) })), total: chosen.length });
    },
    'outbox.retry': ({ seq }) => {
      const chosen = agent.outbox.filter((e) => e.status === 'quarantined' && (seq === undefined || e.seq === seq));
      // As the engine: a change the platform is certain to refuse again is not queued.
      const refusalOf = (e: OutboxEntryView) =>
        e.leftScope || e.notOnPlatform ? LocalWriteRefused.notSentAgain(e.recordId, e.leftScope ? 'left_scope' : 'not_on_platform') : null;
      const refused = chosen.flatMap((e) => {
        const refusal = refusalOf(e);
        return refusal ? [{ seq: e.seq, recordId: e.recordId, code: e.leftScope ? ('out_of_scope' as const) : ('not_found' as const), messages: refusal.messages }] : [];
      });
      if (seq !== undefined && refused[0]) return { ok: false as const, error: { code: refused[0].code, messages: refused[0].messages } };
      const retried = chosen.filter((e) => !refusalOf(e));
      for (const e of retried) Object.assign(e, { status: 'queued', errors: [] });
      agent.emit('status.changed', agent.status());
      return ok({ retried: retried.length, kept: refused });
    },
    'outbox.discard': ({ seq }) => {
      const entry = agent.outbox.find((e) => e.seq === seq);
      if (entry?.status !== 'quarantined') {
        const refusal = LocalWriteRefused.cannotDiscard(seq, entry?.status === 'queued' || entry?.status === 'in_flight' ? entry.status : null);
        return { ok: false as const, error: { code: entry ? ('invalid_input' as const) : ('not_found' as const), messages: refusal.messages } };
      }
      const gone = agent.outbox.filter((e) => e.dataset === entry.dataset && e.recordId === entry.recordId);
      agent.outbox = agent.outbox.filter((e) => !gone.includes(e));
      const record = agent.byId.get(`${entry.dataset}/${entry.recordId}`);
      const kept = entry.nationalVersion && !entry.leftScope;
      if (record && kept) {
        record.state = 'synced';
        delete record.errors;
      } else if (record) {
        const list = agent.records.get(entry.dataset)!;
        list.splice(list.indexOf(record), 1);
        agent.byId.delete(`${entry.dataset}/${entry.recordId}`);
      }
      agent.changed(entry.dataset, [entry.recordId]);
      return ok({ discarded: gone.length, dataset: entry.dataset, recordId: entry.recordId, recordState: kept ? ('synced' as const) : null });
    },
  } satisfies Partial<Handlers>;
}

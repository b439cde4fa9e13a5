import type { HandlerTable } from '../service-core.js';
import { outboxEntryViews } from '../record-views.js';

type OutboxCommands = 'outbox.list' | 'outbox.retry' | 'outbox.discard' | 'audit.verify';

/** The outbox screen (what waits, what failed and why, retry or discard) and the audit log's check. */
export const outboxHandlers: HandlerTable<OutboxCommands> = {
  'outbox.list': async (core, args) => {
    const db = core.ctx.store.sql;
    const filter = { ...(args.status ? { status: args.status } : {}), ...(args.dataset ? { dataset: args.dataset } : {}) };
    const entries = await core.outbox.list({ ...filter, limit: args.limit, offset: args.offset });
    const catalog = new Map((await core.ctx.catalog.list(db)).map((d) => [d.name, d]));
    const total = await core.outbox.count(filter);
    return { items: await outboxEntryViews(db, entries, catalog), total };
  },

  'outbox.retry': async (core, args, caller) => {
    const { retried, kept } = await core.outbox.retry(args.seq, caller.user);
    if (retried > 0) core.statusChanged();
    return {
      retried,
      kept: kept.map((k) => ({ seq: k.seq, recordId: k.recordId, code: k.refusal.code === 'left_scope' ? ('out_of_scope' as const) : ('not_found' as const), messages: k.refusal.messages })),
    };
  },

  'outbox.discard': async (core, args, caller) => {
    const outcome = await core.outbox.discard(args.seq, caller.user);
    core.bus.emit('records.changed', { dataset: outcome.dataset, ids: [outcome.recordId] });
    core.statusChanged();
    return outcome;
  },

  'audit.verify': async (core) => {
    const result = await core.ctx.audit.verify(core.ctx.store.sql);
    return result.ok ? { ok: true, events: result.count, brokenAt: null } : { ok: false, events: result.checked, brokenAt: result.brokenAt };
  },
};

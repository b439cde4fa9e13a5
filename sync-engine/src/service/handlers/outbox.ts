import type { HandlerTable } from '../service-core.js';
import { leftScopeMarks } from '../../records/left-scope.js';
import { toOutboxEntryView } from '../record-views.js';

type OutboxCommands = 'outbox.list' | 'outbox.retry' | 'audit.verify';

/** The outbox screen (what waits, what failed and why, retry) and the audit log's check. */
export const outboxHandlers: HandlerTable<OutboxCommands> = {
  'outbox.list': async (core, args) => {
    const db = core.ctx.store.sql;
    const filter = { ...(args.status ? { status: args.status } : {}), ...(args.dataset ? { dataset: args.dataset } : {}) };
    const entries = await core.outbox.list({ ...filter, limit: args.limit, offset: args.offset });
    const catalog = new Map((await core.ctx.catalog.list(db)).map((d) => [d.name, d]));
    const total = await core.outbox.count(filter);
    const leftScope = await leftScopeMarks(db, entries);
    return { items: entries.map((e) => toOutboxEntryView(e, catalog.get(e.dataset) ?? null, leftScope(e.dataset, e.recordId))), total };
  },

  'outbox.retry': async (core, args, caller) => {
    const retried = await core.outbox.retry(args.seq, caller.user);
    if (retried > 0) core.statusChanged();
    return { retried };
  },

  'audit.verify': async (core) => {
    const result = await core.ctx.audit.verify(core.ctx.store.sql);
    return result.ok ? { ok: true, events: result.count, brokenAt: null } : { ok: false, events: result.checked, brokenAt: result.brokenAt };
  },
};

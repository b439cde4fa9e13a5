import { recordHistory } from '../record-history.js';
import type { HandlerTable } from '../service-core.js';

/** A record's change history, read from the audit log (read only). */
export const historyHandlers: HandlerTable<'records.history'> = {
  'records.history': async (core, args) => {
    const site = (await core.ctx.credentials.identity(core.ctx.store.sql))?.siteCode ?? null;
    return recordHistory(core.ctx.store.sql, core.ctx.audit, args, site);
  },
};

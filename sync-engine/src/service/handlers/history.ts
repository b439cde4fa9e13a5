import { UnknownDataset } from '../../records/write-errors.js';
import { recordHistory } from '../record-history.js';
import type { HandlerTable } from '../service-core.js';

/** A record's change history, read from the audit log (read only). */
export const historyHandlers: HandlerTable<'records.history'> = {
  'records.history': async (core, args) => {
    const site = (await core.ctx.credentials.identity(core.ctx.store.sql))?.siteCode ?? null;
    const history = await recordHistory(core.ctx.store.sql, core.ctx.audit, args, site);
    // Nothing found: in no such dataset, says so (the catalog read only then).
    if (history.items.length === 0 && !history.current && !(await core.ctx.catalog.get(core.ctx.store.sql, args.dataset))) throw new UnknownDataset(args.dataset);
    return history;
  },
};

import { importRecords } from '../../import/index.js';
import { LocalCreates } from '../../records/local-creates.js';
import { writable } from '../../records/local-writes.js';
import { ServiceRefusal } from '../service-errors.js';
import type { HandlerTable } from '../service-core.js';

/** records.import: a spreadsheet (CSV) into a read-write dataset, through the same checks and writes as records.put (import/record-import.ts). */
export const importHandlers: HandlerTable<'records.import'> = {
  'records.import': async (core, args, caller) => {
    const descriptor = writable(await core.ctx.catalog.get(core.ctx.store.sql, args.dataset), args.dataset);
    const outcome = await importRecords(
      descriptor,
      new LocalCreates(core.ctx),
      { dataset: args.dataset, csv: args.csv, source: args.source ?? null, dryRun: args.dryRun, user: caller.user },
      (ids) => {
        core.bus.emit('records.changed', { dataset: args.dataset, ids });
        core.statusChanged();
      },
    );
    if (!outcome.ok) throw new ServiceRefusal('invalid_input', outcome.messages);
    return outcome.result;
  },
};

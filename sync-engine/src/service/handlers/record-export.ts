import { exportRecordsToFolder, EXPORTS_FOLDER } from '../../export/index.js';
import { UnknownDataset } from '../../records/write-errors.js';
import { join } from 'node:path';
import { diskRefusal } from '../disk-refusal.js';
import type { HandlerTable } from '../service-core.js';

/** records.export: the Records list's records as CSV into the data folder's exports/ (export/export-file.ts), audited with the caller. */
export const exportHandlers: HandlerTable<'records.export'> = {
  'records.export': async (core, args, caller) => {
    const descriptor = await core.ctx.catalog.get(core.ctx.store.sql, args.dataset);
    if (!descriptor) throw new UnknownDataset(args.dataset);
    const lang = args.lang ?? (await core.settings.read()).language;
    const createdAt = new Date(core.ctx.now()).toISOString();
    try {
      const written = await exportRecordsToFolder(
        core.ctx,
        core.dataDir,
        descriptor,
        { lang, search: args.search, state: args.state, stateColumn: args.stateColumn },
        { actor: caller.user, origin: 'window' },
      );
      return { path: written.file, records: written.records, bytes: written.bytes, createdAt };
    } catch (error) {
      throw diskRefusal(error, { vi: 'tệp CSV', en: 'the CSV file' }, join(core.dataDir, EXPORTS_FOLDER)) ?? error;
    }
  },
};

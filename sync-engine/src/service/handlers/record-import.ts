import { importRecords } from '../../import/index.js';
import { LocalCreates } from '../../records/local-creates.js';
import { writable } from '../../records/local-writes.js';
import { ServiceRefusal } from '../service-errors.js';
import type { HandlerTable } from '../service-core.js';

/** records.import: a spreadsheet (CSV, or an Excel workbook in base64) into a read-write dataset, through the same checks and writes as records.put (import/record-import.ts). */
export const importHandlers: HandlerTable<'records.import'> = {
  'records.import': async (core, args, caller) => {
    if ((args.csv === undefined) === (args.xlsx === undefined)) {
      throw new ServiceRefusal('invalid_input', {
        vi: 'Cần đúng một tệp: csv (văn bản CSV) hoặc xlsx (tệp Excel dạng base64).',
        en: 'Exactly one file is needed: csv (CSV text) or xlsx (an Excel workbook in base64).',
      });
    }
    if (args.sheet !== undefined && args.xlsx === undefined) {
      throw new ServiceRefusal('invalid_input', {
        vi: 'Chỉ tệp Excel mới có trang tính để chọn: tệp CSV không nhận tên trang tính.',
        en: 'Only an Excel workbook has sheets to choose from: a CSV takes no sheet name.',
      });
    }
    const descriptor = writable(await core.ctx.catalog.get(core.ctx.store.sql, args.dataset), args.dataset);
    const file = args.xlsx !== undefined ? { xlsx: Buffer.from(args.xlsx, 'base64'), ...(args.sheet !== undefined ? { sheet: args.sheet } : {}) } : { csv: args.csv ?? '' };
    const outcome = await importRecords(
      descriptor,
      new LocalCreates(core.ctx),
      { dataset: args.dataset, ...file, source: args.source ?? null, dryRun: args.dryRun, user: caller.user, adminUnits: core.ctx.adminUnits },
      (ids) => {
        core.bus.emit('records.changed', { dataset: args.dataset, ids });
        core.statusChanged();
      },
    );
    if (!outcome.ok) throw new ServiceRefusal('invalid_input', outcome.messages);
    return outcome.result;
  },
};

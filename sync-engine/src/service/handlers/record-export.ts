import { exportRecordsToFolder, EXPORTS_FOLDER, ExportNotReadable, readExportBytes } from '../../export/index.js';
import { EXPORT_CHUNK_BYTES } from '../../api/record-export.js';
import { UnknownDataset } from '../../records/write-errors.js';
import { basename, join } from 'node:path';
import { diskRefusal } from '../disk-refusal.js';
import { checkFilter } from '../filter-refusal.js';
import { ServiceRefusal } from '../service-errors.js';
import type { HandlerTable } from '../service-core.js';

/**
 * records.export: the Records list's records as CSV or an Excel workbook into the data folder's exports/ (export/export-file.ts), audited with the caller.
 * exports.read: such a file back, a chunk a call, for the window or web console to save on the person's computer (not audited: a read of what records.export already logged).
 */
export const exportHandlers: HandlerTable<'records.export' | 'exports.read'> = {
  'records.export': async (core, args, caller) => {
    const descriptor = await core.ctx.catalog.get(core.ctx.store.sql, args.dataset);
    if (!descriptor) throw new UnknownDataset(args.dataset);
    if (args.filter) checkFilter(descriptor, args.filter);
    const lang = args.lang ?? (await core.settings.read()).language;
    const createdAt = new Date(core.ctx.now()).toISOString();
    try {
      const written = await exportRecordsToFolder(
        core.ctx,
        core.dataDir,
        descriptor,
        { lang, search: args.search, state: args.state, filter: args.filter, now: core.ctx.now(), stateColumn: args.stateColumn, format: args.format },
        { actor: caller.user, origin: 'window' },
      );
      return { path: written.file, name: basename(written.file), records: written.records, bytes: written.bytes, createdAt };
    } catch (error) {
      const what = args.format === 'xlsx' ? { vi: 'tệp Excel', en: 'the Excel file' } : { vi: 'tệp CSV', en: 'the CSV file' };
      throw diskRefusal(error, what, join(core.dataDir, EXPORTS_FOLDER)) ?? error;
    }
  },
  'exports.read': async (core, args) => {
    try {
      const piece = await readExportBytes(core.dataDir, args.name, args.offset, EXPORT_CHUNK_BYTES);
      return { name: args.name, size: piece.size, offset: piece.offset, data: piece.bytes.toString('base64'), next: piece.next };
    } catch (error) {
      if (error instanceof ExportNotReadable) throw exportRefusal(error);
      throw error;
    }
  },
};

function exportRefusal(error: ExportNotReadable): ServiceRefusal {
  const name = JSON.stringify(error.exportName.slice(0, 200));
  switch (error.reason) {
    case 'name':
      return new ServiceRefusal('invalid_input', {
        vi: `${name} không phải tên một tệp tác tử đã xuất: chỉ đọc được tệp trong thư mục exports/ của thư mục dữ liệu, theo đúng tên nút "Xuất Excel" hoặc "Xuất CSV" trả về (không có thư mục hay "..").`,
        en: `${name} is not the name of a file the agent exported: only a file in the data folder's exports/ can be read, by the exact name "Export Excel" or "Export CSV" gave (no folder, no "..").`,
      });
    case 'missing':
      return new ServiceRefusal('not_found', {
        vi: `Không còn tệp xuất ${name} trong thư mục exports/ (tác tử chỉ giữ 20 tệp mới nhất). Hãy bấm "Xuất Excel" hoặc "Xuất CSV" lại.`,
        en: `There is no export ${name} in exports/ any more (the agent keeps the newest 20). Press "Export Excel" or "Export CSV" again.`,
      });
    case 'offset':
      return new ServiceRefusal('invalid_input', {
        vi: `Vị trí đọc vượt quá cuối tệp ${name} (${error.size} byte).`,
        en: `The offset is past the end of ${name} (${error.size} bytes).`,
      });
  }
}

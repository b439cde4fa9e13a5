import type { Localized } from '../api/views.js';
import { ServiceRefusal } from './service-errors.js';

/** Node's and SQLite's codes for a disk with no room left. */
const FULL = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
/** ... and for a folder the agent may not write (or a file standing where the folder should be). */
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'EISDIR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN']);

/**
 * A failure to write `what` into `folder` as a sentence for the office: the
 * disk is full, or the folder cannot be written. Null for any other error,
 * which stays an internal one.
 */
export function diskRefusal(error: unknown, what: Localized, folder: string): ServiceRefusal | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  if (FULL.has(code)) {
    return new ServiceRefusal('internal', {
      vi: `Ổ đĩa của máy đã đầy nên không ghi được ${what.vi} vào ${folder}. Hãy giải phóng dung lượng (ví dụ chép các bản sao lưu cũ sang nơi khác rồi xóa) và thử lại.`,
      en: `The computer's disk is full, so ${what.en} could not be written to ${folder}. Free some space (for example, copy old backups elsewhere and delete them) and try again.`,
    });
  }
  if (NOT_WRITABLE.has(code)) {
    return new ServiceRefusal('internal', {
      vi: `Tác tử không ghi được ${what.vi} vào ${folder} (${code}): thư mục không cho phép ghi. Hãy báo bộ phận CNTT kiểm tra quyền của thư mục dữ liệu.`,
      en: `The agent could not write ${what.en} to ${folder} (${code}): the folder cannot be written. Ask IT to check the data folder's permissions.`,
    });
  }
  return null;
}

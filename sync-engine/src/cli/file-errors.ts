import type { ApiError } from '../api/contract.js';
import { EXIT, type ExitCode } from './exit-codes.js';

type Cause = { vi: string; en: string; exit: ExitCode };

/** What a person can do about each file system refusal a command may meet (a path they gave, the rights it runs with, the disk). */
const CAUSES: Record<string, Cause> = {
  EACCES: { vi: 'không có quyền: hãy chạy lệnh với quyền quản trị (root, Administrator) hoặc chọn chỗ khác', en: 'permission denied: run the command as an administrator (root, Administrator) or choose another place', exit: EXIT.other },
  EPERM: { vi: 'hệ điều hành không cho phép: hãy chạy lệnh với quyền quản trị (root, Administrator)', en: 'the operating system does not allow it: run the command as an administrator (root, Administrator)', exit: EXIT.other },
  EROFS: { vi: 'ổ đĩa chỉ cho đọc: hãy chọn chỗ khác', en: 'the disk is read-only: choose another place', exit: EXIT.other },
  ENOSPC: { vi: 'ổ đĩa đã đầy: hãy giải phóng chỗ trống rồi thử lại', en: 'the disk is full: free some space and try again', exit: EXIT.other },
  ENOENT: { vi: 'không có thư mục hoặc tệp này: hãy kiểm tra lại đường dẫn', en: 'no such folder or file: check the path', exit: EXIT.usage },
  ENOTDIR: { vi: 'một phần của đường dẫn không phải là thư mục: hãy kiểm tra lại đường dẫn', en: 'part of the path is not a folder: check the path', exit: EXIT.usage },
  EEXIST: { vi: 'đã có một tệp trùng tên chắn đường: hãy chọn tên khác', en: 'a file of that name is in the way: choose another name', exit: EXIT.usage },
  EISDIR: { vi: 'đây là một thư mục, không phải tệp: hãy ghi rõ tên tệp', en: 'that is a folder, not a file: give a file name', exit: EXIT.usage },
};

/**
 * A command stopped by the file system (a path it was given, the rights it
 * runs with, a full disk) as a sentence in both languages naming the path and
 * what to do, with the exit code of docs/cli.md; null for anything else, which
 * stays an unexpected error.
 */
export function fileSystemFailure(error: unknown): { error: ApiError; exit: ExitCode } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, path, syscall } = error as NodeJS.ErrnoException;
  const cause = code === undefined ? undefined : CAUSES[code];
  if (!cause || typeof syscall !== 'string') return null;
  const where = typeof path === 'string' ? path : '';
  return {
    error: {
      code: cause.exit === EXIT.usage ? 'invalid_input' : 'internal',
      messages: {
        vi: `Không dùng được ${where || 'tệp'}: ${cause.vi} (${code}).`,
        en: `Cannot use ${where || 'the file'}: ${cause.en} (${code}).`,
      },
    },
    exit: cause.exit,
  };
}

/**
 * `file`, which a command was given to read (a provisioning file, a record's
 * JSON, a backup), cannot be read: bad input, exit 1 (docs/cli.md), in the
 * words of fileSystemFailure (the path, the cause, what to do); null for
 * anything else, a refusal of another path included.
 */
export function inputFileFailure(error: unknown, file: string): ApiError | null {
  if (typeof error !== 'object' || error === null) return null;
  const path = (error as NodeJS.ErrnoException).path;
  // Another path's refusal (a folder the command writes) is not this file's; a read of a folder (EISDIR) names no path.
  if (path !== undefined && path !== file) return null;
  const failure = fileSystemFailure(path === undefined ? Object.assign(Object.create(error) as object, { path: file }) : error);
  return failure === null ? null : { ...failure.error, code: 'invalid_input' };
}


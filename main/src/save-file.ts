import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ApiError } from '../../sync-engine/src/api/index.js';
import { SAVE_FILE_CHANNEL } from './channels.js';
import { untrustedSender, type IpcMainLike, type SenderFrame } from './ipc.js';

/**
 * The window's Save dialog: the page hands main a file it holds in memory (the
 * records export, an import's refused rows) as (suggestedName, bytes); main
 * shows the system's Save dialog over the window, proposing that name in the
 * person's Downloads, and writes the bytes where the person chose. This does
 * not rest on how Electron treats an `<a download>` of a blob (reported as a
 * navigation, electron/electron#44375, whose download would be named after the
 * blob's UUID). Main checks everything, as for 'edge-agent:call': the sending
 * frame is the app's page, exactly two arguments, the name a plain file name
 * ending .csv or .xlsx (anything else is proposed as export.csv), the bytes a
 * Uint8Array or ArrayBuffer of at most MAX_SAVE_BYTES. The dialog, the window
 * and the file system are passed in (Node tests drive them; app.ts gives
 * Electron's).
 */

/** What the page gets back: where the file was saved, a cancelled dialog (not an error), or why it was not saved. */
export type SaveFileAnswer = { saved: true; path: string } | { saved: false } | { saved: false; error: ApiError };

/**
 * The largest file the page may hand over: above any export the window makes (100,000 birth
 * registrations are 79 MB of CSV, docs/cli.md), so a large register still reaches the person.
 */
export const MAX_SAVE_BYTES = 256 * 1024 * 1024;
/** A proposed name longer than this is not the page's own: the default is proposed instead. */
export const MAX_NAME_CHARS = 200;
export const DEFAULT_FILE_NAME = 'export.csv';

export type SaveDialogOptions = {
  defaultPath: string;
  filters: { name: string; extensions: string[] }[];
  properties: ['createDirectory', 'showOverwriteConfirmation'];
};

export type SaveFilePorts<W> = {
  /** Electron's dialog.showSaveDialog (with the parent window when there is one). */
  showSaveDialog(parent: W | null, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  /** The window the dialog belongs to (modal over it). */
  parentWindow(): W | null;
  /** app.getPath('downloads'). */
  downloadsDir(): string;
  fs?: FileWrites;
  /** A few random characters for the temporary file's name. */
  random?: () => string;
};

export type FileWrites = {
  writeFile(path: string, data: Uint8Array, options: { flag: 'wx' }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
};

const nodeFs: FileWrites = { writeFile, rename, unlink };

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * The name to propose: `name` when it is a plain file name ending .csv or .xlsx (no folder, no '..',
 * no control or Windows-forbidden character, not a Windows device name, at most 200 characters), else
 * export.csv.
 */
export function safeFileName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_CHARS) return DEFAULT_FILE_NAME;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f/\\<>:"|?*]/.test(name) || name.includes('..')) return DEFAULT_FILE_NAME;
  if (!/^[^.\s].*\.(csv|xlsx)$/i.test(name) || WINDOWS_RESERVED.test(name)) return DEFAULT_FILE_NAME;
  return name;
}

/** The Save dialog's file type, by the name's extension. */
export function fileFilters(name: string): SaveDialogOptions['filters'] {
  return /\.xlsx$/i.test(name) ? [{ name: 'Excel', extensions: ['xlsx'] }] : [{ name: 'CSV', extensions: ['csv'] }];
}

const refused = {
  notBytes: (): ApiError => ({
    code: 'invalid_input',
    messages: { vi: 'Nội dung tệp cần lưu phải là một dãy byte.', en: 'The content of the file to save must be bytes.' },
  }),
  extraArguments: (): ApiError => ({
    code: 'invalid_input',
    messages: { vi: 'Lưu tệp chỉ nhận tên tệp và nội dung của tệp.', en: "Saving a file takes exactly the file's name and its content." },
  }),
  tooLarge: (bytes: number): ApiError => ({
    code: 'invalid_input',
    messages: {
      vi: `Tệp quá lớn để lưu: ${mib(bytes)} MiB, tối đa ${mib(MAX_SAVE_BYTES)} MiB. Hãy xuất ít bản ghi hơn (lọc theo từ khóa hoặc trạng thái) hoặc chọn “Xuất Excel”, tệp nhỏ hơn nhiều.`,
      en: `The file is too large to save: ${mib(bytes)} MiB, at most ${mib(MAX_SAVE_BYTES)} MiB. Export fewer records (filter by search text or state), or choose “Export Excel”, a much smaller file.`,
    },
  }),
  noDialog: (): ApiError => ({
    code: 'internal',
    messages: { vi: 'Không mở được hộp thoại chọn nơi lưu tệp. Hãy thử lại.', en: 'The dialog to choose where to save the file did not open. Try again.' },
  }),
  notWritten: (path: string, code: string | undefined): ApiError => {
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return {
        code: 'internal',
        messages: {
          vi: `Không ghi được tệp vào ${path}: ổ đĩa đã đầy. Hãy giải phóng chỗ trống hoặc chọn ổ đĩa khác, rồi lưu lại.`,
          en: `Could not write the file to ${path}: the disk is full. Free some space or choose another drive, then save again.`,
        },
      };
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EBUSY') {
      return {
        code: 'internal',
        messages: {
          vi: `Không ghi được tệp vào ${path}: không có quyền ghi vào thư mục đó, hoặc tệp đang mở trong chương trình khác (như Excel). Hãy đóng tệp hoặc chọn thư mục khác, rồi lưu lại.`,
          en: `Could not write the file to ${path}: there is no permission to write in that folder, or the file is open in another program (such as Excel). Close the file or choose another folder, then save again.`,
        },
      };
    }
    const why = code ? ` (${code})` : '';
    return {
      code: 'internal',
      messages: {
        vi: `Không ghi được tệp vào ${path}${why}. Hãy chọn thư mục khác, rồi lưu lại.`,
        en: `Could not write the file to ${path}${why}. Choose another folder, then save again.`,
      },
    };
  },
};

function mib(bytes: number): string {
  return (Math.ceil((bytes / (1024 * 1024)) * 10) / 10).toString();
}

function asBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

/** Shows the Save dialog and writes the file; every argument checked first. */
export async function saveFile<W>(ports: SaveFilePorts<W>, name: unknown, content: unknown): Promise<SaveFileAnswer> {
  const bytes = asBytes(content);
  if (!bytes) return { saved: false, error: refused.notBytes() };
  if (bytes.byteLength > MAX_SAVE_BYTES) return { saved: false, error: refused.tooLarge(bytes.byteLength) };
  const proposed = safeFileName(name);
  let chosen: { canceled: boolean; filePath?: string };
  try {
    chosen = await ports.showSaveDialog(ports.parentWindow(), {
      defaultPath: join(ports.downloadsDir(), proposed),
      filters: fileFilters(proposed),
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
  } catch {
    return { saved: false, error: refused.noDialog() };
  }
  if (chosen.canceled || !chosen.filePath) return { saved: false };
  const path = chosen.filePath;
  const fs = ports.fs ?? nodeFs;
  // Written beside the target, then renamed over it: an existing file the person chose to replace is
  // never left half written.
  const random = ports.random ?? (() => randomBytes(6).toString('hex'));
  const temporary = join(dirname(path), `.${basename(path)}.${random()}.part`);
  try {
    await fs.writeFile(temporary, bytes, { flag: 'wx' });
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.unlink(temporary).catch(() => {});
    return { saved: false, error: refused.notWritten(path, (error as NodeJS.ErrnoException | null)?.code) };
  }
  return { saved: true, path };
}

/** Handles SAVE_FILE_CHANNEL: (suggestedName, bytes) from the app's page only. Returns the unregister. */
export function registerSaveFile<W>(ipcMain: IpcMainLike, isTrustedSender: (frame: SenderFrame) => boolean, ports: SaveFilePorts<W>): () => void {
  ipcMain.handle(SAVE_FILE_CHANNEL, async (event, name, bytes, ...extra): Promise<SaveFileAnswer> => {
    if (!isTrustedSender(event.senderFrame)) return { saved: false, error: untrustedSender() };
    // The preload sends exactly (name, bytes); anything more is not our bridge.
    if (extra.length > 0) return { saved: false, error: refused.extraArguments() };
    return saveFile(ports, name, bytes);
  });
  return () => ipcMain.removeHandler(SAVE_FILE_CHANNEL);
}

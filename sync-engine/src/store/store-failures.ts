import { StoreNewerError } from './migrate.js';

/** The store could not be opened because the file is damaged or is not an agent store. */
export class StoreCorruptedError extends Error {
  readonly kind = 'store_corrupted' as const;
  readonly messages: { vi: string; en: string };
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`the agent store ${file} is damaged: ${problems.slice(0, 3).join('; ')}`);
    this.name = 'StoreCorruptedError';
    this.messages = {
      vi: `Tệp dữ liệu của tác tử (${file}) bị hỏng. Hãy khôi phục từ bản sao lưu hoặc đồng bộ lại từ đầu.`,
      en: `The agent's data file (${file}) is damaged. Restore a backup or re-sync from the beginning.`,
    };
  }
}

/**
 * The store could not be opened because another process kept a lock on it
 * past the busy timeout (the running service writing, say): the file is in
 * use, not damaged. `messages` say so without naming the process; the CLI
 * names it from the folder's lease.
 */
export class StoreBusyError extends Error {
  readonly kind = 'store_busy' as const;
  readonly messages: { vi: string; en: string };
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`the agent store ${file} is in use by another process: ${detail}`);
    this.name = 'StoreBusyError';
    this.messages = {
      vi: `Tệp dữ liệu của tác tử (${file}) đang được một chương trình khác dùng; dữ liệu không bị hỏng. Hãy dùng chương trình đó, hoặc dừng nó rồi thử lại.`,
      en: `The agent's data file (${file}) is in use by another program; the data is not damaged. Use that program, or stop it and try again.`,
    };
  }
}

/** SQLITE_CORRUPT or SQLITE_NOTADB, as an error's text. */
export function isDamage(text: string): boolean {
  return /SQLITE_NOTADB|SQLITE_CORRUPT|file is not a database|malformed/i.test(text);
}

/** SQLITE_BUSY, as an error's code or text: sqlite3_errstr(SQLITE_BUSY) is "database is locked". */
function isBusy(text: string): boolean {
  return /SQLITE_BUSY|database is locked/i.test(text);
}

/**
 * A failure of the store's file as what it means: damage (StoreCorruptedError),
 * a lock held by another process (StoreBusyError), or itself. Open uses it;
 * so does a reader that opens without the quick_check (readAgentSnapshot) and
 * meets a damaged page at its first query.
 */
export function storeFailureOf(file: string, error: unknown): unknown {
  if (error instanceof StoreCorruptedError || error instanceof StoreBusyError || error instanceof StoreNewerError) return error;
  const text = String((error as { message?: unknown })?.message ?? error);
  if (isDamage(text)) return new StoreCorruptedError(file, [text]);
  if (isBusy(text) || (error as { code?: unknown })?.code === 'SQLITE_BUSY') return new StoreBusyError(file, text);
  return error;
}

import type { ApiError } from './types.js';

/**
 * Puts a file the page holds in memory (the records export, an import's
 * refused rows) onto the person's computer. In the Electron window the
 * preload's `window.edgeAgent.saveFile(name, bytes)` has main show the
 * system's Save dialog, proposing `name`, and write the file
 * (main/src/save-file.ts): the answer says where, or that the dialog was
 * cancelled, or why not in both languages. In the web console (a browser) the
 * file is an `<a download>` of an object URL: the browser's own download.
 */

/** What main answers (main/src/save-file.ts's SaveFileAnswer). */
export type SaveFileAnswer = { saved: true; path: string } | { saved: false } | { saved: false; error: ApiError };

/** The preload's part that saves files (absent in the web console, and in a window whose preload predates it). */
export type FileSaver = { saveFile?(suggestedName: string, bytes: Uint8Array): Promise<SaveFileAnswer> };

/**
 * saved: the file is on this computer (path: where the person chose, in the window; null: a
 * browser's download, wherever it keeps them). cancelled: the Save dialog was closed without
 * saving, not an error. failed: why not (null: no words came, e.g. no memory for the file).
 */
export type SaveOutcome = { kind: 'saved'; path: string | null } | { kind: 'cancelled' } | { kind: 'failed'; error: ApiError | null };

/** The file's type, by its name: an Excel workbook or a CSV file. */
function typeOf(name: string): string {
  return /\.xlsx$/i.test(name) ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv;charset=utf-8';
}

/** Saves `parts` (joined in order) as a file named `name`; never throws. */
export async function saveBytes(name: string, parts: readonly BlobPart[]): Promise<SaveOutcome> {
  try {
    const blob = new Blob(parts as BlobPart[], { type: typeOf(name) });
    const saver: FileSaver | undefined = window.edgeAgent;
    if (typeof saver?.saveFile !== 'function') {
      offerDownload(blob, name);
      return { kind: 'saved', path: null };
    }
    return outcomeOf(await saver.saveFile(name, new Uint8Array(await blob.arrayBuffer())));
  } catch {
    return { kind: 'failed', error: null };
  }
}

function outcomeOf(answer: unknown): SaveOutcome {
  if (typeof answer !== 'object' || answer === null) return { kind: 'failed', error: null };
  const a = answer as Partial<{ saved: unknown; path: unknown; error: ApiError }>;
  if (a.saved === true && typeof a.path === 'string') return { kind: 'saved', path: a.path };
  if (a.saved === false && a.error === undefined) return { kind: 'cancelled' };
  const error = a.error;
  if (typeof error?.messages?.vi === 'string' && typeof error.messages.en === 'string') return { kind: 'failed', error };
  return { kind: 'failed', error: null };
}

/** How long the file's object URL outlives the click: a browser may still be reading it for the download. */
const OBJECT_URL_LIFE_MS = 60_000;

/** Hands `blob` to the browser as a download named `name` (<a download> with an object URL, revoked afterwards). */
function offerDownload(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), OBJECT_URL_LIFE_MS);
  }
}

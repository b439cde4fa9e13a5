import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';

/**
 * The note of a clean close, beside the database file (`agent.sqlite.checked`):
 * this build closed the file last, as the only connection, after its whole
 * check (quick_check and the full-text index) had passed at `checkedAt`, and
 * the file is exactly as it was left. The next open may then skip the check,
 * which reads the whole file: 3-4 s at 1,000,000 records on an idle machine,
 * 10-15 s on a loaded one (docs/reliability.md, "The check at open").
 *
 * "Exactly as it was left" is the file's identity from the file system: device,
 * inode, size, and its modification and change times in nanoseconds. Any write
 * to the file moves the change time (which no tool can set back), a copy or a
 * restore is another inode, and an unclean end leaves a write-ahead log with
 * content or a file changed after the note. So the note needs no deleting: it
 * stops matching by itself.
 */
export const CLEAN_CLOSE_SUFFIX = '.checked';

/** The whole check runs at least this often, whatever the notes say: damage from the disk itself changes no time. */
export const FULL_CHECK_EVERY_MS = 7 * 24 * 3600 * 1000;

const FORMAT = 'ndxp-edge-agent-clean-close';

interface CleanCloseNote {
  format: typeof FORMAT;
  version: 1;
  /** When the file's whole check last passed (ISO 8601). */
  checkedAt: string;
  closedAt: string;
  file: FileIdentity;
}

interface FileIdentity {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  ctimeNs: string;
}

export function cleanCloseNoteOf(databaseFile: string): string {
  return `${databaseFile}${CLEAN_CLOSE_SUFFIX}`;
}

/**
 * When the file's whole check last passed, if a clean close's note vouches for
 * the file as it is now and that check is less than FULL_CHECK_EVERY_MS old;
 * else null (no note, another file, a log with content, a note from the future
 * or too old, a note that does not parse).
 */
export function checkedAtFromCleanClose(databaseFile: string, now: number): number | null {
  let note: CleanCloseNote;
  try {
    note = JSON.parse(readFileSync(cleanCloseNoteOf(databaseFile), 'utf8')) as CleanCloseNote;
  } catch {
    return null;
  }
  if (note?.format !== FORMAT || note.version !== 1 || typeof note.checkedAt !== 'string') return null;
  const identity = identityOf(databaseFile);
  if (identity === null || !sameIdentity(identity, note.file)) return null;
  if (walHoldsChanges(databaseFile)) return null;
  const checkedAt = Date.parse(note.checkedAt);
  if (!Number.isFinite(checkedAt) || checkedAt > now || now - checkedAt >= FULL_CHECK_EVERY_MS) return null;
  return checkedAt;
}

/**
 * Writes the note after the connection closed, when it was the last one: SQLite
 * then checkpoints and deletes the write-ahead log, so a log still present means
 * another connection has the file open and may write after the note (no note
 * then, and any earlier one is removed). True when written.
 */
export function writeCleanClose(databaseFile: string, checkedAt: number, now: number): boolean {
  const notePath = cleanCloseNoteOf(databaseFile);
  const identity = existsSync(`${databaseFile}-wal`) ? null : identityOf(databaseFile);
  if (identity === null) {
    forgetCleanClose(databaseFile);
    return false;
  }
  const note: CleanCloseNote = { format: FORMAT, version: 1, checkedAt: new Date(checkedAt).toISOString(), closedAt: new Date(now).toISOString(), file: identity };
  const temporary = `${notePath}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(note, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, notePath);
    return true;
  } catch {
    // Without a note the next open checks the whole file: slower, never wrong.
    rmSync(temporary, { force: true });
    return false;
  }
}

/** Removes the note (the next open checks the whole file). */
export function forgetCleanClose(databaseFile: string): void {
  rmSync(cleanCloseNoteOf(databaseFile), { force: true });
}

function identityOf(file: string): FileIdentity | null {
  try {
    const s = statSync(file, { bigint: true });
    return { dev: String(s.dev), ino: String(s.ino), size: String(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs) };
  } catch {
    return null;
  }
}

function sameIdentity(a: FileIdentity, b: FileIdentity | undefined): boolean {
  return b !== undefined && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/** A write-ahead log with frames not yet in the file (SQLite leaves an empty one behind some closes). */
function walHoldsChanges(databaseFile: string): boolean {
  try {
    return statSync(`${databaseFile}-wal`).size > 0;
  } catch {
    return false;
  }
}

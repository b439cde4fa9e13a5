import { join, resolve } from 'node:path';
import { AUTO_BACKUP_FOLDER } from '../ops/backup-schedule.js';
import { AGENT_DB_FILE, StoreBusyError, StoreCorruptedError, storeFailureOf } from '../store/agent-store.js';
import { StoreNewerError } from '../store/migrate.js';
import { folderAccessProblem } from './data-folder-access.js';
import { refusals, type ServiceRefusal } from './service-errors.js';
import { shellWord } from './shell-word.js';

/**
 * A failure of the data folder's file: damaged (StoreCorruptedError, at open
 * or at a later read), or kept locked by another process past the busy timeout
 * (StoreBusyError). A bare SQLite error (SQLITE_CORRUPT from a read, SQLITE_BUSY
 * from a write) is taken as the data file's, the only database the agent
 * writes (backup copies are checked where they are read). Null for any other
 * error.
 */
export function storeFailure(dataDir: string, error: unknown): StoreBusyError | StoreCorruptedError | null {
  const failure = isSqliteError(error) ? storeFailureOf(join(dataDir, AGENT_DB_FILE), error) : error;
  return failure instanceof StoreBusyError || failure instanceof StoreCorruptedError ? failure : null;
}

/**
 * What a failure of the data folder's file means for a person (null for any
 * other error): not readable or writable by this account, whose and how to
 * give it back (`internal`); damaged, where the backups are and how to restore one
 * (`internal`); upgraded by a newer build, which to install or how to restore
 * a backup this build made (`internal`); busy (`busy`), naming `holder` (the lease's live holder, when
 * known), either at `open` (the folder is in use: use that program or stop it)
 * or at a `write` of a store already open (nothing was saved: try again).
 */
export function storeRefusalOf(dataDir: string, error: unknown, holder: string | null, when: 'open' | 'write'): ServiceRefusal | null {
  if (error instanceof StoreNewerError) {
    const home = resolve(dataDir);
    return refusals.storeNewer(resolve(error.file), shellWord(home), join(home, AUTO_BACKUP_FOLDER), error.migrations);
  }
  // SQLite says SQLITE_READONLY or SQLITE_CANTOPEN; the folder's rights say why (a folder left to root, say).
  const access = folderAccessProblem(dataDir, error);
  if (access !== null) return refusals.storeNotAccessible(access, shellWord(access.dataDir));
  const failure = storeFailure(dataDir, error);
  if (failure instanceof StoreBusyError) return when === 'open' ? refusals.storeInUse(dataDir, holder) : refusals.storeWriteBusy(dataDir, holder);
  if (failure instanceof StoreCorruptedError) {
    const home = resolve(dataDir);
    return refusals.storeDamaged(resolve(failure.file), shellWord(home), join(home, AUTO_BACKUP_FOLDER), firstLines(failure.problems[0] ?? failure.message));
  }
  return null;
}

/** An error of the sqlite3 driver (its `code` is SQLITE_…), not one whose text only happens to say "malformed". */
function isSqliteError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

/** DETAIL_LINES of SQLite's complaint on one line: its integrity check may list hundreds of pages, which would push what to do off the screen. */
function firstLines(problem: string): string {
  const lines = problem.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.slice(0, DETAIL_LINES).join('; ') + (lines.length > DETAIL_LINES ? '; …' : '');
}

const DETAIL_LINES = 3;

import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { AGENT_DB_FILE } from '../store/agent-store.js';

/**
 * The data folder (or its data file) that the account running the agent may
 * not read or write: what was denied, to whom, and who owns the folder.
 */
export interface FolderAccessProblem {
  /** The folder, absolute. */
  dataDir: string;
  /** The folder or file refused. */
  path: string;
  denied: 'read' | 'write';
  /** The account running this process: its name, else its uid (null on Windows, where there is no uid). */
  account: string | null;
  /** The folder's owner, as a name where /etc/passwd has it, else its uid; null on Windows. */
  owner: string | null;
}

/** SQLite's words for a file the process may not open or write (sqlite3 driver codes). */
const SQLITE_REFUSALS = new Set(['SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM', 'SQLITE_AUTH']);
const FS_REFUSALS = new Set(['EACCES', 'EPERM']);

/**
 * Why opening the data folder's store failed, when the cause is that this
 * account may not read or write the folder or its data file (a folder left to
 * root, a service account other than the owner): SQLite says only
 * SQLITE_READONLY or SQLITE_CANTOPEN, so the folder and file are checked with
 * access(2). Null for any other error, or when every path is readable and
 * writable here (a read-only disk, say, which the file system's own words say
 * better).
 */
export function folderAccessProblem(dataDir: string, error: unknown): FolderAccessProblem | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(SQLITE_REFUSALS.has(code) || FS_REFUSALS.has(code))) return null;
  const dir = resolve(dataDir);
  const file = join(dir, AGENT_DB_FILE);
  const refused =
    denied(dir, constants.R_OK | constants.X_OK, 'read') ??
    denied(file, constants.R_OK, 'read') ??
    denied(dir, constants.W_OK, 'write') ??
    denied(file, constants.W_OK, 'write') ??
    denied(`${file}-wal`, constants.W_OK, 'write') ??
    denied(`${file}-shm`, constants.W_OK, 'write');
  if (refused === null) return null;
  return { dataDir: dir, ...refused, account: accountName(), owner: ownerOf(dir) };
}

function denied(path: string, mode: number, what: 'read' | 'write'): { path: string; denied: 'read' | 'write' } | null {
  try {
    accessSync(path, mode);
    return null;
  } catch (error) {
    // A side file that is not there is not refused: SQLite makes it.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : { path, denied: what };
  }
}

function accountName(): string | null {
  if (typeof process.getuid !== 'function') return null;
  try {
    return userInfo().username;
  } catch {
    return String(process.getuid());
  }
}

function ownerOf(dir: string): string | null {
  if (process.platform === 'win32') return null;
  let uid: number;
  try {
    uid = statSync(dir).uid;
  } catch {
    return null;
  }
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.split(':')[2] === String(uid));
    return line?.split(':')[0] || String(uid);
  } catch {
    return String(uid);
  }
}

import { lchownSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The file-system calls the hand-back needs; tests pass fakes. */
export interface OwnershipFs {
  /** The effective user id, or null where there is none (Windows). */
  euid(): number | null;
  /** Follows a symbolic link (the data folder itself may be one). */
  stat(path: string): { uid: number; gid: number; isDirectory(): boolean };
  /** Does not follow a symbolic link. */
  lstat(path: string): { uid: number; gid: number; isDirectory(): boolean };
  readdir(path: string): string[];
  lchown(path: string, uid: number, gid: number): void;
}

export const nodeOwnershipFs: OwnershipFs = {
  euid: () => (typeof process.geteuid === 'function' ? process.geteuid() : null),
  stat: (path) => statSync(path),
  lstat: (path) => lstatSync(path),
  readdir: (path) => readdirSync(path),
  lchown: (path, uid, gid) => lchownSync(path, uid, gid),
};

/**
 * What the agent creates at the top of its data folder: the store and its
 * SQLite side files, its clean close's note (store/clean-close.ts), the key pair, the admin token and service file (with the
 * temp files they are written through), and its folders of logs, backups,
 * diagnostics bundles and restores.
 */
const AGENT_ENTRIES = [
  /^agent\.sqlite(-wal|-shm|-journal|\.checked(\.tmp)?)?$/,
  /^agent-key(\.pub)?\.pem(\.\d+\.tmp)?$/,
  /^admin-token(\.\d+\.tmp)?$/,
  /^admin-api\.json(\.\d+\.tmp)?$/,
  /^(logs|backups|diagnostics)$/,
  /^pre-restore-/,
  /^\.restore-/,
];

function isAgentEntry(name: string): boolean {
  return AGENT_ENTRIES.some((pattern) => pattern.test(name));
}

export interface HandBackResult {
  /** The folder's owner the files went to; null when there was nothing to do. */
  owner: { uid: number; gid: number } | null;
  /** How many entries changed owner. */
  changed: number;
  failures: { path: string; message: string }[];
}

/**
 * A command run as root in a data folder that belongs to another account (the
 * service's `ndxp-agent` or `_ndxpagent`, or a person's own folder under sudo)
 * creates its files as root: the database and its WAL files, the key (0600),
 * settings, logs, a restore's files. That account then cannot open them, and
 * systemd's StateDirectory= does not help once the folder's own owner is right.
 * So every entry of the agent's under `dir` that root owns goes back to the
 * folder's owner: the names the agent gives its files at the top of the folder
 * (AGENT_ENTRIES), and everything inside the agent's own folders among them.
 * Anything else is left as it is, so `--home` pointed by mistake at a person's
 * home folder does not hand them root's unrelated files. Entries of other
 * accounts are left alone and symbolic links are not followed. Nothing happens
 * unless this process is root and the folder is someone else's.
 */
export function handBackToFolderOwner(dir: string, fs: OwnershipFs = nodeOwnershipFs): HandBackResult {
  const none: HandBackResult = { owner: null, changed: 0, failures: [] };
  const euid = fs.euid();
  if (euid !== 0) return none;
  let top: ReturnType<OwnershipFs['stat']>;
  try {
    top = fs.stat(dir);
  } catch {
    return none;
  }
  if (!top.isDirectory() || top.uid === euid) return none;
  const owner = { uid: top.uid, gid: top.gid };
  const result: HandBackResult = { owner, changed: 0, failures: [] };
  const visit = (path: string): void => {
    let names: string[];
    try {
      names = fs.readdir(path);
    } catch (error) {
      result.failures.push({ path, message: (error as Error).message });
      return;
    }
    for (const name of path === dir ? names.filter(isAgentEntry) : names) {
      const entry = join(path, name);
      try {
        const st = fs.lstat(entry);
        if (st.uid === euid) {
          fs.lchown(entry, owner.uid, owner.gid);
          result.changed += 1;
        }
        if (st.isDirectory()) visit(entry);
      } catch (error) {
        // Gone meanwhile (a WAL file removed at close) is not a failure.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') result.failures.push({ path: entry, message: (error as Error).message });
      }
    }
  };
  visit(dir);
  return result;
}

import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_TOKEN_FILE = 'admin-token';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43,}$/;

/**
 * The admin API's bearer token lives in the data folder, readable by its owner
 * only (mode 0600; on Windows the data folder's ACL does that job). Whoever can
 * read the data folder can already read the database, so the token adds no new
 * secret holder: it only keeps other local users and web pages out.
 *
 * The service calls this at start. A token file found readable by group or
 * others (restored from an archive, copied, chmod-ed by hand) may have been
 * read by someone else, so its token is replaced, not merely narrowed; so is a
 * malformed one. A replacement is written to a fresh 0600 file and renamed over
 * the old one, so the new token never sits in a file others can read.
 */
export function loadOrCreateAdminToken(dataDir: string, random: (size: number) => Buffer = randomBytes): string {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  const exposed = readableByOthers(path);
  const existing = readAdminToken(dataDir);
  if (existing !== null && !exposed) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = random(32).toString('base64url');
  if (existing === null && !exposed) {
    try {
      // 'wx' fails if another process won the race; then its token is the one.
      writeFileSync(path, token + '\n', { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
      return token;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const raced = readAdminToken(dataDir);
      if (raced !== null) return raced;
    }
  }
  replaceTokenFile(path, token);
  return token;
}

/** The token if the data folder holds a well-formed one (a client of a running service must not create one). */
export function readAdminToken(dataDir: string): string | null {
  const access = adminTokenAccess(dataDir);
  return access.state === 'readable' ? access.token : null;
}

/**
 * What this process finds of the admin token: the token; none yet (no file,
 * or a malformed one the service replaces when it starts); or a file, or data
 * folder, it may not read (another account's: the service's own).
 */
export type AdminTokenAccess = { state: 'readable'; token: string } | { state: 'missing' } | { state: 'denied'; path: string };

export function adminTokenAccess(dataDir: string): AdminTokenAccess {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? { state: 'denied', path } : { state: 'missing' };
  }
  if (!TOKEN_PATTERN.test(text)) return { state: 'missing' };
  tightenMode(path);
  return { state: 'readable', token: text };
}

/**
 * The web console's address with the token. The token rides in the fragment,
 * which browsers never send to a server; still, the address is a credential:
 * only `edge-agent console` prints it, to the person who may read the token
 * file, never a start-up line that lands in a service's log.
 */
export function consoleUrl(port: number, token: string): string {
  return `${consoleAddress(port)}#token=${encodeURIComponent(token)}`;
}

/** The web console's address without the token: what `edge-agent run` prints and may be logged. */
export function consoleAddress(port: number): string {
  return `http://127.0.0.1:${port}/`;
}

function replaceTokenFile(path: string, token: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  writeFileSync(temp, token + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

function readableByOthers(path: string): boolean {
  if (process.platform === 'win32') return false;
  try {
    return (statSync(path).mode & 0o077) !== 0;
  } catch {
    return false;
  }
}

/** A token file others can read is narrowed back to its owner; a file we do not own is left as it is. */
function tightenMode(path: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch {
    // Not ours to change (the service's user owns it): reading it was allowed, so use it.
  }
}

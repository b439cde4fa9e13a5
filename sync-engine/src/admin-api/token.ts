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
 * Each start of the service issues a new token (newAdminToken), so a console
 * address from before (browser history, a copied link) stops working at the
 * next restart; clients that read the file (the CLI, the window) read it again
 * when the service refuses the token they hold (client.ts, provenToken).
 */

/** A token for one run of the service: 32 random bytes, base64url (43 characters). */
export function newAdminToken(random: (size: number) => Buffer = randomBytes): string {
  return random(32).toString('base64url');
}

/**
 * Puts the service's token for this run in the data folder, replacing any
 * earlier one (a previous run's, a malformed one, one restored from an
 * archive or chmod-ed so others could read it): always a fresh 0600 file
 * renamed over the old one, so the token never sits in a file others can read
 * and a client never reads half a token. The service calls it once its admin
 * port is its own: a second start refused at the port leaves the running
 * service's token in place.
 */
export function saveAdminToken(dataDir: string, token: string): void {
  if (!TOKEN_PATTERN.test(token)) throw new Error('not an admin token');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  // The process id keeps two processes' temporary files apart; 'wx' refuses one left over.
  const temp = `${path}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  try {
    writeFileSync(temp, token + '\n', { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
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

/** A token file others can read is narrowed back to its owner; a file we do not own is left as it is. */
function tightenMode(path: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  } catch {
    // Not ours to change (the service's user owns it): reading it was allowed, so use it.
  }
}

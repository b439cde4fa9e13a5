import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN_TOKEN_FILE = 'admin-token';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43,}$/;

/**
 * The admin API's bearer token lives in the data folder, readable by its owner
 * only (mode 0600; on Windows the data folder's ACL does that job). Whoever can
 * read the data folder can already read the database, so the token adds no new
 * secret holder: it only keeps other local users and web pages out.
 */
export function loadOrCreateAdminToken(dataDir: string, random: (size: number) => Buffer = randomBytes): string {
  const existing = readAdminToken(dataDir);
  if (existing !== null) return existing;
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = random(32).toString('base64url');
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  try {
    // 'wx' fails if another process won the race; then its token is the one.
    writeFileSync(path, token + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = readAdminToken(dataDir);
    if (raced !== null) return raced;
    // A malformed file (truncated, edited by hand): replace it.
    writeFileSync(path, token + '\n', { mode: 0o600 });
  }
  chmodSync(path, 0o600);
  return token;
}

/** The token if the data folder holds a well-formed one (a client of a running service must not create one). */
export function readAdminToken(dataDir: string): string | null {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
  if (!TOKEN_PATTERN.test(text)) return null;
  tightenMode(path);
  return text;
}

/** The web console's address; the token rides in the fragment, which browsers never send to a server. */
export function consoleUrl(port: number, token: string): string {
  return `http://127.0.0.1:${port}/#token=${encodeURIComponent(token)}`;
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

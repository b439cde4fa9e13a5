/**
 * Who asked for a command, for the audit log's "who". In the process that
 * hosts the engine it is the process's own user; a client of the background
 * service (the window, the CLI) says who its person is, because the service
 * itself runs under an account of its own (`ndxp-agent`, LocalService).
 * Anyone holding the admin token may already change every record, so the
 * name is taken as said: it records who acted, it grants nothing.
 */
export interface Caller {
  user?: string;
}

/** The admin API's request header carrying the caller's user name, percent-encoded (names may hold Vietnamese letters). */
export const CALLER_USER_HEADER = 'x-edge-agent-user';

const MAX_USER_LENGTH = 128;

/** A user name fit for the audit log: trimmed, printable, at most 128 characters; otherwise none. */
export function cleanUserName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const name = raw.trim();
  if (name.length === 0 || name.length > MAX_USER_LENGTH || /\p{Cc}/u.test(name)) return undefined;
  return name;
}

/** The header's value decoded, or none when it is absent or malformed. */
export function callerUserFromHeader(value: string | string[] | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return cleanUserName(decodeURIComponent(value));
  } catch {
    return undefined;
  }
}

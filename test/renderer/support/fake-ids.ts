/**
 * The names and ids the fake agent's sample data shares with the tests: the
 * datasets' names, a hostile string, another syncing program, and the shape
 * of a record id.
 */

export const BIRTHS = 'civil-status-births';
export const DOSSIERS = 'procedure-dossiers';
export const HOUSEHOLDS = 'business-households';
export const ADMIN_UNITS = 'admin-units';
export const XSS = '<img src=x onerror=alert(1)>';
/** Another program holding the data folder's lease: a computer at the one-stop desk and its process. */
export const OTHER_SYNCER = { host: 'MAY-MOT-CUA-02', pid: 7316 };

/** A record id of the shape the contract accepts (36 characters of hex and dashes). */
export function fakeId(datasetIndex: number, n: number): string {
  return `0000000${datasetIndex}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

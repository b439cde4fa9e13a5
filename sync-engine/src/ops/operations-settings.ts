import { Settings } from '../store/key-value.js';
import type { Sql } from '../store/sql.js';

/**
 * Settings local IT sets for the network and the backups. They live in the
 * store's `settings` table next to the person's settings (so a backup carries
 * them), under keys the settings screen does not show.
 */
export interface OperationsSettings {
  /** Extra CA bundles (PEM file paths) trusted in addition to Node's default roots. */
  caFiles: string[];
  /** Hosts that bypass the proxy (NO_PROXY syntax); null = the NO_PROXY environment variable. */
  noProxy: string | null;
  /** When `edge-agent run` makes an automatic backup (five cron fields). */
  backupSchedule: string;
  /** How many automatic backups are kept (and, counted apart, how many made with "Back up now"). */
  backupRetention: number;
}

export const DEFAULT_OPERATIONS_SETTINGS: Readonly<OperationsSettings> = Object.freeze({
  caFiles: [],
  noProxy: null,
  backupSchedule: '0 2 * * *',
  backupRetention: 7,
});

const table = new Settings();

export async function readOperationsSettings(db: Sql): Promise<OperationsSettings> {
  const caFiles = await table.get<unknown>(db, 'caFiles');
  const noProxy = await table.get<unknown>(db, 'noProxy');
  const backupSchedule = await table.get<unknown>(db, 'backupSchedule');
  const backupRetention = await table.get<unknown>(db, 'backupRetention');
  return {
    caFiles: Array.isArray(caFiles) && caFiles.every((f) => typeof f === 'string') ? caFiles : [...DEFAULT_OPERATIONS_SETTINGS.caFiles],
    noProxy: typeof noProxy === 'string' ? noProxy : DEFAULT_OPERATIONS_SETTINGS.noProxy,
    backupSchedule: typeof backupSchedule === 'string' ? backupSchedule : DEFAULT_OPERATIONS_SETTINGS.backupSchedule,
    backupRetention: Number.isInteger(backupRetention) && (backupRetention as number) > 0 ? (backupRetention as number) : DEFAULT_OPERATIONS_SETTINGS.backupRetention,
  };
}

export async function writeOperationsSettings(tx: Sql, changes: Partial<OperationsSettings>): Promise<void> {
  for (const [key, value] of Object.entries(changes)) {
    if (value !== undefined) await table.set(tx, key, value);
  }
}

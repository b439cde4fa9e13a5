import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CronSource, CronTask } from '../schedule/ports.js';
import { createBackup, type BackupManifest } from './backup.js';
import { appendAuditEventToFolder, backupMadeEvent, SCHEDULE_ACTOR } from './maintenance-audit.js';

/** Automatic and manual ("Back up now") backups go here, named so that name order is time order. */
export const AUTO_BACKUP_FOLDER = 'backups';
/** Each kind is rotated on its own: a manual backup never pushes a scheduled one out, nor the reverse. */
export type BackupKind = 'auto' | 'manual';
const NAMES: Record<BackupKind, RegExp> = { auto: /^auto-\d{8}T\d{6}Z\.tar\.gz$/, manual: /^manual-\d{8}T\d{6}Z\.tar\.gz$/ };

export interface AutomaticBackupOptions {
  dataDir: string;
  schedule: string;
  retention: number;
  cron: CronSource;
  now: () => number;
  agentVersion: string;
  onDone?: (file: string) => void;
  onError?: (error: unknown) => void;
}

/** Starts the backup schedule `edge-agent run` keeps (settings backupSchedule, backupRetention). */
export function startAutomaticBackups(options: AutomaticBackupOptions): CronTask {
  let running = false;
  return options.cron.start(options.schedule, () => {
    if (running) return;
    running = true;
    // `running` is cleared before the callbacks, so a callback sees the schedule ready for the next tick.
    void automaticBackup(options).then(
      (file) => {
        running = false;
        options.onDone?.(file);
      },
      (error: unknown) => {
        running = false;
        options.onError?.(error);
      },
    );
  });
}

/**
 * One automatic backup, written to the audit log (actor "schedule"), then the
 * oldest ones beyond `retention` are removed. A backup whose event cannot be
 * written is removed and the error thrown: no copy of the data goes unrecorded.
 */
export async function automaticBackup(options: Pick<AutomaticBackupOptions, 'dataDir' | 'retention' | 'now' | 'agentVersion'>): Promise<string> {
  const { file, manifest } = await backupToFolder('auto', options);
  try {
    await appendAuditEventToFolder(options.dataDir, backupMadeEvent(SCHEDULE_ACTOR, 'schedule', file, statSync(file).size, manifest), options.now);
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
  return file;
}

/**
 * A backup in the data folder's backups/ as `<kind>-<UTC time>.tar.gz`, then
 * the oldest of that kind beyond `retention` are removed. Also the window's
 * "Back up now" (kind 'manual').
 */
export async function backupToFolder(
  kind: BackupKind,
  options: Pick<AutomaticBackupOptions, 'dataDir' | 'retention' | 'now' | 'agentVersion'>,
): Promise<{ file: string; manifest: BackupManifest }> {
  const folder = join(options.dataDir, AUTO_BACKUP_FOLDER);
  const file = join(folder, `${kind}-${timeStamp(options.now())}.tar.gz`);
  const manifest = await createBackup(options.dataDir, file, { now: options.now, agentVersion: options.agentVersion });
  pruneBackups(folder, kind, options.retention);
  return { file, manifest };
}

/** Keeps the newest `retention` automatic backups (manual backups and hand-made files in the folder are left alone). */
export function pruneAutomaticBackups(folder: string, retention: number): string[] {
  return pruneBackups(folder, 'auto', retention);
}

function pruneBackups(folder: string, kind: BackupKind, retention: number): string[] {
  const ours = readdirSync(folder).filter((n) => NAMES[kind].test(n)).sort();
  const removed = ours.slice(0, Math.max(0, ours.length - retention));
  for (const name of removed) rmSync(join(folder, name), { force: true });
  return removed;
}

/** `20261120T020000Z`: UTC, to the second, sorts as time. */
export function timeStamp(at: number): string {
  return new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

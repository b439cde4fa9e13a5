import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CronSource, CronTask } from '../schedule/ports.js';
import { createBackup } from './backup.js';

/** Automatic backups go here, named so that name order is time order. */
export const AUTO_BACKUP_FOLDER = 'backups';
const AUTO_NAME = /^auto-\d{8}T\d{6}Z\.tar\.gz$/;

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

/** One automatic backup, then the oldest ones beyond `retention` are removed. */
export async function automaticBackup(options: Pick<AutomaticBackupOptions, 'dataDir' | 'retention' | 'now' | 'agentVersion'>): Promise<string> {
  const stamp = new Date(options.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const file = join(options.dataDir, AUTO_BACKUP_FOLDER, `auto-${stamp}.tar.gz`);
  await createBackup(options.dataDir, file, { now: options.now, agentVersion: options.agentVersion });
  pruneAutomaticBackups(join(options.dataDir, AUTO_BACKUP_FOLDER), options.retention);
  return file;
}

/** Keeps the newest `retention` automatic backups (hand-made files in the folder are left alone). */
export function pruneAutomaticBackups(folder: string, retention: number): string[] {
  const autos = readdirSync(folder).filter((n) => AUTO_NAME.test(n)).sort();
  const removed = autos.slice(0, Math.max(0, autos.length - retention));
  for (const name of removed) rmSync(join(folder, name), { force: true });
  return removed;
}

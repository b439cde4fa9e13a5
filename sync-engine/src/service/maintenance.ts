import { rm, stat } from 'node:fs/promises';
import { arch, release } from 'node:os';
import { join, resolve } from 'node:path';
import type { AgentStatusView, BackupMade, DiagnosticsMade, Localized } from '../api/views.js';
import { snapshotOfStore } from '../ops/agent-snapshot.js';
import { AUTO_BACKUP_FOLDER, backupToFolder } from '../ops/backup-schedule.js';
import { DIAGNOSTICS_FOLDER, DIAGNOSTICS_SYNC_RUNS, diagnosticsToFolder } from '../ops/diagnostics.js';
import { doctorForSnapshot } from '../ops/doctor.js';
import { appendAuditEvent, backupMadeEvent, diagnosticsExportedEvent } from '../ops/maintenance-audit.js';
import { readOperationsSettings } from '../ops/operations-settings.js';
import type { EngineContext } from '../store/engine-context.js';
import type { KeyStore } from '../sync/ports.js';
import { diskRefusal } from './disk-refusal.js';
import { shellWord } from './shell-word.js';
import { syncRunPage } from './sync-run-pages.js';

export interface MaintenanceOptions {
  dataDir: string;
  agentVersion: string;
  ctx: EngineContext;
  keyStore: KeyStore;
  status(): Promise<AgentStatusView>;
}

const BACKUP: Localized = { vi: 'bản sao lưu', en: 'the backup' };
const BUNDLE: Localized = { vi: 'gói chẩn đoán', en: 'the diagnostics bundle' };

/**
 * "Back up now" and "Export diagnostics" for the window and the web console.
 * The files go only into the data folder (backups/, diagnostics/): a command
 * from a browser never chooses a path on disk. One of each runs at a time; a
 * second request meanwhile gets the same answer. Neither holds up syncing: the
 * backup reads one SQLite snapshot on its own connection (WAL lets writers go
 * on) and compresses it off the main thread. Each file made is written to the
 * audit log with the person who asked (ops/maintenance-audit.ts); a backup
 * whose event cannot be written is removed, so no copy of the data goes
 * unrecorded.
 */
export class Maintenance {
  private backup: Promise<BackupMade> | null = null;
  private diagnostics: Promise<DiagnosticsMade> | null = null;

  constructor(private readonly options: MaintenanceOptions) {}

  /** `user`: who asked, for the audit log (a second request meanwhile shares the first one's backup and its event). */
  backupNow(user: string): Promise<BackupMade> {
    this.backup ??= this.makeBackup(user).finally(() => (this.backup = null));
    return this.backup;
  }

  exportDiagnostics(user: string): Promise<DiagnosticsMade> {
    this.diagnostics ??= this.makeDiagnostics(user).finally(() => (this.diagnostics = null));
    return this.diagnostics;
  }

  /** Resolves once nothing is being written (the service waits for it before closing the store). */
  async idle(): Promise<void> {
    await Promise.allSettled([this.backup, this.diagnostics]);
  }

  private async makeBackup(user: string): Promise<BackupMade> {
    const { dataDir, agentVersion, ctx } = this.options;
    const { backupRetention } = await readOperationsSettings(ctx.store.sql);
    const folder = join(dataDir, AUTO_BACKUP_FOLDER);
    try {
      const { file, manifest } = await backupToFolder('manual', { dataDir, retention: backupRetention, now: ctx.now, agentVersion });
      const bytes = (await stat(file)).size;
      await appendAuditEvent(ctx, backupMadeEvent(user, 'window', file, bytes, manifest)).catch(async (error: unknown) => {
        await rm(file, { force: true });
        throw error;
      });
      return {
        path: file,
        bytes,
        createdAt: manifest.createdAt,
        records: manifest.records ?? 0,
        files: manifest.files.map((f) => ({ name: f.name, size: f.size })),
        agentVersion: manifest.agentVersion,
      };
    } catch (error) {
      throw diskRefusal(error, BACKUP, folder) ?? error;
    }
  }

  private async makeDiagnostics(user: string): Promise<DiagnosticsMade> {
    const { dataDir, agentVersion, ctx, keyStore } = this.options;
    const snapshot = await snapshotOfStore(ctx.store);
    const [status, syncRuns, doctor] = await Promise.all([
      this.options.status(),
      syncRunPage(ctx.store.sql, DIAGNOSTICS_SYNC_RUNS, shellWord(resolve(dataDir))),
      doctorForSnapshot(snapshot, { keyStore, now: ctx.now, env: process.env }),
    ]);
    try {
      const made = await diagnosticsToFolder({
        dataDir,
        snapshot,
        status,
        syncRuns,
        doctor,
        agentVersion,
        os: { platform: process.platform, release: release(), arch: arch(), node: process.version },
        now: ctx.now,
      });
      // Best effort: the bundle masks personal data, and it must come out of a damaged store too.
      await appendAuditEvent(ctx, diagnosticsExportedEvent(user, 'window', made.file, made.bytes)).catch(() => undefined);
      return { path: made.file, bytes: made.bytes, createdAt: made.bundle.createdAt, database: made.bundle.database.integrity };
    } catch (error) {
      throw diskRefusal(error, BUNDLE, join(dataDir, DIAGNOSTICS_FOLDER)) ?? error;
    }
  }
}

import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AuditLog, type AuditEventInput } from '../audit/audit-log.js';
import { AGENT_DB_FILE, openAgentStore, type AgentStore } from '../store/agent-store.js';
import type { EngineContext } from '../store/engine-context.js';
import type { BackupManifest } from './backup.js';

/**
 * The audit log's record of copies of the data leaving the store: a backup
 * holds every record of the office, personal data included, so who made one,
 * when and where is kept with the other decisions (PRODUCT.md: the audit log
 * records who and when). Also diagnostics bundles (personal data masked) and
 * restores (which put an older state of the data back).
 */

/** Who made a backup: a person's name, or the schedule of `edge-agent run`. */
export const SCHEDULE_ACTOR = 'schedule';

/** How a backup came to be: the window or web console's "Back up now", the schedule, the CLI's `backup FILE`. */
export type BackupOrigin = 'window' | 'schedule' | 'cli';

export function backupMadeEvent(actor: string, origin: BackupOrigin, file: string, bytes: number, manifest: BackupManifest): AuditEventInput {
  const database = manifest.files.find((f) => f.name === AGENT_DB_FILE);
  return {
    action: 'backup.made',
    actor,
    details: { origin, file, bytes, createdAt: manifest.createdAt, records: manifest.records ?? null, databaseSha256: database?.sha256 ?? null },
  };
}

export function diagnosticsExportedEvent(actor: string, origin: Exclude<BackupOrigin, 'schedule'>, file: string, bytes: number): AuditEventInput {
  return { action: 'diagnostics.exported', actor, details: { origin, file, bytes } };
}

export function backupRestoredEvent(actor: string, file: string, manifest: BackupManifest, previous: string | null): AuditEventInput {
  return {
    action: 'backup.restored',
    actor,
    details: { file: basename(file), backupCreatedAt: manifest.createdAt, records: manifest.records ?? null, previous },
  };
}

/** Appends one event durably through an open store (the service's own). */
export async function appendAuditEvent(ctx: Pick<EngineContext, 'store' | 'audit'>, event: AuditEventInput): Promise<void> {
  await ctx.store.transaction((tx) => ctx.audit.append(tx, event));
}


/**
 * Appends one event to the audit log of the data folder's store from a
 * process that does not have it open (the CLI, the backup schedule): its own
 * connection, opened and closed here. Store transactions take the write lock
 * before they read (BEGIN IMMEDIATE, AgentStore), so this and the service's
 * appends wait for each other and the chain never forks. A folder with no
 * store is an error: this never creates one.
 */
export async function appendAuditEventToFolder(dataDir: string, event: AuditEventInput, now: () => number = Date.now): Promise<void> {
  if (!existsSync(join(dataDir, AGENT_DB_FILE))) throw new Error(`no agent store in ${dataDir}`);
  const store: AgentStore = await openAgentStore(dataDir, { integrityCheck: false });
  try {
    const audit = new AuditLog(now);
    await store.transaction((tx) => audit.append(tx, event));
  } finally {
    await store.close();
  }
}

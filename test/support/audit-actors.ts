import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { AGENT_DB_FILE } from '../../sync-engine/src/store/agent-store.js';

export interface AuditActor {
  action: string;
  actor: string;
  recordId: string | null;
  /** The event's details, as logged. */
  details: Record<string, unknown>;
}

/** Who the audit log names for each event not made by sync, oldest first, read on a connection of its own. */
export function auditActors(dataDir: string): Promise<AuditActor[]> {
  const db = new sqlite3.Database(join(dataDir, AGENT_DB_FILE), sqlite3.OPEN_READONLY);
  return new Promise((resolve, reject) => {
    db.all('SELECT "action", "actor", "record_id" AS "recordId", "details" FROM "audit_log" WHERE "actor" <> \'sync\' ORDER BY "seq"', (error, rows) => {
      db.close();
      if (error) reject(error);
      else resolve((rows as Array<Omit<AuditActor, 'details'> & { details: string }>).map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> })));
    });
  });
}

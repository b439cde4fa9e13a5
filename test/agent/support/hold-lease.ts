import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { AGENT_DB_FILE } from '../../../sync-engine/src/store/agent-store.js';

/** Writes the data folder's lease as another program holding it for a minute (`host/pid/random`), on a connection of its own. */
export function holdLease(dataDir: string, holder: string): Promise<void> {
  const db = new sqlite3.Database(join(dataDir, AGENT_DB_FILE));
  return new Promise((resolve, reject) => {
    db.run('INSERT OR REPLACE INTO "lease" ("id", "holder", "expires_at") VALUES (1, ?, ?)', [holder, Date.now() + 60_000], (error) => {
      db.close();
      if (error) reject(error);
      else resolve();
    });
  });
}

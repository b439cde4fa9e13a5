import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings as SettingsView } from '../api/views.js';
import { AgentSettings } from '../service/agent-settings.js';
import { AGENT_DB_FILE, openAgentStore, storeFailureOf, type AgentStore } from '../store/agent-store.js';
import { Credentials, type AgentIdentity } from '../store/key-value.js';
import { readOperationsSettings, type OperationsSettings } from './operations-settings.js';

/** What the operations commands read from a data folder, without starting a service. */
export interface AgentSnapshot {
  settings: SettingsView;
  operations: OperationsSettings;
  identity: AgentIdentity | null;
}

/**
 * Reads settings and identity from the folder's store (opened and closed
 * again; reading is safe while a service runs: SQLite WAL). A folder with no
 * store yet reads as defaults. By default it opens without the quick_check
 * (O(size of the file)), so a damaged page shows only if the read meets it;
 * `integrityCheck: 'read-only'` checks every table, index and page first, as
 * `run` and the in-process commands do beside a running service (never taking
 * the write lock), unless a clean close's note vouches for the file and
 * `trustCleanClose` is not false. Either failure is a StoreCorruptedError (or StoreBusyError).
 */
export async function readAgentSnapshot(dataDir: string, options: { integrityCheck?: false | 'read-only'; trustCleanClose?: boolean } = {}): Promise<AgentSnapshot> {
  const fresh = !existsSync(join(dataDir, AGENT_DB_FILE));
  const store = await openAgentStore(dataDir, { integrityCheck: options.integrityCheck ?? false, ...(options.trustCleanClose === false ? { trustCleanClose: false } : {}) });
  try {
    const snapshot = await snapshotOfStore(store);
    return fresh ? { ...snapshot, identity: null } : snapshot;
  } catch (error) {
    throw storeFailureOf(store.file, error);
  } finally {
    await store.close();
  }
}

/** The same from a store already open (a running service's). */
export async function snapshotOfStore(store: AgentStore): Promise<AgentSnapshot> {
  const settings = await new AgentSettings(store).read();
  const operations = await readOperationsSettings(store.sql);
  const identity = await new Credentials().identity(store.sql);
  return { settings, operations, identity };
}

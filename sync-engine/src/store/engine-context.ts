import { AuditLog } from '../audit/audit-log.js';
import { uuidv7 } from '../protocol/uuid.js';
import { bundledAdminUnits, type AdminUnitsIndex } from '../protocol/reference-data/index.js';
import type { AgentStore } from './agent-store.js';
import { CatalogCache } from './catalog-cache.js';
import { Credentials, Settings } from './key-value.js';

/**
 * What every engine module shares: the store, the clock, the id source and the
 * small table gateways. Passed in, never global, so tests drive time and ids.
 */
export interface EngineContext {
  store: AgentStore;
  /** ms since the epoch. */
  now(): number;
  /** A new UUID v7 (record ids, mutation ids, conflict ids, run ids). */
  newId(): string;
  audit: AuditLog;
  catalog: CatalogCache;
  credentials: Credentials;
  settings: Settings;
  /** Code lists the validation checks against. */
  adminUnits: AdminUnitsIndex;
}

export interface EngineContextOptions {
  now?: () => number;
  newId?: () => string;
  adminUnits?: AdminUnitsIndex;
}

export function createEngineContext(store: AgentStore, options: EngineContextOptions = {}): EngineContext {
  const now = options.now ?? Date.now;
  return {
    store,
    now,
    newId: options.newId ?? (() => uuidv7(now())),
    audit: new AuditLog(now),
    catalog: new CatalogCache(),
    credentials: new Credentials(),
    settings: new Settings(),
    adminUnits: options.adminUnits ?? bundledAdminUnits(),
  };
}

export function isoNow(ctx: Pick<EngineContext, 'now'>): string {
  return new Date(ctx.now()).toISOString();
}

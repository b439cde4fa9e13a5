import { AuditLog } from '../audit/audit-log.js';
import { uuidv7 } from '../protocol/uuid.js';
import type { AdminUnitsIndex } from '../protocol/reference-data/index.js';
import type { AgentStore } from './agent-store.js';
import { CachedAdminUnits, type AdminUnitsFallbackNotice } from './cached-admin-units.js';
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
  /**
   * Code lists the validation checks against: the cached `admin-units`
   * records, else the bundled table (cached-admin-units.ts). Read it at the
   * moment of checking, never keep it: reloadAdminUnits() replaces it.
   */
  readonly adminUnits: AdminUnitsIndex;
  /** Reads the cached `admin-units` records again: at open, and after a sync run whose pull changed them. */
  reloadAdminUnits(): Promise<void>;
}

export interface EngineContextOptions {
  now?: () => number;
  newId?: () => string;
  /** Validate by these units, as given, instead of the cached records (tests). */
  adminUnits?: AdminUnitsIndex;
  /** Told once when the cached table holds no unit and the bundled one is used instead (the service's background log). */
  onAdminUnitsNotice?: (notice: AdminUnitsFallbackNotice) => void;
}

export function createEngineContext(store: AgentStore, options: EngineContextOptions = {}): EngineContext {
  const now = options.now ?? Date.now;
  const units = new CachedAdminUnits(options.adminUnits, options.onAdminUnitsNotice);
  return {
    store,
    now,
    newId: options.newId ?? (() => uuidv7(now())),
    audit: new AuditLog(now),
    catalog: new CatalogCache(),
    credentials: new Credentials(),
    settings: new Settings(),
    get adminUnits() {
      return units.current;
    },
    reloadAdminUnits: () => units.reload(store.sql),
  };
}

export function isoNow(ctx: Pick<EngineContext, 'now'>): string {
  return new Date(ctx.now()).toISOString();
}

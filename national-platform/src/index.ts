import type { AddressInfo } from 'node:net';
import type { ValidationContext } from '../../sync-engine/src/protocol/validation/index.js';
import { createPlatformServer, type PublicScheme, type TlsOptions } from './http/server.js';
import { createPlatformAdmin, type PlatformAdmin } from './services/admin.js';
import { AdminUnitsInForce } from './services/admin-units-in-force.js';
import { RequestAuthenticator } from './services/auth.js';
import { Catalog } from './services/catalog.js';
import { DigestService } from './services/digest.js';
import { EnrollmentService } from './services/enrollment.js';
import { LastSeenRecorder } from './services/last-seen.js';
import { missedEpochStarter } from './services/epoch.js';
import { MaintenanceSwitch } from './services/maintenance.js';
import { NonceRegistry } from './services/nonce-registry.js';
import { PullService } from './services/pull.js';
import { PushService } from './services/push.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './services/rate-limit.js';
import { SignerDirectory } from './services/signer-directory.js';
import { openPlatformStore, type PlatformStore } from './store/platform-store.js';

export { openPlatformStore } from './store/platform-store.js';
export type { PlatformStore } from './store/platform-store.js';
export { createPlatformAdmin } from './services/admin.js';
export type { PlatformAdmin, PlatformStatus } from './services/admin.js';
export type { AgentView } from './services/agents.js';
export type { SiteView, NewSite, DatasetAccess } from './services/sites.js';
export type { NationalPut, WriteOutcome, ListOptions } from './services/national-records.js';
export { RecordRejectedError } from './services/national-records.js';
export { PlatformError } from './services/platform-error.js';
export type { PurgeOutcome } from './services/tombstone-purge.js';
export type { MaintenanceState } from './services/maintenance.js';
export type { RateLimitOptions } from './services/rate-limit.js';
export type { SeedSummary } from './seed/demo.js';
export { DEMO_SITES } from './seed/demo.js';
export type { MessageLogRow } from './store/entities/mutation-log.js';
export type { PublicScheme, TlsOptions } from './http/server.js';

export interface PlatformOptions {
  /** SQLite file path or postgres:// URL; opened (and closed by close()) here. */
  db?: string;
  /** An already open store; close() leaves it open. One of `db` and `store` is required. */
  store?: PlatformStore;
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The platform clock (signature skew, timestamps, token expiry); real time by default. */
  now?: () => Date;
  /** Per-agent token bucket; `false` turns limiting off. Default DEFAULT_RATE_LIMIT. */
  rateLimit?: RateLimitOptions | false;
  /** Allowed signature clock skew in seconds (default 300). */
  skewSeconds?: number;
  /** Serve HTTPS with this key and certificate. */
  tls?: TlsOptions;
  /**
   * The scheme agents use in the platform address: 'https' behind a gateway that
   * terminates TLS (the signed `@target-uri` starts with it). Default: https with
   * `tls`, else http.
   */
  publicScheme?: PublicScheme;
  /**
   * Validate by these units instead of the platform's own `admin-units`
   * records (tests). Without it: those records, or the bundled table of
   * 2025-07-01 while it holds none (services/admin-units-in-force.ts).
   */
  validation?: ValidationContext;
  /** Where internal errors are reported; stderr by default. */
  log?: (line: string) => void;
}

export interface RunningPlatform {
  /** Base URL, e.g. http://127.0.0.1:43125 (no trailing slash). */
  url: string;
  port: number;
  store: PlatformStore;
  admin: PlatformAdmin;
  close(): Promise<void>;
}

/** Opens the store (when given `db`), wires the services and listens. */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  if (!options.store && !options.db) throw new Error('startPlatform needs { db } or { store }');
  if (options.publicScheme !== undefined && options.publicScheme !== 'http' && options.publicScheme !== 'https') {
    throw new Error(`publicScheme must be 'http' or 'https', not ${String(options.publicScheme)}`);
  }
  const store = options.store ?? (await openPlatformStore(options.db as string));
  const ownsStore = !options.store;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const catalog = new Catalog();
  const maintenance = new MaintenanceSwitch(store, () => now().getTime());
  const rateLimiter = options.rateLimit === false ? null : new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT, now);
  const signers = new SignerDirectory(store, () => now().getTime());
  const units = new AdminUnitsInForce(options.validation?.adminUnits, log);
  let nonces: NonceRegistry;
  try {
    // The units pushes are checked by before the first push's transaction reads admin_units_version.
    await units.refresh(store);
    nonces = await NonceRegistry.open(store, { nowSeconds: () => Math.floor(now().getTime() / 1000), log });
  } catch (err) {
    if (ownsStore) await store.close();
    throw err;
  }
  const lastSeen = new LastSeenRecorder(store, { now, log });
  const server = createPlatformServer(
    {
      store,
      catalog,
      authenticator: new RequestAuthenticator(signers, nonces, now, options.skewSeconds),
      lastSeen,
      enrollment: new EnrollmentService(store, now),
      pull: new PullService(store, catalog, missedEpochStarter(store, log)),
      push: new PushService(store, catalog, now, units),
      digest: new DigestService(store, catalog),
      maintenance,
      rateLimiter,
      now,
      log,
    },
    { tls: options.tls, publicScheme: options.publicScheme },
  );
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await nonces.close();
    if (ownsStore) await store.close();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const admin = createPlatformAdmin({ store, now, catalog, maintenance, signers, units, log });
  let closed: Promise<void> | null = null;
  return {
    url: `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`,
    port,
    store,
    admin,
    close: () =>
      (closed ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        // The last batch of nonces goes to the table, so a restart refuses their replays.
        await nonces.close().catch((err: unknown) => log(`nonces not saved on close: ${err instanceof Error ? err.message : String(err)}`));
        // When each agent was last seen, as of this stop (agents list).
        await lastSeen.close();
        if (ownsStore) await store.close();
      })()),
  };
}

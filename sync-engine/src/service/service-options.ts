import type { NetworkSettings } from '../adapters/network-transport.js';
import type { HealthOptions } from '../domain/health.js';
import type { CronSource, Timer } from '../schedule/ports.js';
import type { SyncTrigger } from '../schedule/scheduler.js';
import type { EnrollmentRequest, EnrollmentResponse } from '../protocol/enrollment.js';
import type { KeyStore, PlatformClient } from '../sync/ports.js';
import type { SyncRunOptions } from '../sync/sync-run.js';

/** What a platform client is built from; tests and the desktop app may build their own. */
export interface PlatformClientConfig {
  platformUrl: string;
  /** '' before enrollment (the health probe needs no identity). */
  agentId: string;
  keyStore: KeyStore;
  /** The agent's clock (signatures carry it). */
  now: () => number;
  /** The data folder's proxy, NO_PROXY hosts and extra CA files, read from its store for each new client. */
  network: NetworkSettings;
}

/** The one-time enrollment call, given the data folder's network settings as they are at that moment. */
export type ServiceEnroll = (platformUrl: string, request: EnrollmentRequest, network: NetworkSettings) => Promise<EnrollmentResponse>;

/**
 * Everything an AgentService can be given. Only `dataDir` is required: time,
 * randomness, timers, cron, the platform client, enrollment and the key store
 * default to the real ones and are injected by tests (TinyBase-style `getNow`).
 */
export interface AgentServiceOptions {
  /** The data folder: store, key files, admin token. */
  dataDir: string;
  /** ms since the epoch; the agent's clock (a test may set it hours off). */
  now?: () => number;
  /** In [0, 1): the jitter of the sync retries' and the health probes' backoff, and the lease holder id. */
  random?: () => number;
  timer?: Timer;
  cron?: CronSource;
  platformClientFactory?: (config: PlatformClientConfig) => PlatformClient;
  enroll?: ServiceEnroll;
  keyStore?: KeyStore;
  /** Written into backups and diagnostics bundles; default the package's version. */
  agentVersion?: string;
  /** Sent at enrollment; default `edge-agent@<hostname>`. */
  agentName?: string;
  /** The person acting, for the audit log; default the OS user. */
  user?: string;
  /** Recorded as the trigger of `sync.now`: 'manual' for the window, 'cli' for the command line. */
  manualTrigger?: SyncTrigger;
  lease?: { ttlMs?: number; heartbeatMs?: number };
  health?: { intervalMs?: number; failingIntervalMs?: number; failingIntervalCapMs?: number; retentionMs?: number; assess?: HealthOptions };
  watchdog?: { staleAfterMs?: number; checkEveryMs?: number };
  sync?: SyncRunOptions;
  /** Background failures (a probe, a listener, a run that threw); nothing is thrown at the caller. */
  onError?: (error: unknown) => void;
}

export interface StartOptions {
  /** Run the schedule, health probe and watchdog while holding the lease (default true). */
  background?: boolean;
  /** Sync once at start (trigger 'startup'; default true). */
  syncAtStart?: boolean;
}

import type { CommandArgs, CommandName, CommandOutput } from '../api/contract.js';
import type { Conflicts } from '../conflicts/conflicts.js';
import type { HealthMonitor } from '../health/health-monitor.js';
import type { Outbox } from '../outbox/outbox.js';
import type { LocalWrites } from '../records/local-writes.js';
import type { RecordReads } from '../records/record-reads.js';
import type { CronSource } from '../schedule/ports.js';
import type { SyncScheduler, SyncTrigger } from '../schedule/scheduler.js';
import type { RecordSearch } from '../search/record-search.js';
import type { EngineContext } from '../store/engine-context.js';
import type { Enroll, KeyStore } from '../sync/ports.js';
import type { AgentSettings } from './agent-settings.js';
import type { EventBus } from './event-bus.js';
import type { LeaseKeeper } from './lease-keeper.js';
import type { Maintenance } from './maintenance.js';
import type { SyncLoop } from './sync-loop.js';
import type { FilterIndexBuilder } from './filter-index-builder.js';

/**
 * What the command handlers share: the engine's parts for one data folder,
 * owned by AgentService. Handlers are plain functions over this, grouped by
 * area (handlers/*.ts); none holds state of its own.
 */
export interface ServiceCore {
  /** The data folder: store, key files, backups. */
  dataDir: string;
  ctx: EngineContext;
  settings: AgentSettings;
  bus: EventBus;
  monitor: HealthMonitor;
  scheduler: SyncScheduler;
  cron: CronSource;
  loop: SyncLoop;
  /** Builds the Records filters' indexes between runs. */
  filterIndexes: FilterIndexBuilder;
  lease: LeaseKeeper;
  keyStore: KeyStore;
  enroll: Enroll;
  reads: RecordReads;
  writes: LocalWrites;
  search: RecordSearch;
  outbox: Outbox;
  conflicts: Conflicts;
  /** Backups and diagnostics bundles made on request, into the data folder. */
  maintenance: Maintenance;
  agentName: string;
  /** The user this process runs for: the audit log's "who" when a command's caller does not say. */
  user: string;
  /** The trigger recorded for `sync.now` through this service: 'manual' (window), 'cli'. */
  manualTrigger: SyncTrigger;
  /** Schedule a status.changed event (coalesced). */
  statusChanged(): void;
  /** Settings or identity changed: rebuild the platform client, apply a new schedule. */
  configurationChanged(): Promise<void>;
  /** Builds the Overview now. */
  status(): Promise<CommandOutput<'status.get'>>;
}

/** Who asked for a command, resolved: the caller's own name, else the process's user. */
export interface CallerUser {
  user: string;
}

export type Handler<C extends CommandName> = (core: ServiceCore, args: CommandArgs<C>, caller: CallerUser) => Promise<CommandOutput<C>>;
export type HandlerTable<C extends CommandName> = { [K in C]: Handler<K> };

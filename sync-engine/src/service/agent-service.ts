import { hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  commands,
  isCommandName,
  parseCommandInput,
  type AgentApi,
  type ApiResult,
  type CommandName,
  type CommandOutput,
  type EventName,
  type EventPayload,
} from '../api/contract.js';
import { cleanUserName, type Caller } from '../api/caller.js';
import type { AgentStatusView } from '../api/views.js';
import { FileKeyStore } from '../adapters/file-key-store.js';
import { nodeCronSource } from '../adapters/cron-node.js';
import { CaFileError, networkFingerprint, type NetworkSettings } from '../adapters/network-transport.js';
import { enroll as enrollOverHttp, GotPlatformClient } from '../adapters/platform-client-got.js';
import { Conflicts } from '../conflicts/conflicts.js';
import { splayFraction } from '../domain/splay.js';
import { HealthMonitor } from '../health/health-monitor.js';
import { Outbox } from '../outbox/outbox.js';
import { AGENT_VERSION } from '../ops/agent-version.js';
import { readOperationsSettings } from '../ops/operations-settings.js';
import { checkPlatformAddress, platformAddressRefusal } from '../protocol/platform-address.js';
import { LocalWrites } from '../records/local-writes.js';
import { UnknownDataset } from '../records/write-errors.js';
import { shellWord } from './shell-word.js';
import { RecordReads } from '../records/record-reads.js';
import { OutboxWatchdog } from '../schedule/outbox-watchdog.js';
import { systemTimer, type TimerHandle } from '../schedule/ports.js';
import { SyncScheduler } from '../schedule/scheduler.js';
import { checkSchedule, DEFAULT_SCHEDULE, InvalidSchedule } from '../schedule/sync-schedule.js';
import { RecordSearch } from '../search/record-search.js';
import { openAgentStore, type AgentStore } from '../store/agent-store.js';
import { createEngineContext, type EngineContext } from '../store/engine-context.js';
import type { AgentIdentity } from '../store/key-value.js';
import type { PlatformClient } from '../sync/ports.js';
import { PlatformError } from '../sync/index.js';
import { AgentSettings } from './agent-settings.js';
import { folderFor, toApiError, type DataFolder } from './api-errors.js';
import { commandHandlers } from './command-table.js';
import { EventBus } from './event-bus.js';
import { FilterIndexBuilder } from './filter-index-builder.js';
import { LeaseKeeper, leaseHolderId, liveLeaseHolder } from './lease-keeper.js';
import { localUserName } from './local-user.js';
import { Maintenance } from './maintenance.js';
import { observedClient } from './observed-client.js';
import type { AgentServiceOptions, StartOptions } from './service-options.js';
import { refusals, ServiceRefusal } from './service-errors.js';
import type { CallerUser, ServiceCore } from './service-core.js';
import { buildStatus } from './status-view.js';
import { SyncLoop } from './sync-loop.js';

export type { AgentServiceOptions, PlatformClientConfig, StartOptions } from './service-options.js';

/**
 * The edge agent for one data folder (ARCHITECTURE.md, "One service, three
 * doors"): it owns the store, the outbox, the scheduler, the health monitor
 * and the sync loop, and offers them as the AgentApi. The Electron window, the
 * local admin API and the CLI all call it through `call` / `on`; none has
 * logic of its own. `call` never throws: every failure is an ApiError.
 */
export class AgentService implements AgentApi {
  private closed = false;
  private background = false;
  private syncAtStart = true;
  private statusTimer: TimerHandle | null = null;
  private readonly watchdog: OutboxWatchdog;
  private clientCache: { key: string; client: PlatformClient } | null = null;

  private constructor(
    readonly dataDir: string,
    private readonly options: AgentServiceOptions,
    readonly store: AgentStore,
    private readonly core: ServiceCore,
  ) {
    this.watchdog = new OutboxWatchdog({
      clock: core.ctx,
      timer: this.timer,
      oldestPendingAt: async () => {
        const at = (await core.outbox.stats()).oldestPendingAt;
        return at === null ? null : Date.parse(at);
      },
      schedulerState: () => core.scheduler.state(),
      requestRun: (trigger) => core.scheduler.requestRun(trigger),
      ...options.watchdog,
      onError: this.report,
    });
  }

  /** Opens (creating if needed) the data folder's store and wires the engine; nothing runs until `start`. */
  static async create(options: AgentServiceOptions): Promise<AgentService> {
    const store = await openAgentStore(options.dataDir, { integrityCheck: 'read-only' });
    try {
      await AgentService.checkFullText(store, options.now ?? Date.now);
      return await AgentService.wire(options, store);
    } catch (error) {
      await store.close();
      throw error;
    }
  }

  /**
   * The rest of the open-time check (store/file-check.ts checkFile): the full-text
   * index, whose check holds the write lock while it runs. The process that
   * will hold the folder's lease checks it; a second process (the lease held
   * by another live one: the window or a CLI command beside the service, a
   * standby service) leaves it to that holder, whose saves would wait
   * meanwhile. The second process only waits until the holder's current write
   * ends, holding the lock for no time: a holder that keeps it past the busy
   * timeout is told at open (StoreBusyError), before `run` logs or schedules
   * anything.
   */
  private static async checkFullText(store: AgentStore, now: () => number): Promise<void> {
    if ((await liveLeaseHolder(store, now())) === null) await store.checkFullTextIndex();
    else await store.awaitWriteLock();
  }

  private static async wire(options: AgentServiceOptions, store: AgentStore): Promise<AgentService> {
    const now = options.now ?? Date.now;
    const timer = options.timer ?? systemTimer;
    const cron = options.cron ?? nodeCronSource;
    const report = (error: unknown) => options.onError?.(error);
    const ctx: EngineContext = createEngineContext(store, { now, onAdminUnitsNotice: report });
    // The units records are checked by: the ones the last sync cached (the bundled table before the first).
    await ctx.reloadAdminUnits();
    const settings = new AgentSettings(store);
    const bus = new EventBus(report);
    let service: AgentService | null = null;
    const self = () => service as AgentService;

    const random = options.random ?? Math.random;
    const monitor = new HealthMonitor({ store, clock: ctx, timer, random, client: () => self().healthClient(), ...options.health, onError: report });
    const loop = new SyncLoop({
      ctx,
      home: shellWord(resolve(options.dataDir)),
      bus,
      monitor,
      clientForRun: () => self().clientForRun(),
      statusChanged: () => self().statusChanged(),
      ...(options.sync ? { options: options.sync } : {}),
      onError: report,
      afterRun: () => filterIndexes.kick(),
    });
    const filterIndexes = new FilterIndexBuilder({ ctx, timer, syncing: () => loop.running, holdsLease: () => self().holdsLease(), onError: report });
    let schedule = (await settings.read()).schedule;
    try {
      checkSchedule(schedule, cron);
    } catch (error) {
      // A hand-edited schedule that does not parse must not stop the agent: the default runs, and it is reported.
      if (!(error instanceof InvalidSchedule)) throw error;
      report(error);
      schedule = DEFAULT_SCHEDULE;
    }
    const scheduler = new SyncScheduler({
      schedule,
      cron,
      clock: ctx,
      timer,
      random,
      splay: splayOf(await ctx.credentials.identity(store.sql)),
      runSync: (trigger) => loop.run(trigger),
      onRunError: report,
      onPlanChanged: () => service?.statusChanged(),
    });
    const lease = new LeaseKeeper({
      store,
      clock: ctx,
      timer,
      holder: leaseHolderId(options.random),
      ...options.lease,
      onChange: (held) => self().leaseChanged(held),
      onOtherHolder: () => self().statusChanged(),
      onError: report,
    });
    const keyStore = options.keyStore ?? new FileKeyStore(options.dataDir);
    const core: ServiceCore = {
      dataDir: options.dataDir,
      ctx,
      settings,
      bus,
      monitor,
      scheduler,
      cron,
      loop,
      filterIndexes,
      lease,
      keyStore,
      enroll: async (url, request) => (options.enroll ? options.enroll(url, request, await self().network()) : enrollOverHttp(url, request, { now })),
      reads: new RecordReads(ctx),
      writes: new LocalWrites(ctx),
      search: new RecordSearch(ctx),
      outbox: new Outbox(ctx),
      conflicts: new Conflicts(ctx),
      maintenance: new Maintenance({ dataDir: options.dataDir, agentVersion: options.agentVersion ?? AGENT_VERSION, ctx, keyStore, status: () => self().status() }),
      agentName: options.agentName ?? `edge-agent@${hostname()}`,
      user: options.user ?? localUserName(),
      manualTrigger: options.manualTrigger ?? 'manual',
      statusChanged: () => self().statusChanged(),
      configurationChanged: () => self().configurationChanged(),
      status: () => self().status(),
    };
    service = new AgentService(options.dataDir, options, store, core);
    monitor.on({ changed: () => self().statusChanged(), answering: () => scheduler.platformAnswering() });
    await monitor.load();
    return service;
  }

  /**
   * Takes the folder's lease. With `background` (the service, or a window
   * hosting it) it also runs the schedule, the health probe and the watchdog
   * while it holds the lease, and keeps trying to take it while another
   * process holds it. Without, the lease is taken only when a sync is asked for.
   */
  async start(options: StartOptions = {}): Promise<{ syncing: boolean; holder: string | null }> {
    this.background = options.background ?? true;
    if (!this.background) return { syncing: false, holder: await this.core.lease.otherHolder() };
    this.syncAtStart = options.syncAtStart ?? true;
    const held = await this.core.lease.acquire();
    this.core.lease.startHeartbeat();
    if (held) this.startBackground();
    return { syncing: held, holder: held ? null : await this.core.lease.otherHolder() };
  }

  async call<C extends CommandName>(command: C, input: unknown, caller: Caller = {}): Promise<ApiResult<CommandOutput<C>>> {
    if (!isCommandName(command)) {
      return { ok: false, error: { code: 'invalid_input', messages: { vi: `Không có lệnh "${String(command)}".`, en: `There is no command "${String(command)}".` } } };
    }
    const parsed = parseCommandInput(command, input);
    if (!parsed.ok) return parsed;
    if (this.closed) return { ok: false, error: toApiError(refusals.closed()) };
    try {
      const handler = commandHandlers[command] as (core: ServiceCore, args: unknown, caller: CallerUser) => Promise<unknown>;
      const value = await handler(this.core, parsed.value, { user: cleanUserName(caller.user) ?? this.core.user });
      const checked = commands[command].output.safeParse(value);
      if (!checked.success) throw new Error(`the answer to ${command} does not match the contract: ${checked.error.issues[0]?.message ?? ''}`);
      return { ok: true, value: checked.data as CommandOutput<C> };
    } catch (error) {
      const refusal = await this.namingDatasets(error);
      return { ok: false, error: toApiError(refusal, await this.folderFor(refusal)) };
    }
  }

  /** An unknown dataset's refusal thrown without the catalog's names (a write's, say), with them: read only on that refusal. */
  private async namingDatasets(error: unknown): Promise<unknown> {
    if (!(error instanceof UnknownDataset) || error.known !== null) return error;
    const known = await this.core.ctx.catalog.list(this.core.ctx.store.sql).catch(() => null);
    return known ? new UnknownDataset(error.dataset, known.map((d) => d.name)) : error;
  }

  /** This folder for toApiError: a write kept waiting by another process names that process (the lease's live holder). */
  private folderFor(error: unknown): Promise<DataFolder> {
    return folderFor(error, this.dataDir, () => this.core.lease.otherHolder());
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.core.bus.on(event, listener);
  }

  /** True while this process holds the data folder's lease (and so may sync it). */
  holdsLease(): boolean {
    return this.core.lease.holds();
  }

  /** The other process syncing this folder, or null. */
  leaseHolder(): Promise<string | null> {
    return this.core.lease.otherHolder();
  }

  /**
   * Resolves once no filter index is being built. A one-shot command that synced (edge-agent sync in its own
   * process) waits for it before closing: closing would stop the build, and a folder synced only that way
   * would never get the indexes of a large cache, spending each sync's CPU on a build thrown away.
   */
  async filterIndexesBuilt(): Promise<void> {
    await this.core.filterIndexes.idle();
  }

  /** Stops the schedule, waits for a run, backup or bundle in progress, gives the lease up and closes the store. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopBackground();
    this.core.filterIndexes.stop();
    await this.core.scheduler.stop();
    await this.core.maintenance.idle();
    if (this.statusTimer !== null) this.timer.clear(this.statusTimer);
    await this.core.lease.release();
    await this.store.close();
  }

  private get timer() {
    return this.options.timer ?? systemTimer;
  }

  private readonly report = (error: unknown) => this.options.onError?.(error);

  private startBackground(): void {
    this.core.scheduler.start(this.syncAtStart);
    this.core.monitor.start();
    this.watchdog.start();
    this.statusChanged();
  }

  private stopBackground(): void {
    this.watchdog.stop();
    this.core.monitor.stop();
    void this.core.scheduler.stop();
  }

  private leaseChanged(held: boolean): void {
    if (!this.background || this.closed) return;
    if (held) this.startBackground();
    else this.stopBackground();
    this.statusChanged();
  }

  private async status(): Promise<AgentStatusView> {
    const { monitor, scheduler, loop } = this.core;
    return buildStatus({
      ctx: this.core.ctx,
      settings: this.core.settings,
      health: monitor.assessment(),
      latency: monitor.latency(),
      refusal: monitor.refusal,
      syncing: loop.running,
      nextSyncAt: this.background && this.core.lease.holds() ? scheduler.state().nextRunAt : null,
      leaseHolder: await this.core.lease.otherHolder(),
    });
  }

  /** Coalesces bursts of changes into one status.changed event. */
  private statusChanged(): void {
    if (this.closed || this.statusTimer !== null || this.core.bus.count('status.changed') === 0) return;
    this.statusTimer = this.timer.set(() => {
      this.statusTimer = null;
      if (this.closed) return;
      this.status()
        .then((status) => this.core.bus.emit('status.changed', status))
        .catch(this.report);
    }, 50);
  }

  private async configurationChanged(): Promise<void> {
    this.clientCache = null;
    const settings = await this.core.settings.read();
    if (settings.schedule !== this.core.scheduler.schedule) this.core.scheduler.setSchedule(settings.schedule);
    this.core.scheduler.setSplay(splayOf(await this.core.ctx.credentials.identity(this.core.ctx.store.sql)));
    this.statusChanged();
  }

  /** A client for the health probe: it needs only the platform's address, not an enrollment. */
  private async healthClient(): Promise<PlatformClient | null> {
    const settings = await this.core.settings.read();
    if (!settings.platformUrl || !checkPlatformAddress(settings.platformUrl).ok) return null;
    const identity = await this.core.ctx.credentials.identity(this.core.ctx.store.sql);
    try {
      return await this.clientFor(settings.platformUrl, identity?.agentId ?? '');
    } catch (error) {
      // A CA file of the settings replaced, moved or deleted: no secure connection can be made, which the connection's health says.
      if (error instanceof CaFileError) throw new PlatformError({ kind: 'tls', message: error.message, cause: 'CA_FILE' });
      throw error;
    }
  }

  private async clientForRun(): Promise<PlatformClient> {
    const db = this.core.ctx.store.sql;
    const settings = await this.core.settings.read();
    if (!settings.platformUrl) throw refusals.notInitialised();
    // An address saved before plain HTTP was limited to loopback is kept (the person sees it in Settings) but not used.
    const address = checkPlatformAddress(settings.platformUrl);
    if (!address.ok) throw new ServiceRefusal('invalid_input', platformAddressRefusal(settings.platformUrl, address.messages));
    const identity = await this.core.ctx.credentials.identity(db);
    if (!identity) throw refusals.notEnrolled();
    return observedClient(await this.clientFor(settings.platformUrl, identity.agentId), this.core.monitor);
  }

  /** The data folder's proxy, NO_PROXY hosts and extra CA files as stored now. */
  private async network(): Promise<NetworkSettings> {
    const { proxy } = await this.core.settings.read();
    const { noProxy, caFiles } = await readOperationsSettings(this.core.ctx.store.sql);
    return { proxy, noProxy, caFiles };
  }

  /**
   * The cached client while the platform, the identity and the network
   * settings stay the same. The network settings are read from the store each
   * time: `edge-agent network set` and `provision` write them from another
   * process, and the next run or probe must use them without a restart.
   */
  private async clientFor(platformUrl: string, agentId: string): Promise<PlatformClient> {
    const network = await this.network();
    const key = JSON.stringify([platformUrl, agentId, networkFingerprint(network)]);
    if (this.clientCache?.key === key) return this.clientCache.client;
    const config = { platformUrl, agentId, keyStore: this.core.keyStore, now: this.core.ctx.now, network };
    const client = this.options.platformClientFactory?.(config) ?? new GotPlatformClient({ baseUrl: platformUrl, agentId, keyStore: config.keyStore, now: config.now });
    this.clientCache = { key, client };
    return client;
  }
}

/** Opens the data folder's store and wires an AgentService over it; call `start()` to sync in the background. */
export function createAgentService(options: AgentServiceOptions): Promise<AgentService> {
  return AgentService.create(options);
}

/**
 * This agent's splay after each cron tick (domain/splay.ts), from the id the
 * platform gave it at enrollment: the same across restarts, different from
 * office to office. None before enrollment: nothing is sent until then.
 */
function splayOf(identity: AgentIdentity | null): number {
  return identity ? splayFraction(identity.agentId) : 0;
}

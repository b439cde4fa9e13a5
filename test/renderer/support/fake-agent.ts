/**
 * An in-memory AgentApi for the renderer's browser tests: the real contract
 * (inputs parsed, outputs checked against the contract's schemas), the real
 * dataset catalog, the engine's own record validation and search fold, and
 * generated Vietnamese data (100,000 birth registrations). Tests read `calls`
 * to see what the window sent, call `emit` to push events, and `hold` a
 * command to see the window while it is under way.
 */
import { commands, parseCommandInput } from '../../../sync-engine/src/api/index.js';
import type {
  AgentApi,
  AgentStatusView,
  ApiError,
  ApiResult,
  CommandArgs,
  CommandName,
  CommandOutput,
  ConflictView,
  CurrentVersionView,
  DatasetView,
  EventName,
  EventPayload,
  OutboxEntryView,
  RecordEventView,
  RecordView,
  Settings,
  SyncRunView,
} from '../../../sync-engine/src/api/index.js';
import { foldForSearch } from '../../../sync-engine/src/domain/search-fold.js';
import { DATASETS, datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import type { SiteScope } from '../../../sync-engine/src/protocol/records.js';
import { toDatasetView } from '../../../sync-engine/src/service/record-views.js';
import { mulberry32 as seeded } from '../../../national-platform/src/seed/seeded-random.js';
import type { Handler, Handlers } from './fake-answers.js';
import { conflictHandlers } from './fake-conflict-handlers.js';
import * as data from './fake-data.js';
import { FakeExports } from './fake-exports.js';
import { outboxHandlers } from './fake-outbox-handlers.js';
import { recordHandlers } from './fake-record-handlers.js';
import { serviceHandlers } from './fake-service-handlers.js';

type Listener = (payload: unknown) => void;

export class FakeAgent implements AgentApi {
  readonly calls: Array<{ command: CommandName; input: unknown }> = [];
  readonly records = new Map<string, RecordView[]>();
  /** Every record by `dataset/id` (the handlers' lookups). */
  readonly byId = new Map<string, RecordView>();
  /** Each record's change history (records.history), newest first, by `dataset/id`; a test sets it. */
  readonly histories = new Map<string, RecordEventView[]>();
  /** Whose each record's version is (records.history's `current`), by `dataset/id`; a test sets it. */
  readonly currentVersions = new Map<string, CurrentVersionView>();
  /** Each record's folded search text by `dataset/id` (records.list's and records.export's search). */
  readonly searchText = new Map<string, string>();
  readonly conflicts: ConflictView[];
  /** Each count of conflicts.matching: the versions of the conflicts it counted; its index is the `through` it answered. */
  readonly countedConflicts: Array<Map<string, string>> = [];
  outbox: OutboxEntryView[];
  runs: SyncRunView[];
  settings: Settings = {
    platformUrl: 'https://ndxp.gov.vn/',
    siteCode: 'HN-BADINH-01',
    schedule: '*/15 * * * *',
    proxy: null,
    language: 'vi',
    adminPort: 47700,
  };
  health: AgentStatusView['health'] = {
    state: 'online',
    reason: { vi: 'Kết nối tốt tới nền tảng quốc gia (độ trễ 142 ms).', en: 'Connected to the national platform (latency 142 ms).' },
    code: 'ok',
    latencyMs: 142,
    at: null,
  };
  enrollment: AgentStatusView['enrollment'] = 'active';
  /** The office's scope from its enrollment, which gives a new record its office values (DatasetView officeValues); null: none told. */
  siteScope: SiteScope | null = null;
  /** Set to show another program syncing the data folder: this one then schedules nothing and refuses "sync now". */
  leaseHeldBy: AgentStatusView['leaseHeldBy'] = null;
  /** Set to list a dataset (no search, no filter) as if it held this many records, a province's cache: its generated records repeated. */
  listTotal: { dataset: string; total: number } | null = null;
  /** Set to make "Back up now" and "Export diagnostics" answer this error (a full disk, a folder the service may not write). */
  maintenanceFailure: ApiError | null = null;
  /** Set to make status.get answer this error (the background service the window is a client of stopped answering). */
  statusRefusal: ApiError | null = null;
  /** Set to make conflicts.resolve answer this error (the engine refusing the record the choices make, say). */
  conflictRefusal: ApiError | null = null;
  /** Set to refuse each page of conflicts.resolveMatching after the first with this error (the pages before it settle). */
  matchingPageRefusal: ApiError | null = null;
  /** Set to make records.put answer this error (a full disk, say) while records.validate still finds nothing wrong. */
  putRefusal: ApiError | null = null;
  /** Set to have another agent program keep the data file's write lock: a bulk take stops at its first conflict, as the engine does. */
  writeLockHeld = false;
  readonly dataDir = 'C:\\ProgramData\\ndxp-edge-agent';
  /** The data folder's exports/: what records.export wrote, what exports.read answers. */
  readonly exports = new FakeExports(this.dataDir);
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Commands a test holds: their calls wait here until it releases them. */
  private readonly holds = new Map<CommandName, Promise<void>>();
  /** When the fake was made: its sample data's times count back from here. */
  readonly now = Date.now();

  constructor(birthCount = 100_000) {
    const rand = seeded(2025);
    const births = Array.from({ length: birthCount }, (_, i) => data.birthRecord(rand, i));
    const dossiers = Array.from({ length: 400 }, (_, i) => data.dossierRecord(rand, i));
    const households = Array.from({ length: 250 }, (_, i) => data.householdRecord(rand, i));
    for (const list of [data.adminUnitRecords(), births, dossiers, households]) {
      this.records.set(list[0]!.dataset, list);
      for (const r of list) this.index(r);
    }
    this.outbox = data.outboxEntries(
      births.filter((r) => r.state === 'waiting'),
      births.filter((r) => r.state === 'rejected'),
      this.now,
    );
    this.conflicts = data.conflictViews(births, dossiers, this.now);
    this.runs = data.syncRuns(this.now);
  }

  /** Indexes a record for lookup and search (a new or changed one too). */
  index(r: RecordView): void {
    this.byId.set(`${r.dataset}/${r.id}`, r);
    const fields = datasetByName(r.dataset)?.display.searchFields ?? [];
    this.searchText.set(`${r.dataset}/${r.id}`, foldForSearch(fields.map((f) => String(r.data?.[f] ?? '')).join(' ')));
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  /**
   * Holds every call of `command` (a slow disk, a long backup) until the
   * returned function releases them: the call is in `calls` at once, its
   * answer waits. So a test sees the window while the command is under way for
   * as long as it needs, however loaded the machine, and never races a delay.
   */
  hold(command: CommandName): () => void {
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(command, gate);
    return () => {
      if (this.holds.get(command) === gate) this.holds.delete(command);
      release();
    };
  }

  async call<C extends CommandName>(command: C, input: unknown): Promise<ApiResult<CommandOutput<C>>> {
    const parsed = parseCommandInput(command, input);
    this.calls.push({ command, input: parsed.ok ? parsed.value : input });
    if (!parsed.ok) return parsed;
    await this.holds.get(command);
    const handler = this.handlers[command] as Handler<C>;
    const result = await handler(parsed.value);
    // The fake must answer exactly what the contract promises, or the screens are tested against fiction.
    if (result.ok) commands[command].output.parse(result.value);
    return result;
  }

  /** Commands the test saw, with their parsed input. */
  sent<C extends CommandName>(command: C): Array<CommandArgs<C>> {
    return this.calls.filter((c) => c.command === command).map((c) => c.input as CommandArgs<C>);
  }

  /** Resolves once the last call of COMMAND the window made passes TEST (a held call is in `calls` at once). */
  async lastSent<C extends CommandName>(command: C, test: (input: CommandArgs<C>) => boolean): Promise<void> {
    for (;;) {
      const last = this.sent(command).at(-1);
      if (last !== undefined && test(last)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  status(): AgentStatusView {
    const open = this.conflicts.filter((c) => c.status === 'open').length;
    const rejected = [...this.records.values()].reduce((n, list) => n + list.filter((r) => r.state === 'rejected' && !r.platformFault).length, 0);
    const platformFaults = [...this.records.values()].reduce((n, list) => n + list.filter((r) => r.state === 'rejected' && r.platformFault).length, 0);
    return {
      enrollment: this.enrollment,
      siteCode: this.settings.siteCode,
      platformUrl: this.settings.platformUrl,
      health: this.health,
      latency: data.latencyPoints(this.now),
      syncing: false,
      lastSync: { at: this.runs[0]!.finishedAt ?? this.runs[0]!.startedAt, status: this.runs[0]!.status },
      lastSuccessAt: this.runs.find((r) => r.status !== 'failed' && r.status !== 'running')?.finishedAt ?? null,
      nextSyncAt: this.leaseHeldBy ? null : new Date(Date.now() + 9 * 60_000).toISOString(),
      leaseHeldBy: this.leaseHeldBy,
      outbox: {
        depth: this.outbox.length,
        oldestAt: this.outbox[0]?.createdAt ?? null,
        quarantined: this.outbox.filter((e) => e.status === 'quarantined').length,
      },
      openConflicts: open,
      rejected,
      platformFaults,
      datasets: DATASETS.map((d, k) => ({
        dataset: d.name,
        title: d.title,
        records: this.records.get(d.name)?.length ?? 0,
        freshAt: new Date(this.now - (k + 1) * 20 * 60_000).toISOString(),
        digest: d.name === data.HOUSEHOLDS ? 'mismatch' : d.name === data.DOSSIERS ? 'pending' : 'match',
      })),
    };
  }

  datasetView(name: string): DatasetView | undefined {
    const d = datasetByName(name);
    if (!d) return undefined;
    return toDatasetView(d, this.records.get(name)?.length ?? 0, this.siteScope);
  }

  /** Tells the window that records changed, and the new status. */
  changed(dataset: string, ids: string[]): void {
    this.emit('records.changed', { dataset, ids });
    this.emit('status.changed', this.status());
  }

  private readonly handlers: Handlers = {
    ...serviceHandlers(this),
    ...recordHandlers(this),
    ...outboxHandlers(this),
    ...conflictHandlers(this),
  };
}



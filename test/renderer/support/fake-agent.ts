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
import { foldForSearch, searchTokens } from '../../../sync-engine/src/domain/search-fold.js';
import { DATASETS, datasetByName } from '../../../sync-engine/src/protocol/datasets/index.js';
import { validateRecordData } from '../../../sync-engine/src/protocol/validation/index.js';
import * as data from './fake-data.js';
import { mulberry32 as seeded } from '../../../national-platform/src/seed/seeded-random.js';
import { refusals } from '../../../sync-engine/src/service/service-errors.js';
import { FakeExports, stamp } from './fake-exports.js';
import { toFieldError } from '../../../sync-engine/src/service/api-errors.js';
import { LocalWriteRefused } from '../../../sync-engine/src/records/write-errors.js';
import { COUNTED_MATCHES } from '../../../sync-engine/src/search/record-search.js';
import { toApiError } from '../../../sync-engine/src/service/api-errors.js';
import { toDatasetView } from '../../../sync-engine/src/service/record-views.js';
import type { SiteScope } from '../../../sync-engine/src/protocol/records.js';
import { importRecords } from '../../../sync-engine/src/import/index.js';
import type { CreateOutcome, LocalCreates, NewRecord } from '../../../sync-engine/src/records/local-creates.js';

type Handler<C extends CommandName> = (input: CommandArgs<C>) => ApiResult<CommandOutput<C>> | Promise<ApiResult<CommandOutput<C>>>;
type Listener = (payload: unknown) => void;

const ok = <T>(value: T) => ({ ok: true as const, value });
/** Who the fake says settled a conflict: it does not see the caller's name (the tests' console gives this one). */
const SETTLED_BY = 'Người kiểm thử';
const fail = (code: 'not_found' | 'validation_failed' | 'unauthorized' | 'read_only' | 'conflict_unresolved', vi: string, en: string) => ({
  ok: false as const,
  error: { code, messages: { vi, en } },
});
/** The engine's own answer to an edit or delete of a record the platform no longer holds, or that left the office's scope (the platform's own answer first). */
const writeRefusal = (r: RecordView) =>
  r.notOnPlatform || r.leftScope ? { ok: false as const, error: toApiError(LocalWriteRefused.of(r.notOnPlatform ? 'not_on_platform' : 'left_scope', r.id)) } : null;

export class FakeAgent implements AgentApi {
  readonly calls: Array<{ command: CommandName; input: unknown }> = [];
  readonly records = new Map<string, RecordView[]>();
  private readonly byId = new Map<string, RecordView>();
  /** Each record's change history (records.history), newest first, by `dataset/id`; a test sets it. */
  readonly histories = new Map<string, RecordEventView[]>();
  /** Whose each record's version is (records.history's `current`), by `dataset/id`; a test sets it. */
  readonly currentVersions = new Map<string, CurrentVersionView>();
  private readonly searchText = new Map<string, string>();
  readonly conflicts: ConflictView[];
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
  /** Set to make conflicts.resolve answer this error (the engine refusing the record the choices make, say). */
  conflictRefusal: ApiError | null = null;
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
  private readonly now = Date.now();

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

  private index(r: RecordView): void {
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

  /** As LocalCreates.createMany: each row checked, one whose unique value a record holds is present; with dryRun nothing is written. */
  private createMany(dataset: string, rows: readonly NewRecord[], dryRun: boolean): CreateOutcome[] {
    const d = datasetByName(dataset)!;
    const list = this.records.get(dataset)!;
    const holder = (field: string, value: unknown) => list.find((r) => !r.deleted && r.data?.[field] === value);
    return rows.map(({ data: record }) => {
      const errors = validateRecordData(d, record);
      if (errors.length) return { kind: 'refused', errors };
      for (const field of d.uniqueFields) {
        const held = record[field] === undefined ? undefined : holder(field, record[field]);
        if (held) return { kind: 'present', id: held.id, field };
      }
      const id = data.fakeId(6, list.length + 1);
      if (dryRun) return { kind: 'created', id };
      const view: RecordView = { dataset, id, rev: null, deleted: false, state: 'waiting', data: record, updatedAt: new Date().toISOString(), leftScope: false, notOnPlatform: false };
      list.unshift(view);
      this.index(view);
      this.changed(dataset, [id]);
      return { kind: 'created', id };
    });
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

  private datasetView(name: string): DatasetView | undefined {
    const d = datasetByName(name);
    if (!d) return undefined;
    return toDatasetView(d, this.records.get(name)?.length ?? 0, this.siteScope);
  }

  private changed(dataset: string, ids: string[]): void {
    this.emit('records.changed', { dataset, ids });
    this.emit('status.changed', this.status());
  }

  private readonly handlers: { [C in CommandName]: Handler<C> } = {
    'status.get': () => ok(this.status()),
    'datasets.list': () => ok(DATASETS.map((d) => this.datasetView(d.name)!)),
    'records.list': ({ dataset, search, state, offset, limit }) => {
      let list = this.records.get(dataset) ?? [];
      if (this.listTotal?.dataset === dataset && !search && !state) {
        const many = this.listTotal.total;
        const items = Array.from({ length: Math.max(0, Math.min(limit, many - offset)) }, (_, i) => list[(offset + i) % list.length]!);
        return ok({ items, total: many });
      }
      const tokens = search ? searchTokens(search) : [];
      if (tokens.length) list = list.filter((r) => tokens.every((t) => this.searchText.get(`${r.dataset}/${r.id}`)!.includes(t)));
      if (state) list = list.filter((r) => r.state === state);
      // As the engine's search: past COUNTED_MATCHES it counts no further and says so.
      if (tokens.length && list.length > COUNTED_MATCHES) return ok({ items: list.slice(offset, offset + limit), total: COUNTED_MATCHES, totalCapped: true as const });
      return ok({ items: list.slice(offset, offset + limit), total: list.length });
    },
    'records.get': ({ dataset, id }) => ok(this.byId.get(`${dataset}/${id}`) ?? null),
    'records.history': ({ dataset, id, limit, before }) => {
      const older = (this.histories.get(`${dataset}/${id}`) ?? []).filter((e) => before === undefined || e.seq < before);
      const items = older.slice(0, limit);
      const current = before === undefined ? this.currentVersions.get(`${dataset}/${id}`) : undefined;
      return ok({ ...(current ? { current } : {}), items, next: older.length > limit ? (items.at(-1)?.seq ?? null) : null });
    },
    'records.validate': ({ dataset, data: record }) => {
      const d = datasetByName(dataset);
      if (!d) return fail('not_found', 'Không có bộ dữ liệu này.', 'No such dataset.');
      return ok({ errors: validateRecordData(d, record).map(toFieldError) });
    },
    'records.put': ({ dataset, data: record, id }) => {
      const d = datasetByName(dataset);
      if (!d) return fail('not_found', 'Không có bộ dữ liệu này.', 'No such dataset.');
      if (d.access !== 'read-write') return fail('read_only', 'Bộ dữ liệu chỉ đọc.', 'The dataset is read-only.');
      if (this.putRefusal) return { ok: false, error: this.putRefusal };
      const errors = validateRecordData(d, record);
      if (errors.length) {
        return {
          ok: false,
          error: {
            code: 'validation_failed',
            messages: { vi: 'Bản ghi chưa hợp lệ.', en: 'The record is not valid.' },
            fieldErrors: errors.map(toFieldError),
          },
        };
      }
      const list = this.records.get(dataset)!;
      const existing = id ? this.byId.get(`${dataset}/${id}`) : undefined;
      const refused = existing ? writeRefusal(existing) : null;
      if (refused) return refused;
      const view: RecordView = {
        dataset,
        id: id ?? data.fakeId(5, list.length + 1),
        rev: existing?.rev ?? null,
        deleted: false,
        state: 'waiting',
        data: record,
        updatedAt: new Date().toISOString(),
        leftScope: false,
        notOnPlatform: false,
      };
      if (existing) list[list.indexOf(existing)] = view;
      else list.unshift(view);
      this.index(view);
      this.changed(dataset, [view.id]);
      return ok({ id: view.id, state: view.state });
    },
    'records.delete': ({ dataset, id }) => {
      const r = this.byId.get(`${dataset}/${id}`);
      if (!r) return fail('not_found', 'Không tìm thấy bản ghi.', 'Record not found.');
      const refused = writeRefusal(r);
      if (refused) return refused;
      if (r.state === 'conflict') {
        // The engine's own refusal: a record with an open conflict is settled first.
        return { ok: false as const, error: { code: 'conflict_unresolved' as const, messages: LocalWriteRefused.of('conflict_open', id).messages } };
      }
      Object.assign(r, { deleted: true, state: 'waiting' });
      this.changed(dataset, [id]);
      // As the engine: a record the platform never accepted only leaves this computer.
      return ok({ id, state: 'waiting' as const, sent: r.rev !== null });
    },
    // The engine's own reading of the file (columns, cells, refusals by line); the writes are this fake's (its createMany).
    'records.import': async ({ dataset, csv, xlsx, source, dryRun }) => {
      const d = datasetByName(dataset);
      if (!d) return fail('not_found', 'Không có bộ dữ liệu này.', 'No such dataset.');
      if (d.access !== 'read-write') return fail('read_only', 'Bộ dữ liệu chỉ đọc.', 'The dataset is read-only.');
      const creates = { createMany: (_: string, rows: readonly NewRecord[]) => this.createMany(dataset, rows, dryRun) } as unknown as LocalCreates;
      const file = xlsx !== undefined ? { xlsx: Buffer.from(xlsx, 'base64') } : { csv: csv ?? '' };
      const outcome = await importRecords(d, creates, { dataset, ...file, source: source ?? null, dryRun });
      return outcome.ok ? ok(outcome.result) : { ok: false as const, error: { code: 'invalid_input' as const, messages: outcome.messages } };
    },
    // The records the list shows for the same filter, counted; the "file" (a line per record) is kept in memory for exports.read.
    'records.export': ({ dataset, search, state, format }) => {
      const tokens = search ? searchTokens(search) : [];
      const shown = (this.records.get(dataset) ?? []).filter(
        (r) => (!state || r.state === state) && tokens.every((t) => this.searchText.get(`${r.dataset}/${r.id}`)!.includes(t)),
      );
      return ok(this.exports.write(dataset, shown, format));
    },
    // As the engine's: chunks of a file records.export made; any other name not_found.
    'exports.read': ({ name, offset }) => this.exports.read(name, offset),
    'outbox.list': ({ status, dataset, offset, limit }) => {
      const chosen = this.outbox.filter((e) => (!status || e.status === status) && (!dataset || e.dataset === dataset));
      return ok({ items: chosen.slice(offset, offset + limit), total: chosen.length });
    },
    'outbox.retry': ({ seq }) => {
      const chosen = this.outbox.filter((e) => e.status === 'quarantined' && (seq === undefined || e.seq === seq));
      // As the engine: a change the platform is certain to refuse again is not queued.
      const refusalOf = (e: OutboxEntryView) =>
        e.leftScope || e.notOnPlatform ? LocalWriteRefused.notSentAgain(e.recordId, e.leftScope ? 'left_scope' : 'not_on_platform') : null;
      const refused = chosen.flatMap((e) => {
        const refusal = refusalOf(e);
        return refusal ? [{ seq: e.seq, recordId: e.recordId, code: e.leftScope ? ('out_of_scope' as const) : ('not_found' as const), messages: refusal.messages }] : [];
      });
      if (seq !== undefined && refused[0]) return { ok: false as const, error: { code: refused[0].code, messages: refused[0].messages } };
      const retried = chosen.filter((e) => !refusalOf(e));
      for (const e of retried) Object.assign(e, { status: 'queued', errors: [] });
      this.emit('status.changed', this.status());
      return ok({ retried: retried.length, kept: refused });
    },
    'outbox.discard': ({ seq }) => {
      const entry = this.outbox.find((e) => e.seq === seq);
      if (entry?.status !== 'quarantined') {
        const refusal = LocalWriteRefused.cannotDiscard(seq, entry?.status === 'queued' || entry?.status === 'in_flight' ? entry.status : null);
        return { ok: false as const, error: { code: entry ? ('invalid_input' as const) : ('not_found' as const), messages: refusal.messages } };
      }
      const gone = this.outbox.filter((e) => e.dataset === entry.dataset && e.recordId === entry.recordId);
      this.outbox = this.outbox.filter((e) => !gone.includes(e));
      const record = this.byId.get(`${entry.dataset}/${entry.recordId}`);
      const kept = entry.nationalVersion && !entry.leftScope;
      if (record && kept) {
        record.state = 'synced';
        delete record.errors;
      } else if (record) {
        const list = this.records.get(entry.dataset)!;
        list.splice(list.indexOf(record), 1);
        this.byId.delete(`${entry.dataset}/${entry.recordId}`);
      }
      this.changed(entry.dataset, [entry.recordId]);
      return ok({ discarded: gone.length, dataset: entry.dataset, recordId: entry.recordId, recordState: kept ? ('synced' as const) : null });
    },
    'conflicts.list': ({ status, offset, limit }) => {
      const list = this.conflicts.filter((c) => c.status === status);
      return ok({ items: list.slice(offset, offset + limit), total: list.length });
    },
    'conflicts.get': ({ id }) => ok(this.conflicts.find((c) => c.id === id) ?? null),
    'conflicts.resolve': ({ id, version, take, fields, values, duplicate }) => {
      const c = this.conflicts.find((x) => x.id === id && x.status === 'open');
      if (!c) return fail('not_found', 'Xung đột không còn mở.', 'The conflict is no longer open.');
      if (this.conflictRefusal) return { ok: false as const, error: this.conflictRefusal };
      // As the engine: nothing of this office's change of a record that left its scope is kept.
      const keepsLocal = take === 'local' || Object.values(fields ?? {}).includes('local') || Object.keys(values ?? {}).length > 0 || duplicate === 'keep-both';
      if (c.leftScope && keepsLocal) return { ok: false as const, error: toApiError(LocalWriteRefused.keepLeftScope(c.recordId)) };
      if (version !== undefined && version !== c.version) {
        return fail('conflict_unresolved', 'Bản quốc gia của bản ghi này vừa thay đổi trong lúc bạn đang xem.', 'The national version of this record changed while you were looking at it.');
      }
      c.status = 'resolved';
      // As the engine: this office's side goes up; otherwise nothing is sent, and a record that left the scope, or
      // this office's possible duplicate, leaves this computer.
      const sent = keepsLocal;
      const gone = !sent && (c.leftScope || duplicate === 'discard-local');
      const choice = duplicate === 'discard-local' ? 'discard-local' : duplicate === 'keep-both' ? 'edit' : fields || values ? 'fields' : take === 'local' ? 'local' : 'national';
      c.settled = { at: new Date(this.now).toISOString(), by: SETTLED_BY, choice, outcome: sent ? 'queued' : gone ? 'discarded' : 'adopted-remote' };
      this.emit('conflicts.changed', { open: this.conflicts.filter((x) => x.status === 'open').length, added: [] });
      this.emit('status.changed', this.status());
      return ok({ id, recordState: sent ? ('waiting' as const) : gone ? null : ('synced' as const), sent });
    },
    'conflicts.resolveMany': ({ ids, versions, take }) => {
      let resolved = 0;
      let gone = 0;
      const failed: Array<{ id: string; messages: { vi: string; en: string } }> = [];
      const changed: typeof failed = [];
      const outOfScope: typeof failed = [];
      const busy: typeof failed = [];
      for (const [i, id] of ids.entries()) {
        const c = this.conflicts.find((x) => x.id === id && x.status === 'open');
        if (this.writeLockHeld) {
          // The agent's own words; the first waits and is refused, the rest are not tried.
          const { messages } = refusals.storeWriteBusy(this.dataDir, 'MAY-UBND-XA/4242/fake');
          busy.push(...ids.slice(i).map((left) => ({ id: left, messages })));
          break;
        } else if (c && versions?.[id] !== undefined && versions[id] !== c.version) {
          changed.push({ id, messages: { vi: 'Bản quốc gia của bản ghi này vừa thay đổi trong lúc bạn đang xem.', en: 'The national version of this record changed while you were looking at it.' } });
        } else if (c && c.leftScope && take === 'local') {
          outOfScope.push({ id, messages: LocalWriteRefused.keepLeftScope(c.recordId).messages });
        } else if (c && c.kind !== 'possible-duplicate') {
          c.status = 'resolved';
          c.settled = { at: new Date(this.now).toISOString(), by: SETTLED_BY, choice: take, outcome: take === 'local' ? 'queued' : c.leftScope ? 'discarded' : 'adopted-remote' };
          resolved++;
          // As the engine: the national version of a record that left the scope takes it off this computer.
          if (c.leftScope) gone++;
        } else failed.push({ id, messages: { vi: 'Không giải quyết được xung đột này.', en: 'This conflict could not be settled.' } });
      }
      this.emit('conflicts.changed', { open: this.conflicts.filter((x) => x.status === 'open').length, added: [] });
      return ok({ resolved, gone, changed, outOfScope, busy, failed });
    },
    'sync.now': () => {
      if (this.leaseHeldBy) {
        // The agent's own refusal, so the fake says exactly what the window would be told.
        const refusal = refusals.leaseHeld(`${this.leaseHeldBy.host}/${this.leaseHeldBy.pid ?? ''}/fake`);
        return { ok: false as const, error: { code: 'busy' as const, messages: refusal.messages } };
      }
      const run: SyncRunView = {
        id: (this.runs[0]?.id ?? 0) + 1,
        trigger: 'manual',
        startedAt: new Date().toISOString(),
        finishedAt: null,
        status: 'running',
        pushed: 0,
        pulled: 0,
        conflicts: 0,
        rejected: 0,
        error: null,
      };
      this.runs.unshift(run);
      this.emit('sync.started', { runId: run.id, trigger: run.trigger });
      setTimeout(() => {
        Object.assign(run, { finishedAt: new Date().toISOString(), status: 'ok', pulled: 12 });
        this.emit('sync.finished', run);
      }, 200).unref();
      return ok({ started: true, run });
    },
    'syncRuns.list': ({ limit }) => ok(this.runs.slice(0, limit)),
    'settings.get': () => ok(this.settings),
    'settings.update': (patch) => {
      this.settings = { ...this.settings, ...patch };
      return ok(this.settings);
    },
    'enrollment.enroll': ({ token }) => {
      if (token.startsWith('bad')) return fail('unauthorized', 'Mã đăng ký không hợp lệ hoặc đã dùng.', 'The enrollment token is invalid or used.');
      this.enrollment = 'active';
      this.emit('status.changed', this.status());
      return ok({ status: 'active' as const, agentId: 'agent-0001' });
    },
    'audit.verify': () => ok({ ok: true, events: 1_234, brokenAt: null }),
    'backup.create': () => {
      const at = new Date();
      if (this.maintenanceFailure) return { ok: false, error: this.maintenanceFailure };
      const records = [...this.records.values()].reduce((n, list) => n + list.length, 0);
      return ok({
        path: `${this.dataDir}\\backups\\manual-${stamp(at)}.tar.gz`,
        bytes: 4_873_420,
        createdAt: at.toISOString(),
        records,
        files: [
          { name: 'agent.sqlite', size: 201_326_592 },
          { name: 'agent-key.pem', size: 119 },
          { name: 'agent-key.pub.pem', size: 113 },
        ],
        agentVersion: '0.1.0',
      });
    },
    'diagnostics.export': () => {
      const at = new Date();
      if (this.maintenanceFailure) return { ok: false, error: this.maintenanceFailure };
      return ok({ path: `${this.dataDir}\\diagnostics\\diagnostics-${stamp(at)}.json`, bytes: 183_296, createdAt: at.toISOString(), database: 'ok' as const });
    },
  };
}



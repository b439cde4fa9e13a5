import { z } from 'zod';
import type { Caller } from './caller.js';
import { platformAddressSchema } from '../protocol/platform-address.js';
import { describeInputIssues } from './input-problems.js';
import {
  agentStatusSchema,
  backupMadeSchema,
  conflictViewSchema,
  datasetViewSchema,
  diagnosticsMadeSchema,
  fieldErrorSchema,
  localizedSchema,
  outboxEntryViewSchema,
  recordStateSchema,
  recordViewSchema,
  settingsSchema,
  syncRunViewSchema,
} from './views.js';
import { recordHistorySchema } from './record-history.js';
import { syncRunDetailSchema } from './sync-run-detail.js';
import { importResultSchema, MAX_IMPORT_CHARS, MAX_IMPORT_XLSX_BASE64 } from './record-import.js';
import { exportChunkSchema, exportMadeSchema } from './record-export.js';

/**
 * The AgentApi: every command and event the engine offers, written once and used
 * by the CLI, the Electron IPC bridge and the local admin API. Inputs are
 * validated with these schemas at every door; outputs are typed.
 */
const dataset = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);
const id = z.string().regex(/^[0-9a-f-]{36}$/);
const data = z.record(z.string(), z.unknown());
const paging = { offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(1000).default(100) };
const choice = z.enum(['local', 'national']);
/**
 * The schema's filters of the Records list (records/record-filter.ts): `fields`, field → value on the
 * fields the dataset's schema marks `x-filter` (a status, a commune code); `due`, on its `x-due`
 * deadline: `overdue` (before now, not done) or `today` (due on the computer's calendar day, not done),
 * listed earliest first. A field or value the schema does not offer is refused (invalid_input).
 */
const recordFilter = z
  .object({
    fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.string().min(1).max(200)).optional(),
    due: z.enum(['overdue', 'today']).optional(),
  })
  .strict();

/** What a bulk take settled, and each conflict it left open with why (conflicts.resolveMany, conflicts.resolveMatching). */
const bulkTaken = z.object({
  resolved: z.number().int(),
  /** Of the settled ones, those whose record is no longer on this computer (it left this office's scope, or the national side deleted it): nothing is sent for them. */
  gone: z.number().int(),
  /** Left open, not settled: a newer national version came after the person looked (resolveMany: only for ids sent with a version; resolveMatching: after the count). */
  changed: z.array(z.object({ id: z.string(), messages: localizedSchema })),
  /** Left open, not settled: `take: local` for a record that left this office's scope, which the platform would refuse (only the national side can be kept). */
  outOfScope: z.array(z.object({ id: z.string(), messages: localizedSchema })),
  /**
   * Left open, not settled: the data file was busy (another agent process kept its write lock past the 5 s a write waits).
   * The bulk take stopped at the first of them; the others were not tried and are untouched. Each says the `busy` words.
   */
  busy: z.array(z.object({ id: z.string(), messages: localizedSchema })),
  failed: z.array(z.object({ id: z.string(), messages: localizedSchema })),
});

export const commands = {
  'status.get': { input: z.object({}).strict(), output: agentStatusSchema },
  'datasets.list': { input: z.object({}).strict(), output: z.array(datasetViewSchema) },
  'records.list': {
    input: z.object({ dataset, search: z.string().max(200).optional(), state: recordStateSchema.optional(), filter: recordFilter.optional(), ...paging }).strict(),
    // totalCapped (a search only): more than `total` records match; the search counts no further (search/record-search.ts).
    output: z.object({ items: z.array(recordViewSchema), total: z.number().int(), totalCapped: z.literal(true).optional() }),
  },
  'records.get': { input: z.object({ dataset, id }).strict(), output: recordViewSchema.nullable() },
  /**
   * One record's change history from the audit log, newest first: who did what and when (edits with the
   * fields' values before and after). `before`: the `next` of the page before. Read only; a record no
   * longer on this computer keeps its history (an unknown id: none).
   */
  'records.history': {
    input: z.object({ dataset, id, limit: z.number().int().min(1).max(500).default(50), before: z.number().int().min(1).optional() }).strict(),
    output: recordHistorySchema,
  },
  'records.validate': { input: z.object({ dataset, data, id: id.optional() }).strict(), output: z.object({ errors: z.array(fieldErrorSchema) }) },
  'records.put': {
    input: z.object({ dataset, data, id: id.optional() }).strict(),
    output: z.object({ id, state: recordStateSchema }),
  },
  /**
   * Imports a spreadsheet saved as CSV (UTF-8, comma or semicolon, a BOM or not, a header row), or an
   * Excel workbook (.xlsx, its first sheet; `xlsx`: the file's bytes in base64, at most
   * MAX_IMPORT_XLSX_BYTES; `sheet`: another sheet by its name), into a read-write dataset as new records:
   * one call per file, `csv` or `xlsx`. Columns are the fields' names or their
   * Vietnamese or English titles. A file whose header does not match the dataset is refused whole
   * (invalid_input, nothing written). Otherwise each valid row is written (batches of 500, one
   * transaction each) and each refused row is listed by its line with the field and the message;
   * a row whose unique value a cached record holds is `present`, skipped. `dryRun`: nothing written.
   * `source`: the file's name, which the audit log keeps with each imported record.
   */
  'records.import': {
    input: z
      .object({
        dataset,
        csv: z.string().max(MAX_IMPORT_CHARS).optional(),
        xlsx: z.string().max(MAX_IMPORT_XLSX_BASE64).optional(),
        sheet: z.string().min(1).max(31).optional(),
        source: z.string().max(260).optional(),
        dryRun: z.boolean().default(false),
      })
      .strict(),
    output: importResultSchema,
  },
  /**
   * Writes the records the Records list shows for the same dataset, search text and state to a CSV file,
   * or with `format: 'xlsx'` an Excel workbook (the same columns; text cells as Text, numbers and dates
   * as such: export/records-xlsx.ts). The CSV: (UTF-8 with a BOM, commas, a header of the fields' titles in `lang`, else the settings' language;
   * dates day/month/year; choices by their label; after each commune or province code (x-lookup) the unit's name from
   * the cached admin-units, which records.import leaves out; a last "sync state" column unless `stateColumn` is
   * false; records.import takes the file back either way). Deleted records are left out. The file goes into the data
   * folder's exports/ (no path is taken: a browser must not choose where files go; the CLI writes
   * where it is told in its own process). Recorded in the audit log ('records.exported').
   */
  'records.export': {
    input: z
      .object({
        dataset,
        search: z.string().max(200).optional(),
        state: recordStateSchema.optional(),
        filter: recordFilter.optional(),
        lang: z.enum(['vi', 'en']).optional(),
        stateColumn: z.boolean().default(true),
        format: z.enum(['csv', 'xlsx']).default('csv'),
      })
      .strict(),
    output: exportMadeSchema,
  },
  /**
   * Reads back a file records.export wrote, so the window and the web console can save it on the
   * person's own computer (the service's data folder is not theirs to open): `name` is the answer's
   * `name`, a plain file name in the data folder's exports/ (no folder, nothing but an export's name);
   * at most EXPORT_CHUNK_BYTES from `offset` a call, `next` says where to go on (null: the end).
   * Read only, not audited: the export itself was (docs/security.md).
   */
  'exports.read': {
    input: z.object({ name: z.string().min(1).max(200), offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0) }).strict(),
    output: exportChunkSchema,
  },
  'records.delete': {
    input: z.object({ dataset, id }).strict(),
    /** `sent` false: nothing goes to the platform (created here and never sent: the record only left this computer). */
    output: z.object({ id, state: recordStateSchema, sent: z.boolean() }),
  },
  'outbox.list': {
    input: z.object({ status: outboxEntryViewSchema.shape.status.optional(), dataset: z.string().max(64).optional(), ...paging }).strict(),
    output: z.object({ items: z.array(outboxEntryViewSchema), total: z.number().int() }),
  },
  /**
   * Queues held-back changes again, one (`seq`) or all. Never one the platform is
   * certain to refuse again: its record left this office's scope (`out_of_scope`) or
   * the platform no longer holds the record (`not_found`). Such a `seq` is refused,
   * nothing written; without `seq` they stay held back, in `kept`, each with its
   * code and vi/en words (why, and to discard it instead), and the others are queued.
   */
  'outbox.retry': {
    input: z.object({ seq: z.number().int().optional() }).strict(),
    output: z.object({
      retried: z.number().int(),
      kept: z.array(z.object({ seq: z.number().int(), recordId: z.string(), code: z.enum(['out_of_scope', 'not_found']), messages: localizedSchema })),
    }),
  },
  /**
   * Gives up a change the platform held back (quarantined), with every other held-back
   * change of its record: the record goes back to the national version this computer
   * last received, or leaves this computer if the platform never had it or it left
   * this office's scope (`recordState` null). Refused for a change still to be sent.
   */
  'outbox.discard': {
    input: z.object({ seq: z.number().int() }).strict(),
    output: z.object({ discarded: z.number().int(), dataset: z.string(), recordId: z.string(), recordState: recordStateSchema.nullable() }),
  },
  /** Conflicts newest first, a page at a time; `dataset`, `kind` and `field` filter all of them (`total` counts the filter's). */
  'conflicts.list': {
    input: z
      .object({
        status: z.enum(['open', 'resolved']).default('open'),
        dataset: z.string().max(64).optional(),
        kind: conflictViewSchema.shape.kind.optional(),
        /** Only those whose one conflicting field is this one: a take for them is of that field alone. */
        field: z.string().max(64).optional(),
        ...paging,
      })
      .strict(),
    output: z.object({ items: z.array(conflictViewSchema), total: z.number().int() }),
  },
  'conflicts.get': { input: z.object({ id: z.string().max(64) }).strict(), output: conflictViewSchema.nullable() },
  'conflicts.resolve': {
    input: z
      .object({
        id: z.string().max(64),
        take: choice.optional(),
        fields: z.record(z.string(), choice).optional(),
        values: z.record(z.string(), z.unknown()).optional(),
        /** For a possible duplicate: keep this office's record as a distinct person, or drop it as the same one. */
        duplicate: z.enum(['keep-both', 'discard-local']).optional(),
        /** ConflictView.version as the person saw it: refused (conflict_unresolved) if a newer national version came since. */
        version: z.string().max(64).optional(),
      })
      .strict(),
    output: z.object({
      id: z.string(),
      /** The record's state after the choice; null: it is no longer on this computer (it left this office's scope, the national side deleted it, or this office's record was dropped). */
      recordState: recordStateSchema.nullable(),
      /** A change of this office's goes to the platform at the next sync; false: nothing is sent (the record keeps the national version, or leaves this computer). */
      sent: z.boolean(),
    }),
  },
  'conflicts.resolveMany': {
    input: z
      .object({
        ids: z.array(z.string().max(64)).min(1).max(1000),
        take: choice,
        /** Per conflict id, ConflictView.version as the person saw it: one a newer national version refreshed since is left open (`changed`). */
        versions: z.record(z.string().max(64), z.string().max(64)).optional(),
      })
      .strict(),
    output: bulkTaken,
  },
  /**
   * Before a bulk take of every open conflict `dataset` and `kind` filter (not only a page of them): how many,
   * how many a take settles (`bulkable`: possible duplicates never are), how many of those left this
   * office's scope, and `through`, which conflicts.resolveMatching settles none changed after.
   */
  'conflicts.matching': {
    input: z.object({ dataset: z.string().max(64).optional(), kind: conflictViewSchema.shape.kind.optional(), field: z.string().max(64).optional() }).strict(),
    output: z.object({ total: z.number().int(), bulkable: z.number().int(), leftScope: z.number().int(), duplicates: z.number().int(), through: z.number().int() }),
  },
  /**
   * One page of a bulk take of every open conflict the filter holds, counted by conflicts.matching (`through`):
   * up to `limit` past `after`, each settled in its own transaction as conflicts.resolveMany does. One a newer
   * national version refreshed since the count is left open and named once, in the last page's `changed`
   * (also one refreshed between its page's read and its settling); one opened since is not touched
   * (`newSince`). Call again with `after: next` until `next` is null.
   */
  'conflicts.resolveMatching': {
    input: z
      .object({
        dataset: z.string().max(64).optional(),
        kind: conflictViewSchema.shape.kind.optional(),
        field: z.string().max(64).optional(),
        take: choice,
        through: z.number().int().min(0),
        after: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(500).default(200),
      })
      .strict(),
    output: bulkTaken.extend({
      /** The id to go on after; null: done, or stopped at a busy data file. */
      next: z.string().nullable(),
      /** On the last page: open conflicts the filter holds, possible duplicates aside, opened after the count; not touched. */
      newSince: z.number().int(),
      /** Stopped at a busy data file: the counted conflicts past this page, not tried, left open. */
      notTried: z.number().int(),
    }),
  },
  /**
   * One sync now. `trigger`: who asked, as the sync history records it: 'manual' (the window's button) or 'cli'
   * (the command line, which goes through a running service); absent: the service's own (the window's).
   */
  'sync.now': {
    input: z.object({ trigger: z.enum(['manual', 'cli']).optional() }).strict(),
    output: z.object({ started: z.boolean(), run: syncRunViewSchema.nullable() }),
  },
  /**
   * The sync history, newest first. `before`: only runs numbered below it (the next page: the oldest run of the
   * page before, `repeats.firstId` for a grouped row). `group`: failed runs in a row that stopped for the same
   * reason come as one row with `repeats` (a week offline is one row, not hundreds); `limit` counts rows.
   */
  'syncRuns.list': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(50), before: z.number().int().min(1).optional(), group: z.boolean().default(false) }).strict(),
    output: z.array(syncRunViewSchema),
  },
  /** One run's details (null: no run has that number, or it was pruned from the history). */
  'syncRuns.get': { input: z.object({ id: z.number().int().min(1) }).strict(), output: syncRunDetailSchema.nullable() },
  'settings.get': { input: z.object({}).strict(), output: settingsSchema },
  'settings.update': { input: settingsSchema.extend({ platformUrl: platformAddressSchema.nullable() }).partial().strict(), output: settingsSchema },
  'enrollment.enroll': {
    input: z.object({ token: z.string().min(16).max(256), platformUrl: platformAddressSchema.optional(), siteCode: z.string().max(64).optional() }).strict(),
    output: z.object({ status: z.enum(['active', 'pending']), agentId: z.string() }),
  },
  'audit.verify': { input: z.object({}).strict(), output: z.object({ ok: z.boolean(), events: z.number().int(), brokenAt: z.number().int().nullable() }) },
  /** A backup now, into the data folder's backups/ (no path is taken: a browser must not choose where files go). */
  'backup.create': { input: z.object({}).strict(), output: backupMadeSchema },
  /** A redacted diagnostics bundle for IT, into the data folder's diagnostics/. */
  'diagnostics.export': { input: z.object({}).strict(), output: diagnosticsMadeSchema },
} as const;

export const events = {
  'status.changed': agentStatusSchema,
  'records.changed': z.object({ dataset, ids: z.array(z.string()) }),
  'conflicts.changed': z.object({ open: z.number().int(), added: z.array(z.string()) }),
  'sync.started': z.object({ runId: z.number().int(), trigger: syncRunViewSchema.shape.trigger }),
  'sync.finished': syncRunViewSchema,
  /** After settings.update, through any door: the tray and notifications follow the language. */
  'settings.changed': settingsSchema,
} as const;

export type CommandName = keyof typeof commands;
export type CommandInput<C extends CommandName> = z.input<(typeof commands)[C]['input']>;
export type CommandArgs<C extends CommandName> = z.output<(typeof commands)[C]['input']>;
export type CommandOutput<C extends CommandName> = z.output<(typeof commands)[C]['output']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Errors cross every door as data with a code the UI turns into a sentence. */
export const apiErrorSchema = z.object({
  code: z.enum([
    'invalid_input',
    'validation_failed',
    'not_found',
    'read_only',
    'out_of_scope',
    'not_enrolled',
    'unauthorized',
    'unreachable',
    'busy',
    'conflict_unresolved',
    'internal',
  ]),
  messages: localizedSchema,
  fieldErrors: z.array(fieldErrorSchema).optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** The one interface every door implements or consumes. */
export interface AgentApi {
  /** Runs a command; `caller` says who asked, for the audit log (by default the user the engine's process runs for). */
  call<C extends CommandName>(command: C, input: CommandInput<C>, caller?: Caller): Promise<ApiResult<CommandOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(commands, name);
}

/** Validates a command's input at a door; returns the parsed args or an ApiError. */
export function parseCommandInput<C extends CommandName>(command: C, input: unknown): ApiResult<CommandArgs<C>> {
  const parsed = commands[command].input.safeParse(input ?? {});
  if (parsed.success) return { ok: true, value: parsed.data as CommandArgs<C> };
  const detail = describeInputIssues(parsed.error.issues, input ?? {});
  return {
    ok: false,
    error: {
      code: 'invalid_input',
      messages: { vi: `Dữ liệu gửi tới tác tử không hợp lệ. ${detail.vi}`, en: `What was sent to the agent is not valid. ${detail.en}` },
    },
  };
}

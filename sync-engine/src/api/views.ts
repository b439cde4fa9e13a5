import { z } from 'zod';
import { messageTemplateShape } from '../protocol/message-params.js';

/** What the window, the CLI and the admin API see of the engine's state. No I/O here. */

export const localizedSchema = z.object({ vi: z.string(), en: z.string() });
export type Localized = z.infer<typeof localizedSchema>;

export const healthStateSchema = z.enum(['online', 'degraded', 'offline', 'unauthorized', 'clock_skew', 'unchecked']);
export type HealthStateView = z.infer<typeof healthStateSchema>;

export const recordStateSchema = z.enum(['synced', 'waiting', 'conflict', 'rejected']);
export type RecordState = z.infer<typeof recordStateSchema>;

/**
 * One problem with one field. A message that names a date also carries it as
 * a value (`template`, `params`: protocol/message-params.ts), so the window
 * writes it day/month/year; `messages` hold it as stored (YYYY-MM-DD).
 */
export const fieldErrorSchema = z.object({ path: z.string(), code: z.string(), messages: localizedSchema, ...messageTemplateShape });
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const datasetStatusSchema = z.object({
  dataset: z.string(),
  title: localizedSchema,
  records: z.number().int().nonnegative(),
  /** Time of the last completed pull to the end of the feed, ISO. */
  freshAt: z.string().nullable(),
  digest: z.enum(['match', 'mismatch', 'pending', 'unknown']),
});
export type DatasetStatus = z.infer<typeof datasetStatusSchema>;

export const latencyPointSchema = z.object({ at: z.number(), p50: z.number().nullable(), failures: z.number().int() });

export const agentStatusSchema = z.object({
  enrollment: z.enum(['not_initialised', 'not_enrolled', 'pending', 'active', 'revoked']),
  siteCode: z.string().nullable(),
  platformUrl: z.string().nullable(),
  /** `at`: when the state was observed (ISO; null before the first check); without a running service, the stored state's time. */
  health: z.object({ state: healthStateSchema, reason: localizedSchema, code: z.string(), latencyMs: z.number().nullable(), at: z.string().nullable() }),
  latency: z.array(latencyPointSchema),
  syncing: z.boolean(),
  lastSync: z.object({ at: z.string(), status: z.string() }).nullable(),
  /** When the last run that went through (ok, with or without conflicts, or partial) finished; null: none yet. Older than lastSync after failed runs. */
  lastSuccessAt: z.string().nullable(),
  nextSyncAt: z.string().nullable(),
  /** Another process that holds the data folder's lease and so syncs it (its computer and process id); null when this one holds it or none does. */
  leaseHeldBy: z.object({ host: z.string(), pid: z.number().int().nullable() }).nullable(),
  outbox: z.object({ depth: z.number().int(), oldestAt: z.string().nullable(), quarantined: z.number().int() }),
  openConflicts: z.number().int(),
  /** Records the platform refused (state `rejected`), not those counted in `platformFaults`. */
  rejected: z.number().int(),
  /**
   * Records in state `rejected` whose change is held back because the platform kept failing on it
   * (HTTP 500, `platform_fault`; RecordView `platformFault`): the platform never judged them.
   * They are not sent again until a person retries them (outbox retry).
   */
  platformFaults: z.number().int(),
  datasets: z.array(datasetStatusSchema),
});
export type AgentStatusView = z.infer<typeof agentStatusSchema>;

export const datasetViewSchema = z.object({
  name: z.string(),
  title: localizedSchema,
  access: z.enum(['read', 'read-write']),
  scope: z.enum(['national', 'province']),
  schema: z.record(z.string(), z.unknown()),
  display: z.object({ titleField: z.string(), listFields: z.array(z.string()), searchFields: z.array(z.string()).optional() }),
  uniqueFields: z.array(z.string()),
  /**
   * The values every record this office writes in the dataset has, by field: the province of its
   * scope, and its commune when the scope is one commune (the descriptor's scopeField, communeField).
   * A new record's form starts with them. Empty for a national dataset or before enrollment.
   */
  officeValues: z.record(z.string(), z.string()),
  records: z.number().int().nonnegative(),
});
export type DatasetView = z.infer<typeof datasetViewSchema>;

export const recordViewSchema = z.object({
  dataset: z.string(),
  id: z.string(),
  rev: z.number().int().nullable(),
  deleted: z.boolean(),
  state: recordStateSchema,
  data: z.record(z.string(), z.unknown()).nullable(),
  updatedAt: z.string(),
  errors: z.array(fieldErrorSchema).optional(),
  /**
   * True (else absent) for a `rejected` record whose change the agent held back because the
   * platform kept failing on it (HTTP 500, code `platform_fault`), not because the platform
   * refused it: the window and the CLI label it so, not "rejected".
   */
  platformFault: z.boolean().optional(),
  /** The record left this office's scope on the platform (kept for a change of it that waits): settling that change takes it off this computer. */
  leftScope: z.boolean(),
  /**
   * The platform held back a change of the record answering that it does not hold
   * the record (`not_found`): it accepts no change of it, so it takes no edit or
   * delete here; discarding that change (outbox.discard) takes it off this computer.
   */
  notOnPlatform: z.boolean(),
});
export type RecordView = z.infer<typeof recordViewSchema>;

export const outboxEntryViewSchema = z.object({
  seq: z.number().int(),
  mutationId: z.string(),
  dataset: z.string(),
  recordId: z.string(),
  op: z.enum(['upsert', 'delete']),
  status: z.enum(['queued', 'in_flight', 'quarantined']),
  attempts: z.number().int(),
  createdAt: z.string(),
  errors: z.array(fieldErrorSchema),
  title: z.string().nullable(),
  /** The record left this office's scope on the platform (kept for this change): settling the change takes it off this computer. */
  leftScope: z.boolean(),
  /**
   * The platform holds a live version of the record, as this computer last received it:
   * discarding the change (outbox.discard) goes back to it. False for a record this office
   * created that the platform has not accepted, or one it holds deleted: discarding takes
   * the record off this computer (as it does when `leftScope`).
   */
  nationalVersion: z.boolean(),
  /**
   * The platform held this change, or another held-back change of its record, back
   * answering that it does not hold the record (`not_found`: its deletion was purged
   * there): it accepts no change of the record, so no change of it is retried
   * (outbox.retry) nor the record edited; discarding it takes the record off this computer.
   */
  notOnPlatform: z.boolean(),
  /**
   * How many OTHER held-back (quarantined) changes its record has, wherever they sit in the
   * list: discarding a held-back change (outbox.discard) drops every one of them too. Counted
   * by the engine over the whole outbox, not over the page the list answered.
   */
  othersHeld: z.number().int(),
});
export type OutboxEntryView = z.infer<typeof outboxEntryViewSchema>;

export const conflictFieldViewSchema = z.object({
  field: z.string(),
  title: localizedSchema,
  base: z.unknown(),
  local: z.unknown(),
  national: z.unknown(),
  /** Pre-filled automatic choice, when the field resolved by itself or by policy. */
  auto: z.enum(['local', 'national']).nullable(),
});

export const conflictViewSchema = z.object({
  id: z.string(),
  dataset: z.string(),
  recordId: z.string(),
  kind: z.enum(['fields', 'delete-vs-edit', 'create-collision', 'possible-duplicate']),
  status: z.enum(['open', 'resolved']),
  /** Changes when a newer national version refreshes the conflict; sent back with conflicts.resolve. */
  version: z.string(),
  createdAt: z.string(),
  title: z.string().nullable(),
  fields: z.array(conflictFieldViewSchema),
  localDeleted: z.boolean(),
  nationalDeleted: z.boolean(),
  /** For a possible duplicate: the record already holding the unique value. */
  existing: z.object({ id: z.string(), data: z.record(z.string(), z.unknown()).nullable() }).nullable(),
  /** The record left this office's scope on the platform while the conflict was open: taking the national version or dropping this office's change takes it off this computer. */
  leftScope: z.boolean(),
  /**
   * The conflict arose from a restore of the national platform from an older backup (this office's change was one
   * the restore lost, sent again): the national side may be OLDER than this office's. `headAt`: the time the
   * platform's records went back to (the newest change the restored platform held); null when not known. Null: no restore.
   */
  restored: z.object({ headAt: z.string().nullable() }).nullable(),
  /**
   * The version both sides started from is known: the fields' `base` values are its values (null: the field was
   * blank there). False when nothing is known of it, `baseUnknown` says why; the fields' `base` is then null and
   * means nothing. Always true for a possible duplicate, which compares two records and has no base.
   */
  baseKnown: z.boolean(),
  /**
   * Why the base is unknown (null when `baseKnown`): 'restore', the version both sides started from was lost when
   * the national platform was restored (conflicts.details.baseUnknown), so every field that differs is a person's to
   * choose; 'created', both sides created the record separately, there was no earlier version.
   */
  baseUnknown: z.enum(['restore', 'created']).nullable(),
  /**
   * How a settled conflict was settled (null while open): when; who chose (as the audit log names them; null: it
   * settled by itself at a sync); the choice (this office's side, the national side, field by field, an edit typed,
   * this office's record dropped as a duplicate; 'auto': by itself); and what it did (this office's change queued to
   * go up, the national version kept, the record dropped; null: not recorded).
   */
  settled: z
    .object({
      at: z.string(),
      by: z.string().nullable(),
      choice: z.enum(['local', 'national', 'fields', 'edit', 'discard-local', 'auto']),
      outcome: z.enum(['queued', 'adopted-remote', 'discarded']).nullable(),
    })
    .nullable(),
});
export type ConflictView = z.infer<typeof conflictViewSchema>;

export const syncRunViewSchema = z.object({
  id: z.number().int(),
  trigger: z.enum(['schedule', 'manual', 'startup', 'retry', 'watchdog', 'cli']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['running', 'ok', 'conflicts', 'failed']),
  pushed: z.number().int(),
  pulled: z.number().int(),
  conflicts: z.number().int(),
  rejected: z.number().int(),
  /** Changes of this office the platform had accepted and lost (restored from an older backup), sent again by this run; absent when none. */
  resent: z.number().int().min(1).optional(),
  /**
   * Records this run's resync removed from this computer (synced ones the platform's snapshot no longer held for
   * this office: deleted there, or out of its scope; after a purge, a scope change, a restore); absent when none.
   */
  swept: z.number().int().min(1).optional(),
  error: z.object({ code: z.string(), messages: localizedSchema }).nullable(),
  /**
   * `syncRuns.list` with `group`: this row stands for `count` failed runs in a row that stopped for the same
   * reason (the same sentence), this run the newest; `firstId` and `firstStartedAt` are the oldest of them.
   */
  repeats: z.object({ count: z.number().int().min(2), firstId: z.number().int(), firstStartedAt: z.string() }).optional(),
});
export type SyncRunView = z.infer<typeof syncRunViewSchema>;

export const settingsSchema = z.object({
  platformUrl: z.string().url().nullable(),
  siteCode: z.string().nullable(),
  schedule: z.string().min(9).max(120),
  proxy: z.string().url().nullable(),
  language: z.enum(['vi', 'en']),
  adminPort: z.number().int().min(1024).max(65535),
});
export type Settings = z.infer<typeof settingsSchema>;

/** A file the agent wrote into its own data folder: full path, size in bytes, when. */
const savedFileShape = { path: z.string(), bytes: z.number().int().min(0), createdAt: z.string() };

export const backupMadeSchema = z.object({
  ...savedFileShape,
  /** From the backup's manifest: the records it holds (deleted ones not counted) and its files. */
  records: z.number().int().min(0),
  files: z.array(z.object({ name: z.string(), size: z.number().int().min(0) })),
  agentVersion: z.string(),
});
export type BackupMade = z.infer<typeof backupMadeSchema>;

export const diagnosticsMadeSchema = z.object({
  ...savedFileShape,
  /** The bundle's own integrity check of the database: 'problems' is worth telling IT about at once. */
  database: z.enum(['ok', 'problems']),
});
export type DiagnosticsMade = z.infer<typeof diagnosticsMadeSchema>;

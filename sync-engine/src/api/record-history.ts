import { z } from 'zod';
import { localizedSchema } from './views.js';

/**
 * One record's change history as the window, the CLI and the admin API show it:
 * its audit-log events (audit/audit-log.ts) in plain terms, newest first. Field
 * values appear only in `changes`, and only where the record itself is shown.
 */

/**
 * What happened, from the audit action (service/record-history.ts):
 * - created, edited, undeleted (saved again after a deletion), deleted: a person's change here (local.put, local.delete);
 * - accepted: the platform accepted a change sent from here (sync.applied; `op` says which);
 * - rejected: the platform refused a change (sync.rejected; `outcome`, `errors`);
 * - resent: sent again after the platform was restored from an older backup (sync.resent);
 * - merged: this office's change and a national one were merged automatically (merge.auto keep-local, merged);
 * - national-taken: the national version was taken as it is, automatically (merge.auto identical, take-remote, both-deleted);
 * - conflict-opened: a person must choose (conflict.opened; `reason`, `fields`);
 * - conflict-settled: a person chose (conflict.resolved; `settled`);
 * - retried: a held-back change queued again by a person (outbox.retry);
 * - discarded: a held-back change given up by a person (outbox.discard).
 */
export const recordEventKindSchema = z.enum([
  'created',
  'edited',
  'undeleted',
  'deleted',
  'accepted',
  'rejected',
  'resent',
  'merged',
  'national-taken',
  'conflict-opened',
  'conflict-settled',
  'retried',
  'discarded',
  'other',
]);
export type RecordEventKind = z.infer<typeof recordEventKindSchema>;

/** One field of an edit: its value before and after (absent: the field had no value). */
export const fieldChangeSchema = z.object({ field: z.string(), before: z.unknown().optional(), after: z.unknown().optional() });
export type FieldChange = z.infer<typeof fieldChangeSchema>;

export const recordEventViewSchema = z.object({
  /** The audit log's seq: `before` for the next page. */
  seq: z.number().int(),
  /** When, ISO. */
  at: z.string(),
  /** Who, as recorded: a person's name, 'sync' for the engine, 'local' when nobody was named. */
  actor: z.string(),
  kind: recordEventKindSchema,
  /** The audit action itself (local.put, sync.applied, …). */
  action: z.string(),
  /** created, edited, undeleted: the fields whose value changed, with the values before and after. */
  changes: z.array(fieldChangeSchema).optional(),
  /** created: by records.import, from this line of this file (null: the caller named no file). */
  imported: z.object({ file: z.string().nullable(), line: z.number().int() }).optional(),
  /** accepted, resent: whether the change sent was a deletion. */
  op: z.enum(['upsert', 'delete']).optional(),
  /**
   * rejected: what became of the change: held back for a person, dropped for a newer edit that went
   * instead (superseded), or a possible duplicate of another record (a conflict).
   */
  outcome: z.enum(['held', 'superseded', 'possible-duplicate']).optional(),
  /** rejected: the platform's reasons, by field (path '' : the whole record). */
  errors: z.array(z.object({ path: z.string(), code: z.string(), messages: localizedSchema.optional() })).optional(),
  /** conflict-opened: the kind of conflict. */
  reason: z.enum(['fields', 'delete-vs-edit', 'create-collision', 'possible-duplicate']).optional(),
  /** conflict-opened: the fields the two sides disagree on; merged, national-taken: the fields settled one by one. */
  fields: z.array(z.string()).optional(),
  /** conflict-opened: a conflict already open was refreshed by a newer national version. */
  refreshed: z.literal(true).optional(),
  /** conflict-opened: it arose from a restore of the national platform from an older backup. */
  restored: z.literal(true).optional(),
  /**
   * conflict-settled: what the person kept: the national version, this office's, a choice field by field,
   * values typed in, or this office's record dropped as the same person as another (a possible duplicate).
   */
  settled: z.enum(['national', 'local', 'fields', 'edited', 'dropped']).optional(),
  /** The record left this office's scope then: it left this computer. */
  leftScope: z.literal(true).optional(),
});
export type RecordEventView = z.infer<typeof recordEventViewSchema>;

/**
 * Who wrote the version of the record this computer holds, and when (the platform's time once synced):
 * the national platform, this office (the person's name as written) or another office. Changes the
 * national side and other offices make arrive by pull, which the audit log does not record per record:
 * this says at least whose the current version is.
 */
export const currentVersionSchema = z.object({
  at: z.string(),
  by: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('national') }),
    z.object({ kind: z.literal('this-office'), user: z.string().optional() }),
    z.object({ kind: z.literal('other-office'), siteCode: z.string(), user: z.string().optional() }),
  ]),
});
export type CurrentVersionView = z.infer<typeof currentVersionSchema>;

export const recordHistorySchema = z.object({
  /** The version held now (first page only, and only for a record this computer holds); else absent. */
  current: currentVersionSchema.optional(),
  /** Newest first. */
  items: z.array(recordEventViewSchema),
  /** More, older events: pass it as `before` for the next page; null: none. */
  next: z.number().int().nullable(),
});
export type RecordHistoryView = z.infer<typeof recordHistorySchema>;

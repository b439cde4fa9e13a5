import { z } from 'zod';
import { messageTemplateShape } from './message-params.js';
import { datasetNameSchema, recordDataSchema, uuidSchema, wireRecordSchema } from './records.js';

export const mutationSchema = z.object({
  mutationId: uuidSchema,
  dataset: datasetNameSchema,
  id: uuidSchema,
  op: z.enum(['upsert', 'delete']),
  baseRev: z.number().int().positive().nullable(),
  data: recordDataSchema.nullable().optional(),
});
export type Mutation = z.infer<typeof mutationSchema>;

export const pushRequestSchema = z.object({ mutations: z.array(z.unknown()).min(1) });

export const recordErrorSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  /** Vietnamese and English texts of the same error, for the agent's screens. */
  messages: z.object({ vi: z.string(), en: z.string() }).optional(),
  /** When the texts name a date: the same texts with `{name}` for each date, and the dates (message-params.ts). */
  ...messageTemplateShape,
});
export type RecordError = z.infer<typeof recordErrorSchema>;

/**
 * Whether a `rejected` answer says the platform does not hold the record at
 * all: `not_found` on the record itself (path ''), for an update or delete of
 * an id it never had or whose tombstone it purged (docs/protocol.md, Push).
 * Sending the change again cannot help, and the version this computer last
 * received is gone from the platform too. notOnPlatformMarks (outbox-entries.ts)
 * says the same in SQL, for a page of records at once: change both together.
 */
export function saysRecordNotOnPlatform(errors: readonly RecordError[] | null | undefined): boolean {
  return (errors ?? []).some((e) => e.code === 'not_found' && e.path === '');
}

export const mutationResultSchema = z.discriminatedUnion('status', [
  z.object({ mutationId: uuidSchema, status: z.literal('applied'), rev: z.number().int().positive(), seq: z.number().int().positive() }),
  z.object({ mutationId: uuidSchema, status: z.literal('duplicate'), rev: z.number().int().positive(), seq: z.number().int().positive() }),
  z.object({ mutationId: uuidSchema, status: z.literal('conflict'), current: wireRecordSchema }),
  z.object({
    mutationId: z.string(),
    status: z.literal('rejected'),
    errors: z.array(recordErrorSchema).min(1),
    existingId: uuidSchema.optional(),
  }),
]);
export type MutationResult = z.infer<typeof mutationResultSchema>;
export type MutationStatus = MutationResult['status'];

export const pushResponseSchema = z.object({ results: z.array(mutationResultSchema) });
export type PushResponse = z.infer<typeof pushResponseSchema>;

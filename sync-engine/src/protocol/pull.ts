import { z } from 'zod';
import { isoTimeSchema, recordDataSchema, updatedBySchema, uuidSchema } from './records.js';

/** One entry of the compacted change feed. `removed` entries carry only `seq` and `id`. */
// Live entries first: zod tries the options in order, and nearly every entry is one.
export const pullChangeSchema = z.union([
  z.object({
    seq: z.number().int().positive(),
    id: uuidSchema,
    rev: z.number().int().positive(),
    deleted: z.boolean(),
    data: recordDataSchema.nullable().optional(),
    updatedAt: isoTimeSchema,
    updatedBy: updatedBySchema,
    removed: z.literal(false).optional(),
  }),
  z.object({
    seq: z.number().int().positive(),
    id: uuidSchema,
    removed: z.literal(true),
  }),
]);
export type PullChange = z.infer<typeof pullChangeSchema>;
export type PulledRecordChange = Exclude<PullChange, { removed: true }>;

export const pullPageSchema = z.object({
  changes: z.array(pullChangeSchema),
  cursor: z.string().min(1).max(4096),
  hasMore: z.boolean(),
});
export type PullPage = z.infer<typeof pullPageSchema>;

export function isRemoval(change: PullChange): change is Extract<PullChange, { removed: true }> {
  return change.removed === true;
}

export const digestResponseSchema = z.object({
  count: z.number().int().nonnegative(),
  digest: z.string().regex(/^[0-9a-f]{32}$/),
  cursor: z.string().min(1).max(4096),
});
export type DigestResponse = z.infer<typeof digestResponseSchema>;

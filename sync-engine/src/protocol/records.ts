import { z } from 'zod';

export const uuidSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a lower-case UUID');

export const siteCodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _ (1-64)');
export const datasetNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'lower-case letters, digits and -');
export const provinceCodeSchema = z.string().regex(/^\d{2}$/);
export const communeCodeSchema = z.string().regex(/^\d{5}$/);
export const isoTimeSchema = z.iso.datetime({ offset: false });

export const updatedBySchema = z.union([
  z.object({ national: z.literal(true) }).strict(),
  z
    .object({
      siteCode: siteCodeSchema,
      agentId: uuidSchema.optional(),
      user: z.string().max(200).optional(),
    })
    .strict(),
]);
export type UpdatedBy = z.infer<typeof updatedBySchema>;

/** A record's data: a JSON object validated against its dataset schema elsewhere. */
export type RecordData = Record<string, unknown>;
/**
 * A record's `data`: a JSON object. Checked, not copied: `z.record` would rebuild
 * every object (about 4 ms of a 1,000-record pull page, most of the page check),
 * and a copy adds nothing here since both sides refuse `"__proto__"` keys before
 * any schema runs. Field-level checks are the dataset's JSON Schema's job.
 */
export const recordDataSchema = z.custom<RecordData>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
  message: 'expected an object',
});

export const wireRecordSchema = z.object({
  id: uuidSchema,
  rev: z.number().int().positive(),
  deleted: z.boolean(),
  data: recordDataSchema.nullable(),
  updatedAt: isoTimeSchema,
  updatedBy: updatedBySchema,
});
export type WireRecord = z.infer<typeof wireRecordSchema>;

export const siteScopeSchema = z.object({
  provinceCode: provinceCodeSchema,
  communeCodes: z.array(communeCodeSchema).optional(),
});
export type SiteScope = z.infer<typeof siteScopeSchema>;

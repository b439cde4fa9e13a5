import { z } from 'zod';
import { datasetNameSchema } from './records.js';

export const localizedTextSchema = z.object({ vi: z.string(), en: z.string() });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const FIELD_POLICIES = ['manual', 'national-wins', 'local-wins'] as const;
export const fieldPolicySchema = z.enum(FIELD_POLICIES);
export type FieldPolicy = z.infer<typeof fieldPolicySchema>;

export const datasetDescriptorSchema = z.object({
  name: datasetNameSchema,
  title: localizedTextSchema,
  version: z.number().int().positive(),
  /** JSON Schema 2020-12 for `data`, with `x-rules` naming the shared rule checks. */
  schema: z.record(z.string(), z.unknown()),
  access: z.enum(['read', 'read-write']),
  scope: z.enum(['national', 'province']),
  /** Top-level field of `data` holding the province code (province-scoped datasets). */
  scopeField: z.string().optional(),
  /** Top-level field holding the commune code, matched against a site's `communeCodes`. */
  communeField: z.string().optional(),
  uniqueFields: z.array(z.string()),
  fieldPolicies: z.record(z.string(), fieldPolicySchema),
  display: z.object({
    titleField: z.string(),
    listFields: z.array(z.string()),
    /** Fields folded into the local accent-insensitive search index. */
    searchFields: z.array(z.string()).optional(),
  }),
});
export type DatasetDescriptor = z.infer<typeof datasetDescriptorSchema>;

/** A cap the platform states: a positive integer, or ignored (a wrong value must not cost the agent its catalog). */
const statedCap = z.number().int().positive().optional().catch(undefined);

/**
 * An extension (docs/protocol.md, "Catalog"): the caps the platform enforces,
 * so an agent may send more than the protocol's guaranteed minimums. Optional:
 * an agent assumes the minimums where a cap is absent or unreadable.
 */
export const platformLimitsSchema = z.object({
  /** Mutations per push. */
  pushBatch: statedCap,
  /** Largest `limit` a pull honours. */
  pullLimit: statedCap,
  /** Largest request body, after gzip decoding. */
  bodyBytes: statedCap,
});
export type PlatformLimits = z.infer<typeof platformLimitsSchema>;

export const catalogResponseSchema = z.object({
  datasets: z.array(datasetDescriptorSchema),
  limits: platformLimitsSchema.optional().catch(undefined),
});
export type CatalogResponse = z.infer<typeof catalogResponseSchema>;

export function policyOf(descriptor: Pick<DatasetDescriptor, 'fieldPolicies'>, field: string): FieldPolicy {
  return descriptor.fieldPolicies[field] ?? 'manual';
}

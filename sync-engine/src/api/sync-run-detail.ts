import { z } from 'zod';
import { localizedSchema, syncRunViewSchema } from './views.js';

/**
 * One sync run as its details show it (Sync history, `edge-agent runs show`):
 * the row of the history, and what its summary kept that the row does not.
 */
export const syncRunDetailSchema = z.object({
  run: syncRunViewSchema,
  /** Every error of the run in order, not only the one that stopped it; `dataset` when it concerned one. */
  errors: z.array(z.object({ code: z.string(), messages: localizedSchema, dataset: z.string().nullable() })),
  /** Changes of this office merged with a national change automatically and queued again. */
  autoMerged: z.number().int().min(0),
  /** Datasets pulled again from the beginning (the platform asked for it, or the digests did not match). */
  resynced: z.array(z.string()),
  /**
   * Per dataset read to its end, how the records here compared with the platform's (the digest), in the
   * catalog's order; a dataset missing here was not read to its end by this run.
   */
  digests: z.array(
    z.object({
      dataset: z.string(),
      status: z.enum(['match', 'mismatch', 'pending']),
      localCount: z.number().int().nullable(),
      platformCount: z.number().int().nullable(),
    }),
  ),
});
export type SyncRunDetail = z.infer<typeof syncRunDetailSchema>;

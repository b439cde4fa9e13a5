import { z } from 'zod';

/** What records.export wrote: the file in the data folder's exports/, how many records, its size, when. */
export const exportMadeSchema = z.object({
  path: z.string(),
  records: z.number().int(),
  bytes: z.number().int(),
  createdAt: z.string(),
});
export type ExportMade = z.infer<typeof exportMadeSchema>;

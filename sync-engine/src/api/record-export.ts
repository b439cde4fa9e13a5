import { z } from 'zod';

/** What records.export wrote: the file in the data folder's exports/ (its full path and its name there), how many records, its size, when. */
export const exportMadeSchema = z.object({
  path: z.string(),
  /** The file's name in exports/, which exports.read takes. */
  name: z.string(),
  records: z.number().int(),
  bytes: z.number().int(),
  createdAt: z.string(),
});
export type ExportMade = z.infer<typeof exportMadeSchema>;

/**
 * exports.read: the most bytes one answer carries (2 MiB; about 2.7 MiB of
 * base64 in a JSON answer, well within what the admin API sends and the
 * Electron IPC passes), so a 79 MB export reaches a browser in 40 calls and
 * no side holds more than one chunk's JSON at a time.
 */
export const EXPORT_CHUNK_BYTES = 2 * 1024 * 1024;

/** One piece of an export's file: `size` bytes in all; `data` the base64 of the bytes from `offset`; `next` the offset to ask for next, null at the end. */
export const exportChunkSchema = z.object({
  name: z.string(),
  size: z.number().int(),
  offset: z.number().int(),
  data: z.string(),
  next: z.number().int().nullable(),
});
export type ExportChunk = z.infer<typeof exportChunkSchema>;

import { z } from 'zod';
import { localizedSchema } from './views.js';

/**
 * records.import: the largest CSV text one call takes (characters). The local
 * admin API takes a body this large for this command only (admin-api/command-route.ts).
 */
export const MAX_IMPORT_CHARS = 8_000_000;

/** records.import: the largest Excel workbook (.xlsx) one call takes (bytes), sent as base64 (at most MAX_IMPORT_XLSX_BASE64 characters), which the same body takes. */
export const MAX_IMPORT_XLSX_BYTES = 16 * 1024 * 1024;
export const MAX_IMPORT_XLSX_BASE64 = Math.ceil(MAX_IMPORT_XLSX_BYTES / 3) * 4;

const rowProblemSchema = z.object({
  /** The dataset field; null: the row as a whole (more cells than columns). */
  field: z.string().nullable(),
  /** The column's header as the file wrote it. */
  column: z.string().nullable(),
  code: z.string(),
  messages: localizedSchema,
});

/** What records.import did (or, with dryRun, would do) with a file's rows. */
export const importResultSchema = z.object({
  dryRun: z.boolean(),
  /** Data rows read, blank rows aside. */
  rows: z.number().int(),
  imported: z.number().int(),
  alreadyPresent: z.number().int(),
  refused: z.number().int(),
  /** Each refused row by its line in the file (the header is line 1), in file order. */
  refusals: z.array(z.object({ line: z.number().int(), problems: z.array(rowProblemSchema) })),
  /** Rows skipped because a cached record holds their unique value: that record's id and the field. */
  present: z.array(z.object({ line: z.number().int(), id: z.string(), field: z.string() })),
  /** The header and the refused rows as the file wrote them, to fix and import again; null when none was refused. */
  refusedCsv: z.string().nullable(),
});
export type ImportResultView = z.infer<typeof importResultSchema>;

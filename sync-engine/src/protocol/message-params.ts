import { z } from 'zod';

/**
 * A value a message names that each reader writes its own way. `date`: a
 * calendar date (YYYY-MM-DD) or a date and time (RFC 3339), as records store
 * them; the window writes it day/month/year as it shows every date (a date
 * and time in this computer's local time), while the CLI's JSON and an older
 * agent read it as it is, inside `messages`.
 */
export const messageParamSchema = z.object({ date: z.string() });
export type MessageParam = z.infer<typeof messageParamSchema>;

/**
 * The optional fields beside a message's `messages` (vi/en) when it names such
 * values: `template`, the same sentences with `{name}` where each value of
 * `params` goes. `messages` stay the whole sentences with the values as stored.
 */
export const messageTemplateShape = {
  template: z.object({ vi: z.string(), en: z.string() }).optional(),
  params: z.record(z.string(), messageParamSchema).optional(),
};

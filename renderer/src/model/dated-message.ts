import type { FieldError } from '../api/types.js';

/**
 * A message that names dates, with each date written as the window writes
 * dates (day/month/year, model/format.ts): the engine sends such a message's
 * sentences with a `{name}` where each date goes (`template`) and the dates
 * as values (`params`), as records store them (protocol/message-params.ts).
 * Null for a message that names none: its sentences are shown as they are.
 */
export function datedMessage(error: Pick<FieldError, 'template' | 'params'>, language: 'vi' | 'en', date: (iso: string) => string): string | null {
  const { template, params } = error;
  if (!template || !params) return null;
  return template[language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]?.date;
    // A value that reads as no date stays as sent.
    return value === undefined ? whole : date(value) || value;
  });
}

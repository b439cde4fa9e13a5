import cronstrue from 'cronstrue';
import 'cronstrue/locales/vi';
import type { Language } from '../i18n/index.js';

/**
 * A cron schedule in plain words ("Mỗi 15 phút", "At 02:00, Monday through
 * Friday"), or null when the expression is not one the scheduler accepts
 * (five fields, or six with seconds first).
 */
export function describeSchedule(expression: string, language: Language): string | null {
  const trimmed = expression.trim();
  const fields = trimmed.split(/\s+/);
  if (fields.length < 5 || fields.length > 6) return null;
  try {
    return cronstrue.toString(trimmed, { locale: language, use24HourTimeFormat: true, throwExceptionOnParseError: true, verbose: false });
  } catch {
    return null;
  }
}

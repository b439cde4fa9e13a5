import type { Language } from '../i18n/index.js';
import { localDateTime } from './date-input.js';

/**
 * Dates and numbers as staff read them: vi-VN in Vietnamese, en-GB in English
 * (day before month in both; a date and time is written the same in both). Pure functions of the language; the current time
 * is passed in where an age is computed.
 */

const LOCALE: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

export function localeOf(language: Language): string {
  return LOCALE[language];
}

function parse(value: string | number | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A date and time, date first, "24/03/2025 14:30", in both languages: the
 * order the form's hints ask for and the clerk types (model/date-input.ts).
 * vi-VN's own order put the time first ("14:30 24/03/2025") and en-GB put a
 * comma between; a four-digit year, since "26/11/26" is ambiguous on a legal record.
 */
export function formatDateTime(_language: Language, value: string | number | null | undefined): string {
  const date = parse(value);
  return date ? localDateTime(date) : '';
}

/** A calendar date (YYYY-MM-DD) shown without shifting it through a time zone. */
export function formatDate(language: Language, value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return formatDateTime(language, value);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(LOCALE[language], { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' }).format(date);
}

export function formatTime(language: Language, value: number): string {
  return new Intl.DateTimeFormat(LOCALE[language], { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(value));
}

export function formatNumber(language: Language, value: number): string {
  return new Intl.NumberFormat(LOCALE[language]).format(value);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** A file's size in the largest unit it fills, counted in 1024s as Windows does: "46,5 MB", "179 kB". */
export function formatBytes(language: Language, bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return new Intl.NumberFormat(LOCALE[language], { style: 'unit', unit: BYTE_UNITS[unit], unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
}

/** "3 giờ trước" / "in 5 minutes": how far a moment is from now. */
export function formatRelative(language: Language, value: string | null | undefined, now: number): string {
  const date = parse(value);
  if (!date) return '';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(LOCALE[language], { numeric: 'auto' });
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86_400), 'day');
}

/** A length of time in the largest two units: "2 phút 5 giây", "1 hr, 4 min". */
export function formatDuration(language: Language, ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const parts: Array<[number, Intl.NumberFormatOptions['unit']]> = [
    [Math.floor(total / 86_400), 'day'],
    [Math.floor((total % 86_400) / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const firstNonZero = parts.findIndex(([n]) => n > 0);
  const shown = firstNonZero === -1 ? [parts[3]!] : parts.slice(firstNonZero, firstNonZero + 2).filter(([n]) => n > 0);
  return shown
    .map(([n, unit]) => new Intl.NumberFormat(LOCALE[language], { style: 'unit', unit, unitDisplay: 'short' }).format(n))
    .join(' ');
}

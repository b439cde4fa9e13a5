/**
 * Dates as staff type them: day/month/year with a four-digit year, the order
 * the window shows dates in both languages (model/format.ts), whatever the
 * browser's or the system's own date format is (a native date input follows
 * those, so an English system showed 03/04/2012 for 4 March). The record
 * stores ISO text (YYYY-MM-DD, or an RFC 3339 instant); these convert between
 * the two. Text that does not read as a real date converts to null: the form
 * keeps it as typed and the engine's check names the field.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** The calendar date, or null when day/month/year is no real date. */
function realDate(year: number, month: number, day: number): { year: number; month: number; day: number } | null {
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : null;
}

/**
 * "24/03/2012", "24.3.2012", "24-03-2012", "24032012" (day, month and year typed on the number pad without
 * separators) or "2012-03-24" (pasted from elsewhere) as a real date, else null.
 */
function readDate(text: string): { year: number; month: number; day: number } | null {
  const dmy = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(text) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  if (dmy) return realDate(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return iso ? realDate(Number(iso[1]), Number(iso[2]), Number(iso[3])) : null;
}

/** A stored date (YYYY-MM-DD) as the input shows it, DD/MM/YYYY; anything else as it is. */
export function dateDraft(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** Typed day/month/year as the stored YYYY-MM-DD, or null when it is no real date. */
export function parseDateDraft(text: string): string | null {
  const date = readDate(text.trim());
  return date ? `${String(date.year).padStart(4, '0')}-${pad(date.month)}-${pad(date.day)}` : null;
}

/**
 * A moment in this computer's local time as staff write it, date first:
 * DD/MM/YYYY HH:MM (24-hour), in both languages. The window shows every date
 * and time this way (model/format.ts) and the form takes it back as typed.
 */
export function localDateTime(d: Date): string {
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A stored instant as the input shows it, in this computer's local time: DD/MM/YYYY HH:MM; anything else as it is. */
export function dateTimeDraft(iso: string): string {
  const d = new Date(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(d.getTime())) return iso;
  return localDateTime(d);
}

/**
 * Typed "DD/MM/YYYY HH:MM" (local time, 24-hour; "8:30" and "08 30" too) as the
 * stored UTC instant, or null when it is no real moment. A full RFC 3339
 * instant pasted from elsewhere is taken as it is.
 */
export function parseDateTimeDraft(text: string): string | null {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(trimmed)) {
    const d = new Date(trimmed);
    return Number.isNaN(d.getTime()) ? null : instant(d);
  }
  const m = /^(.+?)[\sT,]+(\d{1,2})[:h .](\d{2})$/i.exec(trimmed);
  const date = m ? readDate(m[1]!.trim()) : null;
  if (!m || !date) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 23 || minutes > 59) return null;
  const d = new Date(date.year, date.month - 1, date.day, hours, minutes);
  d.setFullYear(date.year);
  return instant(d);
}

/** The instant as the engine prefers it: UTC, no milliseconds when there are none. */
function instant(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

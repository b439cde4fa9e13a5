/**
 * An instant as an operator reads it in the text output: dd/mm/yyyy HH:mm
 * (24-hour) in this computer's time zone, in both languages. The platform's
 * own copy of the agent CLI's dateTime (sync-engine/src/cli/output.ts), which
 * it may not import (only sync-engine/src/protocol is shared); a test keeps the
 * two alike. --json keeps the ISO text. Text that reads as no instant is shown
 * as it is.
 */
export function dateTime(value: string | number): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

import type { FieldSpec } from './schema-form.js';

/**
 * The widths of the record list's columns (one CSS grid template shared by the
 * header and every row, since the virtual list draws each row as its own grid).
 * A value that cannot be cut or wrapped keeps the room it needs at 1024 pixels
 * wide: a fixed number of digits (a personal ID number, a commune code), a
 * date, the longest word of a choice ("Completed") or of the column's title
 * ("Registering"), in either language. The rest shares what is left: the
 * record's title most, then free text (names, numbers with dots and dashes),
 * then the others; a longer value wraps onto a second line (styles/screens.css)
 * rather than losing its end. The widths are in `ch`, the width of a digit in
 * the rows' font (the header's cells set their smaller font themselves, so the
 * header and the rows resolve `ch` alike and their columns line up).
 */
export function listColumnTemplate(columns: readonly FieldSpec[]): string {
  const [, ...rest] = columns;
  return ['minmax(11rem, 2.5fr)', ...rest.map(columnTrack), STATE_TRACK].join(' ');
}

/** The record's state badge ("Đã đồng bộ", "Bị từ chối"). */
const STATE_TRACK = '8.5rem';
/** A letter of a title in the header's smaller bold font, and of a choice in the rows' font, in digit widths (generous). */
const HEADER_CHAR_CH = 0.9;
const VALUE_CHAR_CH = 1;

function columnTrack(spec: FieldSpec): string {
  const least = Math.max(valueMinimum(spec), longestWord([spec.title.vi, spec.title.en]) * HEADER_CHAR_CH);
  const weight = spec.kind === 'text' || spec.kind === 'longText' || spec.kind === 'list' ? 1.25 : spec.kind === 'date' || spec.kind === 'dateTime' ? 1 : 0.75;
  return `minmax(${round(least)}ch, ${weight}fr)`;
}

/** What the column's values need on one line, in digit widths. */
function valueMinimum(spec: FieldSpec): number {
  if (spec.digits !== undefined) return spec.digits + 0.25;
  // dd/mm/yyyy; a date and time (dd/mm/yyyy HH:mm) breaks before its time onto a second line.
  if (spec.kind === 'date' || spec.kind === 'dateTime') return 10.5;
  if (spec.kind === 'enum') return longestWord(spec.options.flatMap((o) => [o.title.vi, o.title.en])) * VALUE_CHAR_CH;
  return 0;
}

function longestWord(texts: readonly string[]): number {
  return Math.max(0, ...texts.flatMap((text) => text.split(/\s+/).map((word) => [...word].length)));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Accent- and case-insensitive search text for Vietnamese (PRODUCT.md: typing
 * "nguyen thi huong" finds "Nguyễn Thị Hương", "dang" finds "Đặng").
 *
 * The same fold is applied to the stored search text and to the query, so a
 * match is a plain substring test (or SQL LIKE) on folded strings.
 */
import type { RecordData } from '../protocol/records.js';

/** Combining diacritical marks: every Vietnamese tone and vowel mark decomposes into this block. */
const COMBINING_MARKS = /[\u0300-\u036f]/g;
/**
 * Đ/đ (U+0110/U+0111) are letters of their own with no Unicode decomposition.
 * Ð (U+00D0, the eth, lower-case ð U+00F0) looks identical and is what legacy
 * Vietnamese encodings and some keyboards produce instead, so it folds to d as
 * well (as ICU's Latin-ASCII transliteration does).
 */
const D_STROKE = /[\u0110\u0111\u00d0\u00f0]/g;
const WHITESPACE = /\s+/g;

/** Lower-case, strip diacritics, fold đ to d, collapse whitespace, trim. */
export function foldForSearch(text: string): string {
  return (
    text
      .normalize('NFD')
      .toLowerCase()
      .replace(COMBINING_MARKS, '')
      .replace(D_STROKE, 'd')
      // Recompose what is left (scripts other than Latin decompose too, e.g. Hangul).
      .normalize('NFC')
      .replace(WHITESPACE, ' ')
      .trim()
  );
}

/** The folded words of a query; a record matches when its search text contains every one. */
export function searchTokens(query: string): string[] {
  return foldForSearch(query)
    .split(' ')
    .filter((token) => token !== '');
}

/**
 * The folded text a record is found by: the string and number values of the
 * given top-level fields (arrays flattened), in the order given, space-separated.
 * Other values (booleans, objects, null) are not searchable text.
 */
export function buildSearchText(data: RecordData, fields: readonly string[]): string {
  const parts: string[] = [];
  for (const field of fields) {
    if (Object.hasOwn(data, field)) collectText(data[field], parts);
  }
  return foldForSearch(parts.join(' '));
}

/** True when folded `searchText` contains every token (tokens from searchTokens). An empty query matches all. */
export function matchesSearch(searchText: string, tokens: readonly string[]): boolean {
  return tokens.every((token) => searchText.includes(token));
}

function collectText(value: unknown, parts: string[]): void {
  if (typeof value === 'string') parts.push(value);
  else if (typeof value === 'number' && Number.isFinite(value)) parts.push(String(value));
  else if (Array.isArray(value)) for (const item of value) collectText(item, parts);
}

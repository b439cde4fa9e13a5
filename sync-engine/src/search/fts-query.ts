import { searchTokens } from '../domain/search-fold.js';

/**
 * An FTS5 MATCH expression for a typed query: every folded word must start a
 * word of the record's folded search text ("ngu" finds "Nguyễn", "dang" finds
 * "Đặng"). Each word is a quoted string, so FTS5 operators typed by a person
 * (AND, NEAR, *, :) are searched for, not obeyed. Null when nothing is left.
 */
export function ftsMatchExpression(query: string): string | null {
  const tokens = searchTokens(query)
    .map((token) => token.replace(/[^\p{L}\p{N}]+/gu, ' ').trim())
    .filter((token) => token !== '');
  if (tokens.length === 0) return null;
  return tokens.map((token) => `"${token.replace(/"/g, '""')}"*`).join(' AND ');
}

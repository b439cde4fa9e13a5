import { foldName } from './name-fold.js';

/**
 * Choosing an option of a list box by typing the start of its words, without
 * accents too: "d" picks "Đã tiếp nhận", "dang" "Đang xử lý", "nu" "Nữ". The
 * browser's own type-to-select compares letters as they are, so "d" never
 * reaches an option that starts with "Đ", and a Vietnamese keyboard (Telex,
 * VNI) does not compose accents in a list box. As the browser does, the same
 * letter pressed again moves on to the next option that starts with it.
 */

/** Typing that pauses longer than this starts a new search. */
export const TYPEAHEAD_PAUSE_MS = 1000;

/**
 * The option value TYPED (what was typed since the last pause) picks, given
 * the one chosen now; null when no option starts with it.
 */
export function typeaheadPick(options: ReadonlyArray<{ value: string; label: string }>, typed: string, current: string): string | null {
  const folded = foldName(typed);
  if (folded === '') return null;
  // One letter, once or again and again: the next option after the chosen one that starts with it.
  const repeated = /^(.)\1*$/u.test(folded);
  const prefix = repeated ? folded[0]! : folded;
  const matching = options.filter((o) => foldName(o.label).startsWith(prefix));
  if (matching.length === 0) return null;
  const at = matching.findIndex((o) => o.value === current);
  if (repeated) return matching[(at + 1) % matching.length]!.value;
  return at >= 0 ? current : matching[0]!.value;
}

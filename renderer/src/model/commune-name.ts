import { foldName } from './name-fold.js';

/**
 * A commune typed by its name into a commune code field, with or without
 * accents ("ba dinh" for "Phường Ba Đình"), read as its code when the name
 * names one commune in force; a name several communes share ("ba dinh": one
 * in Hà Nội, Thanh Hóa and Quảng Ngãi each) is narrowed by the province's name
 * typed after it ("ba dinh ha noi"). The units are those the form already
 * holds (hooks/useAdminUnits.ts).
 */

/** What this reads of an administrative unit in force. */
export interface CommuneUnit {
  provinceName: string;
  communeCode: string;
  communeName: string;
}

/** The commune level's kinds, which start a commune's name ("Phường Ba Đình"): a name may be typed without. */
const KINDS = ['phuong', 'xa', 'dac khu'];

function bareName(folded: string): string {
  for (const kind of KINDS) if (folded.startsWith(`${kind} `)) return folded.slice(kind.length + 1);
  return folded;
}

export type CommuneMatch<U extends CommuneUnit = CommuneUnit> = { code: string } | { several: U[]; total: number } | null;

/** How many of several same-named communes a message lists. */
const LISTED = 5;

/**
 * What TEXT names: one commune's code; several communes (the first few, and how
 * many); or null for a code, empty text or a name no commune has.
 */
export function matchCommune<U extends CommuneUnit>(units: readonly U[], text: string): CommuneMatch<U> {
  const typed = foldName(text);
  if (typed === '' || /^\d+$/.test(typed)) return null;
  const words = typed.split(' ');
  const found = units.filter((u) => {
    const own = new Set(`${foldName(u.communeName)} ${foldName(u.provinceName)}`.split(' '));
    return words.every((w) => own.has(w));
  });
  // "ba dinh" is the whole name of some of them: those, not "Ba Đình Tây" too.
  const exact = found.filter((u) => bareName(foldName(u.communeName)) === bareName(typed) || foldName(u.communeName) === typed);
  const named = exact.length > 0 ? exact : found;
  if (named.length === 1) return { code: named[0]!.communeCode };
  return named.length === 0 ? null : { several: named.slice(0, LISTED), total: named.length };
}

/** The unit whose code this is, for the name shown under the field. */
export function communeOf<U extends CommuneUnit>(units: readonly U[], code: string): U | undefined {
  const trimmed = code.trim();
  return /^\d+$/.test(trimmed) ? units.find((u) => u.communeCode === trimmed) : undefined;
}

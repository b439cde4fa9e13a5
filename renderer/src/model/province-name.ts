import { foldName } from './name-fold.js';
import { FORMER_PROVINCE_ROWS } from './reference-data/former-provinces.js';

/**
 * A province typed by its name into a province code field, with or without
 * accents and with or without its kind ("Thành phố Hà Nội", "TP Hồ Chí Minh",
 * "ha noi", "Hồ Chí Minh", "TP.HCM"), read as its code when the name names one
 * province in force; a part of a name several share ("ninh") lists them. A
 * province merged into another on 2025-07-01 ("Hà Giang") is not read as the
 * province it joined: the form says which one that is and its code, and the
 * clerk decides. A pre-2025 code no longer in force ("02") is told the same
 * way: clerks read province codes off personal ID numbers, which keep them.
 * The provinces in force are those the form already holds
 * (hooks/useAdminUnits.ts); commune-name.ts does the same for communes.
 */

/** What this reads of a province in force. */
export interface ProvinceUnit {
  provinceCode: string;
  provinceName: string;
}

/** A province as it was before 2025-07-01, and the code of the province in force it is part of since. */
export interface FormerProvince {
  code: string;
  name: string;
  into: string;
}

/** The 63 provinces before 2025-07-01, each with the code of the province in force it is part of since. */
export const FORMER_PROVINCES: readonly FormerProvince[] = FORMER_PROVINCE_ROWS.map((row) => {
  const [code, name, into] = row.split('|') as [string, string, string];
  return { code, name, into };
});

/** Short forms people write that are no province's name, each → the code of the province in force. */
const ALIASES: Readonly<Record<string, string>> = { hcm: '79', tphcm: '79', 'thua thien hue': '46' };

/** The province level's kinds, which may start a name as typed: "Tỉnh", "Thành phố", "TP", "TP.". */
const KINDS = ['thanh pho', 'tinh', 'tp'];

/** A province's name as compared: folded (name-fold.ts), dots and dashes as spaces, without its kind. */
function keyOf(text: string): string {
  const folded = foldName(text.replace(/[.,\-–]/g, ' '));
  for (const kind of KINDS) if (folded.startsWith(`${kind} `)) return folded.slice(kind.length + 1);
  return folded;
}

export type ProvinceMatch<U extends ProvinceUnit = ProvinceUnit> =
  | { code: string }
  | { several: U[]; total: number }
  | { former: FormerProvince }
  | null;

/** How many of several provinces a message lists. */
const LISTED = 5;

/**
 * What TEXT names among PROVINCES (the provinces in force, each once or repeated
 * per commune): one province's code; several provinces (the first few, and how
 * many); a province merged into another on 2025-07-01; or null for a code,
 * empty text or a name no province has.
 */
export function matchProvince<U extends ProvinceUnit>(provinces: readonly U[], text: string): ProvinceMatch<U> {
  const typed = keyOf(text);
  if (typed === '' || /^\d+$/.test(typed) || KINDS.includes(typed)) return null;
  const inForce = distinct(provinces);
  const alias = ALIASES[typed];
  if (alias && inForce.some((p) => p.provinceCode === alias)) return { code: alias };
  const exact = inForce.filter((p) => keyOf(p.provinceName) === typed);
  if (exact.length === 1) return { code: exact[0]!.provinceCode };
  const former = exact.length === 0 ? FORMER_PROVINCES.find((p) => keyOf(p.name) === typed) : undefined;
  if (former) return { former };
  const words = typed.split(' ');
  const found = exact.length > 0 ? exact : inForce.filter((p) => words.every((w) => keyOf(p.provinceName).split(' ').includes(w)));
  if (found.length === 1) return { code: found[0]!.provinceCode };
  return found.length === 0 ? null : { several: found.slice(0, LISTED), total: found.length };
}

/** The province in force whose code this is, for the name shown under the field. */
export function provinceOf<U extends ProvinceUnit>(provinces: readonly U[], code: string): U | undefined {
  const trimmed = code.trim();
  return /^\d+$/.test(trimmed) ? provinces.find((p) => p.provinceCode === trimmed) : undefined;
}

/** A pre-2025 province whose code this is, when no province in force has it ("02": Hà Giang, now Tuyên Quang). */
export function formerProvinceOf(provinces: readonly ProvinceUnit[], code: string): FormerProvince | undefined {
  const trimmed = code.trim();
  if (provinceOf(provinces, trimmed)) return undefined;
  return FORMER_PROVINCES.find((p) => p.code === trimmed);
}

function distinct<U extends ProvinceUnit>(provinces: readonly U[]): U[] {
  const seen = new Map<string, U>();
  for (const p of provinces) if (!seen.has(p.provinceCode)) seen.set(p.provinceCode, p);
  return [...seen.values()].sort((a, b) => a.provinceCode.localeCompare(b.provinceCode));
}

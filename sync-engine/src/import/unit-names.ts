import { foldForSearch } from '../domain/search-fold.js';
import {
  PRE_2025_PROVINCES,
  PRE_2025_PROVINCES_INTO,
  type AdminCommune,
  type AdminProvince,
  type AdminUnitsIndex,
} from '../protocol/reference-data/index.js';

/**
 * A commune or province named in a code cell, read as its code as the
 * window's record form reads a name typed into a code field
 * (renderer/src/model/commune-name.ts `matchCommune`, province-name.ts
 * `matchProvince`), over the units in force the engine validates by
 * (EngineContext.adminUnits). The renderer may not import engine code
 * (scripts/layers.mjs): test/import/unit-names.test.ts holds both to the same
 * answers. One addition the form has no use for: a commune name several
 * communes share is also narrowed by the province the row itself gives.
 */

/** A province as it was before 2025-07-01, and the code of the province in force it is part of since. */
export interface FormerProvince {
  code: string;
  name: string;
  into: string;
}

/** The 63 provinces before 2025-07-01, each with the code of the province in force it is part of since. */
export const FORMER_PROVINCES: readonly FormerProvince[] = [...PRE_2025_PROVINCES].map(([code, name]) => ({ code, name, into: PRE_2025_PROVINCES_INTO.get(code) ?? code }));

export type CommuneMatch = { code: string } | { several: AdminCommune[]; total: number } | null;
export type ProvinceMatch = { code: string } | { several: AdminProvince[]; total: number } | { former: FormerProvince } | null;

/** How many of several same-named units a message lists. */
const LISTED = 5;

/** The commune level's kinds, which start a commune's name ("Phường Ba Đình"): a name may be written without. */
const COMMUNE_KINDS = ['phuong', 'xa', 'dac khu'];
/** The province level's kinds, which may start a name as written: "Tỉnh", "Thành phố", "TP", "TP.". */
const PROVINCE_KINDS = ['thanh pho', 'tinh', 'tp'];
/** Short forms people write that are no province's name, each → the code of the province in force. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['hcm', '79'],
  ['tphcm', '79'],
  ['thua thien hue', '46'],
]);

function withoutKind(folded: string, kinds: readonly string[]): string {
  for (const kind of kinds) if (folded.startsWith(`${kind} `)) return folded.slice(kind.length + 1);
  return folded;
}

/** A province's name as compared: folded, dots and dashes as spaces, without its kind. */
function provinceKey(text: string): string {
  return withoutKind(foldForSearch(text.replace(/[.,\-–]/g, ' ')), PROVINCE_KINDS);
}

interface FoldedCommune {
  unit: AdminCommune;
  /** The words of its name and its province's name, folded. */
  words: ReadonlySet<string>;
  name: string;
  bare: string;
}

interface FoldedProvince {
  unit: AdminProvince;
  key: string;
  words: readonly string[];
}

interface FoldedUnits {
  communes: FoldedCommune[];
  provinces: FoldedProvince[];
  formers: Array<{ former: FormerProvince; key: string }>;
}

/** Each index's names folded once (3,321 communes), not once per cell. */
const foldedByIndex = new WeakMap<AdminUnitsIndex, FoldedUnits>();

function foldedOf(index: AdminUnitsIndex): FoldedUnits {
  let folded = foldedByIndex.get(index);
  if (!folded) {
    const communes = index.communes().map((unit) => {
      const name = foldForSearch(unit.name);
      return { unit, name, bare: withoutKind(name, COMMUNE_KINDS), words: new Set(`${name} ${foldForSearch(index.provinceName(unit.provinceCode) ?? '')}`.split(' ')) };
    });
    const provinces = index.provinces().map((unit) => {
      const key = provinceKey(unit.name);
      return { unit, key, words: key.split(' ') };
    });
    folded = { communes, provinces, formers: FORMER_PROVINCES.map((former) => ({ former, key: provinceKey(former.name) })) };
    foldedByIndex.set(index, folded);
  }
  return folded;
}

/**
 * What TEXT names among the communes in force: one commune's code; several
 * (the first few, and how many); or null for a code, empty text or a name no
 * commune has. Several are narrowed by a province's name written after the
 * commune's ("ba dinh ha noi") and, when given, by PROVINCE (the row's
 * province code) where that leaves one or more.
 */
export function matchCommuneName(index: AdminUnitsIndex, text: string, province?: string): CommuneMatch {
  const typed = foldForSearch(text);
  if (typed === '' || /^\d+$/.test(typed)) return null;
  const words = typed.split(' ');
  const found = foldedOf(index).communes.filter((c) => words.every((w) => c.words.has(w)));
  // "ba dinh" is the whole name of some of them: those, not "Ba Đình Tây" too.
  const bare = withoutKind(typed, COMMUNE_KINDS);
  const exact = found.filter((c) => c.bare === bare || c.name === typed);
  let named = exact.length > 0 ? exact : found;
  if (named.length > 1 && province !== undefined) {
    const inProvince = named.filter((c) => c.unit.provinceCode === province);
    if (inProvince.length > 0) named = inProvince;
  }
  if (named.length === 1) return { code: named[0]!.unit.code };
  return named.length === 0 ? null : { several: named.slice(0, LISTED).map((c) => c.unit), total: named.length };
}

/**
 * What TEXT names among the provinces in force: one province's code; several
 * (the first few, and how many); a province merged into another on
 * 2025-07-01 ("Hà Giang"), not read as the one it joined; or null for a code,
 * empty text or a name no province has.
 */
export function matchProvinceName(index: AdminUnitsIndex, text: string): ProvinceMatch {
  const typed = provinceKey(text);
  if (typed === '' || /^\d+$/.test(typed) || PROVINCE_KINDS.includes(typed)) return null;
  const { provinces, formers } = foldedOf(index);
  const alias = ALIASES.get(typed);
  if (alias && index.hasProvince(alias)) return { code: alias };
  const exact = provinces.filter((p) => p.key === typed);
  if (exact.length === 1) return { code: exact[0]!.unit.code };
  const former = exact.length === 0 ? formers.find((f) => f.key === typed)?.former : undefined;
  if (former) return { former };
  const words = typed.split(' ');
  const found = exact.length > 0 ? exact : provinces.filter((p) => words.every((w) => p.words.includes(w)));
  if (found.length === 1) return { code: found[0]!.unit.code };
  return found.length === 0 ? null : { several: found.slice(0, LISTED).map((p) => p.unit), total: found.length };
}

/** A pre-2025 province whose code this is, when no province in force has it ("02": Hà Giang, now Tuyên Quang). */
export function formerProvinceOfCode(index: AdminUnitsIndex, code: string): FormerProvince | undefined {
  const trimmed = code.trim();
  return index.hasProvince(trimmed) ? undefined : FORMER_PROVINCES.find((p) => p.code === trimmed);
}

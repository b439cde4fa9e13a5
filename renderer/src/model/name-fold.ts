/** Tone and vowel marks once decomposed; đ/Đ (and the look-alike ð/Ð) have no decomposition and fold to d. */
const MARKS = /[\u0300-\u036f]/g;
const D_STROKE = /[\u0110\u0111\u00d0\u00f0]/g;

/**
 * A name as typed without accents: lower case, no marks, đ as d, one space
 * between words, so "ba dinh" matches "Ba Đình". The engine's search fold
 * (sync-engine/src/domain/search-fold.ts), repeated here because the renderer
 * may not import engine code (scripts/layers.mjs); test/domain/name-fold.test.ts
 * holds both to the same answers.
 */
export function foldName(text: string): string {
  return text.normalize('NFD').toLowerCase().replace(MARKS, '').replace(D_STROKE, 'd').normalize('NFC').replace(/\s+/g, ' ').trim();
}

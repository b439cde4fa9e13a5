import type { LocalizedText } from '../catalog.js';
import type { Gender } from '../datasets/schema-vocabulary.js';
import { PRE_2025_PROVINCE_CODES } from '../reference-data/index.js';

/**
 * The personal ID number (số định danh cá nhân): 12 digits.
 *   1-3  province where the birth was registered: a pre-2025 province code with a leading 0
 *   4    gender and century: 0/1 male/female born 1900-1999, 2/3 2000-2099, 4/5 2100-2199
 *   5-6  last two digits of the birth year
 *   7-12 a serial number
 */
export const PERSONAL_ID_PATTERN = /^[0-9]{12}$/;

/** The first year of the century digit 4 encodes (0-1 → 1900, 2-3 → 2000, 4-5 → 2100). */
const CENTURY_BY_DIGIT = [1900, 1900, 2000, 2000, 2100, 2100] as const;

export interface PersonalIdFacts {
  /** What the record says about the holder, when it says it. */
  birthYear?: number;
  gender?: Gender;
}

export interface PersonalIdProblem {
  code:
    | 'personal_id_format'
    | 'personal_id_province'
    | 'personal_id_gender_century'
    | 'personal_id_birth_year'
    | 'personal_id_gender_mismatch';
  /** Sentences with `{field}` standing for the field's title. */
  vi: string;
  en: string;
}

const GENDER_WORDS: Readonly<Record<Gender, LocalizedText>> = { male: { vi: 'nam', en: 'male' }, female: { vi: 'nữ', en: 'female' } };

/** Digit 4 for a holder of this gender born in this year, or undefined outside 1900-2199. */
export function genderCenturyDigit(gender: Gender, birthYear: number): number | undefined {
  if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2199) return undefined;
  return Math.floor((birthYear - 1900) / 100) * 2 + (gender === 'female' ? 1 : 0);
}

/**
 * Checks a personal ID number against its structure and, where known, the holder's
 * birth year and gender. Returns every problem found, most basic first; a format
 * problem is reported alone since nothing else can be read.
 */
export function checkPersonalId(value: string, facts: PersonalIdFacts = {}): PersonalIdProblem[] {
  if (!PERSONAL_ID_PATTERN.test(value)) {
    return [{ code: 'personal_id_format', vi: '{field} phải gồm đúng 12 chữ số.', en: '{field} must be exactly 12 digits.' }];
  }
  const problems: PersonalIdProblem[] = [];
  const province = value.slice(0, 3);
  if (province[0] !== '0' || !PRE_2025_PROVINCE_CODES.has(province.slice(1))) {
    problems.push({
      code: 'personal_id_province',
      vi: `{field}: ba chữ số đầu (${province}) không phải mã tỉnh nơi đăng ký khai sinh (mã của một trong 63 tỉnh, thành phố trước 01/7/2025, thêm số 0 ở đầu).`,
      en: `{field}: the first three digits (${province}) are not a province-of-birth code (one of the 63 provinces before 1 July 2025, with a leading 0).`,
    });
  }
  const digit = Number(value[3]);
  const yy = value.slice(4, 6);
  const century = CENTURY_BY_DIGIT[digit as 0 | 1 | 2 | 3 | 4 | 5];
  if (century === undefined) {
    problems.push({
      code: 'personal_id_gender_century',
      vi: `{field}: chữ số thứ tư (${digit}) phải từ 0 đến 5 (giới tính và thế kỷ sinh).`,
      en: `{field}: the fourth digit (${digit}) must be 0 to 5 (gender and century of birth).`,
    });
    return problems;
  }
  const { birthYear, gender } = facts;
  if (birthYear !== undefined) {
    const expected = genderCenturyDigit('male', birthYear);
    if (expected === undefined) {
      problems.push({
        code: 'personal_id_gender_century',
        vi: `{field} không thể ứng với năm sinh ${birthYear}: chỉ mã hóa được năm sinh từ 1900 đến 2199.`,
        en: `{field} cannot match the birth year ${birthYear}: only years 1900 to 2199 can be encoded.`,
      });
    } else if (Math.floor(digit / 2) * 2 !== expected) {
      problems.push({
        code: 'personal_id_gender_century',
        vi: `{field}: chữ số thứ tư (${digit}) dành cho người sinh từ ${century} đến ${century + 99}, không khớp năm sinh ${birthYear}.`,
        en: `{field}: the fourth digit (${digit}) is for people born ${century} to ${century + 99}, which does not match the birth year ${birthYear}.`,
      });
    }
    const expectedYy = String(birthYear % 100).padStart(2, '0');
    if (expected !== undefined && yy !== expectedYy) {
      problems.push({
        code: 'personal_id_birth_year',
        vi: `{field}: chữ số thứ năm và sáu (${yy}) phải là hai số cuối của năm sinh (${expectedYy}).`,
        en: `{field}: the fifth and sixth digits (${yy}) must be the last two digits of the birth year (${expectedYy}).`,
      });
    }
  }
  if (gender !== undefined) {
    const encoded: Gender = digit % 2 === 0 ? 'male' : 'female';
    if (encoded !== gender) {
      problems.push({
        code: 'personal_id_gender_mismatch',
        vi: `{field}: chữ số thứ tư (${digit}) dành cho giới tính ${GENDER_WORDS[encoded].vi}, nhưng người này là ${GENDER_WORDS[gender].vi}.`,
        en: `{field}: the fourth digit (${digit}) is for a ${GENDER_WORDS[encoded].en} person, but this person is ${GENDER_WORDS[gender].en}.`,
      });
    }
  }
  return problems;
}

/**
 * Vietnamese people and places for the fake agent's sample data: names,
 * personal ID numbers that agree with birth year and gender, and communes
 * from the real reference table. Deterministic given the seeded PRNG.
 */
import { bundledAdminUnits, PRE_2025_PROVINCE_CODES } from '../../../sync-engine/src/protocol/reference-data/index.js';

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const FEMALE_MIDDLE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Hoài'];
const MALE_MIDDLE = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thanh'];
const FEMALE_GIVEN = ['Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Thảo', 'Trang', 'Vy', 'Yến', 'Hà', 'Hạnh', 'Hoa'];
const MALE_GIVEN = ['Anh', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hiếu', 'Hùng', 'Long', 'Nam', 'Phúc', 'Quân', 'Tuấn'];
export const REGISTRARS = ['Trần Thị Mai', 'Lê Văn Hùng', 'Phạm Thu Hà', 'Nguyễn Đức Long'];
export const LINES = ['Bán lẻ tạp hóa', 'Ăn uống, giải khát', 'Sửa chữa xe máy', 'May mặc', 'Cắt tóc, gội đầu', 'Bán lẻ rau quả'];

export const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
export const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function personName(rand: () => number, gender: 'male' | 'female'): string {
  const middle = pick(rand, gender === 'female' ? FEMALE_MIDDLE : MALE_MIDDLE);
  return `${pick(rand, SURNAMES)} ${middle} ${pick(rand, gender === 'female' ? FEMALE_GIVEN : MALE_GIVEN)}`;
}

/** A personal ID that agrees with the birth year and gender (PRODUCT.md's rules). */
export function personalId(rand: () => number, gender: 'male' | 'female', birthYear: number): string {
  const province = pick(rand, [...PRE_2025_PROVINCE_CODES]);
  const centuryBase = birthYear < 2000 ? 0 : birthYear < 2100 ? 2 : 4;
  const digit = centuryBase + (gender === 'female' ? 1 : 0);
  return `0${province}${digit}${pad(birthYear % 100, 2)}${pad(Math.floor(rand() * 1_000_000), 6)}`;
}

/** The bundled reference table of provinces and communes (after the 2025 merger). */
export const units = bundledAdminUnits();
export const PROVINCES = units.provinces();
export function communeOf(rand: () => number): { provinceCode: string; communeCode: string } {
  const province = pick(rand, PROVINCES);
  const commune = pick(rand, units.communesOf(province.code));
  return { provinceCode: province.code, communeCode: commune.code };
}

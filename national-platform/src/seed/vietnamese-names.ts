import type { Gender } from '../../../sync-engine/src/protocol/datasets/index.js';
import type { Draw } from './seeded-random.js';

/** Family names with rough shares of the population (per cent), the most common first. */
export const FAMILY_NAMES: readonly (readonly [string, number])[] = [
  ['Nguyễn', 38],
  ['Trần', 11],
  ['Lê', 9.5],
  ['Phạm', 7],
  ['Hoàng', 3],
  ['Huỳnh', 2.1],
  ['Phan', 4.5],
  ['Vũ', 2],
  ['Võ', 1.9],
  ['Đặng', 2.1],
  ['Bùi', 2],
  ['Đỗ', 1.4],
  ['Hồ', 1.3],
  ['Ngô', 1.3],
  ['Dương', 1],
  ['Lý', 0.5],
  ['Đinh', 0.6],
  ['Trương', 0.6],
  ['Lương', 0.4],
  ['Mai', 0.3],
];

const MIDDLE_NAMES: Readonly<Record<Gender, readonly string[]>> = {
  male: ['Văn', 'Văn', 'Văn', 'Đức', 'Minh', 'Quốc', 'Hữu', 'Thành', 'Gia', 'Công', 'Xuân', 'Trọng', 'Quang', 'Anh', 'Hoàng', 'Tuấn', 'Thanh'],
  female: ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Bảo', 'Khánh', 'Mai', 'Phương', 'Hồng', 'Diệu', 'Kim', 'Thùy', 'Hoài'],
};

const GIVEN_NAMES: Readonly<Record<Gender, readonly string[]>> = {
  male: [
    'An', 'Anh', 'Bảo', 'Bình', 'Cường', 'Dũng', 'Đạt', 'Đức', 'Dương', 'Hải', 'Hiếu', 'Hòa', 'Hoàng', 'Hùng', 'Huy',
    'Khang', 'Khoa', 'Khôi', 'Kiên', 'Lâm', 'Long', 'Lộc', 'Minh', 'Nam', 'Nghĩa', 'Nhân', 'Phát', 'Phong', 'Phúc',
    'Quân', 'Quang', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Thịnh', 'Tiến', 'Toàn', 'Trí', 'Trung', 'Tuấn', 'Tùng', 'Việt', 'Vinh', 'Vũ',
  ],
  female: [
    'An', 'Anh', 'Châu', 'Chi', 'Diệp', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Hồng', 'Hương', 'Huyền',
    'Lan', 'Liên', 'Linh', 'Loan', 'Mai', 'My', 'Nga', 'Ngân', 'Ngọc', 'Nhung', 'Oanh', 'Phương', 'Quỳnh', 'Tâm', 'Thảo',
    'Thơ', 'Thủy', 'Trang', 'Trâm', 'Tuyết', 'Uyên', 'Vân', 'Vy', 'Xuân', 'Yến',
  ],
};

export interface PersonName {
  family: string;
  middle: string;
  given: string;
  full: string;
}

/** A Vietnamese full name; `family` is given for a child who takes the father's. */
export function personName(draw: Draw, gender: Gender, family: string = draw.weighted(FAMILY_NAMES)): PersonName {
  let middle = draw.pick(MIDDLE_NAMES[gender]);
  // Younger families often give two middle names (Nguyễn Ngọc Bảo Anh).
  if (draw.chance(0.08)) {
    const second = draw.pick(MIDDLE_NAMES[gender].filter((m) => m !== middle && m !== 'Văn' && m !== 'Thị'));
    middle = `${middle} ${second}`;
  }
  const given = draw.pick(GIVEN_NAMES[gender].filter((g) => !middle.split(' ').includes(g)));
  return { family, middle, given, full: `${family} ${middle} ${given}` };
}

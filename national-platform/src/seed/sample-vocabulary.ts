/**
 * Word lists for sample records. Procedure codes follow the national procedure
 * database's shape (one digit, a dot, six digits); the ones here are
 * illustrative, with processing times of the order the law sets.
 */
export interface SampleProcedure {
  code: string;
  name: string;
  /** Working days from receipt to the appointment; 0 = the same day. */
  workingDays: number;
}

export const PROCEDURES: readonly SampleProcedure[] = [
  { code: '1.001193', name: 'Đăng ký khai sinh', workingDays: 0 },
  { code: '1.000894', name: 'Đăng ký kết hôn', workingDays: 0 },
  { code: '1.000656', name: 'Đăng ký khai tử', workingDays: 0 },
  { code: '1.001022', name: 'Đăng ký thường trú', workingDays: 7 },
  { code: '2.000908', name: 'Chứng thực bản sao từ bản chính', workingDays: 0 },
  { code: '2.000815', name: 'Chứng thực chữ ký', workingDays: 0 },
  { code: '1.004227', name: 'Cấp giấy xác nhận tình trạng hôn nhân', workingDays: 3 },
  { code: '1.001612', name: 'Đăng ký thành lập hộ kinh doanh', workingDays: 3 },
  { code: '1.001266', name: 'Đăng ký thay đổi nội dung đăng ký hộ kinh doanh', workingDays: 3 },
  { code: '1.003180', name: 'Đăng ký biến động quyền sử dụng đất', workingDays: 10 },
  { code: '1.004873', name: 'Cấp giấy phép xây dựng nhà ở riêng lẻ', workingDays: 15 },
  { code: '1.001776', name: 'Trợ cấp xã hội hằng tháng', workingDays: 10 },
];

export interface SampleBusinessKind {
  /** How the shop's sign begins: "Tạp hóa Minh Anh". */
  prefix: string;
  lines: readonly string[];
  /** Typical capital range, millions of VND. */
  capitalMillions: readonly [number, number];
}

export const BUSINESS_KINDS: readonly SampleBusinessKind[] = [
  { prefix: 'Tạp hóa', lines: ['Bán lẻ lương thực, thực phẩm', 'Bán lẻ đồ uống', 'Bán lẻ hàng tiêu dùng'], capitalMillions: [30, 500] },
  { prefix: 'Quán cơm', lines: ['Dịch vụ ăn uống'], capitalMillions: [20, 300] },
  { prefix: 'Phở', lines: ['Dịch vụ ăn uống'], capitalMillions: [30, 400] },
  { prefix: 'Cà phê', lines: ['Dịch vụ phục vụ đồ uống'], capitalMillions: [50, 800] },
  { prefix: 'Sửa xe', lines: ['Bảo dưỡng, sửa chữa mô tô, xe máy', 'Bán lẻ phụ tùng mô tô, xe máy'], capitalMillions: [20, 300] },
  { prefix: 'Salon tóc', lines: ['Cắt tóc, làm đầu, gội đầu'], capitalMillions: [20, 200] },
  { prefix: 'Nhà thuốc', lines: ['Bán lẻ thuốc', 'Bán lẻ dụng cụ y tế'], capitalMillions: [100, 1500] },
  { prefix: 'Điện thoại', lines: ['Bán lẻ thiết bị viễn thông', 'Sửa chữa thiết bị liên lạc'], capitalMillions: [100, 2000] },
  { prefix: 'May đo', lines: ['May trang phục'], capitalMillions: [10, 150] },
  { prefix: 'Vật liệu xây dựng', lines: ['Bán lẻ vật liệu xây dựng', 'Vận tải hàng hóa bằng đường bộ'], capitalMillions: [300, 5000] },
  { prefix: 'Nhà nghỉ', lines: ['Dịch vụ lưu trú ngắn ngày'], capitalMillions: [500, 8000] },
  { prefix: 'Tiệm bánh', lines: ['Sản xuất bánh', 'Bán lẻ bánh, kẹo'], capitalMillions: [30, 400] },
  { prefix: 'Nông sản', lines: ['Bán buôn nông sản', 'Bán lẻ rau, quả'], capitalMillions: [50, 1000] },
];

/** Words that make up a shop's name when not the owner's own: "Phát Đạt", "An Khang". */
export const SHOP_NAME_WORDS: readonly string[] = [
  'An Khang', 'Phát Đạt', 'Thành Công', 'Hoàng Gia', 'Minh Châu', 'Phú Quý', 'Thịnh Vượng', 'Hưng Thịnh', 'Bình An', 'Tân Phát',
];

export const BIRTH_NOTES: readonly string[] = [
  'Đăng ký khai sinh đúng hạn.',
  'Đăng ký khai sinh quá hạn.',
  'Đăng ký lại khai sinh.',
  'Trẻ sinh đôi.',
  'Cha mẹ là người dân tộc thiểu số.',
  'Đăng ký khai sinh kết hợp nhận cha, con.',
];

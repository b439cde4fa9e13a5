/**
 * Realistic Vietnamese sample data for the fake agent behind the renderer's
 * browser tests: generated deterministically (a seeded PRNG), shaped exactly
 * like the AgentApi views, with codes taken from the real reference tables.
 */
import type { ConflictView, OutboxEntryView, RecordView, SyncRunView } from '../../../sync-engine/src/api/index.js';
import { bundledAdminUnits, PRE_2025_PROVINCE_CODES } from '../../../sync-engine/src/protocol/reference-data/index.js';
import { mulberry32 as seeded } from '../../../national-platform/src/seed/seeded-random.js';

export const BIRTHS = 'civil-status-births';
export const DOSSIERS = 'procedure-dossiers';
export const HOUSEHOLDS = 'business-households';
export const ADMIN_UNITS = 'admin-units';
export const XSS = '<img src=x onerror=alert(1)>';
/** Another program holding the data folder's lease: a computer at the one-stop desk and its process. */
export const OTHER_SYNCER = { host: 'MAY-MOT-CUA-02', pid: 7316 };


/** A record id of the shape the contract accepts (36 characters of hex and dashes). */
export function fakeId(datasetIndex: number, n: number): string {
  return `0000000${datasetIndex}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const FEMALE_MIDDLE = ['Thị', 'Ngọc', 'Thu', 'Thanh', 'Minh', 'Hoài'];
const MALE_MIDDLE = ['Văn', 'Hữu', 'Đức', 'Minh', 'Quang', 'Thanh'];
const FEMALE_GIVEN = ['Hương', 'Lan', 'Linh', 'Mai', 'Nga', 'Thảo', 'Trang', 'Vy', 'Yến', 'Hà', 'Hạnh', 'Hoa'];
const MALE_GIVEN = ['Anh', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hiếu', 'Hùng', 'Long', 'Nam', 'Phúc', 'Quân', 'Tuấn'];
const REGISTRARS = ['Trần Thị Mai', 'Lê Văn Hùng', 'Phạm Thu Hà', 'Nguyễn Đức Long'];
const LINES = ['Bán lẻ tạp hóa', 'Ăn uống, giải khát', 'Sửa chữa xe máy', 'May mặc', 'Cắt tóc, gội đầu', 'Bán lẻ rau quả'];

const pick = <T>(rand: () => number, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

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

const units = bundledAdminUnits();
const PROVINCES = units.provinces();
export function communeOf(rand: () => number): { provinceCode: string; communeCode: string } {
  const province = pick(rand, PROVINCES);
  const commune = pick(rand, units.communesOf(province.code));
  return { provinceCode: province.code, communeCode: commune.code };
}

function stateOf(i: number): RecordView['state'] {
  if (i % 211 === 3) return 'rejected';
  if (i % 97 === 2) return 'conflict';
  if (i % 50 === 1) return 'waiting';
  return 'synced';
}

const rejection = (vi: string, en: string) => [{ path: '/personalId', code: 'unique', messages: { vi, en } }];

export function birthRecord(rand: () => number, i: number): RecordView {
  const gender = rand() < 0.5 ? 'female' : 'male';
  const year = 2000 + Math.floor(rand() * 25);
  const birthDate = `${year}-${pad(1 + Math.floor(rand() * 12), 2)}-${pad(1 + Math.floor(rand() * 28), 2)}`;
  const place = communeOf(rand);
  const fullName = i === 0 ? 'Nguyễn Thị Hương' : i === 7 ? XSS : i === 11 ? 'Đặng Văn Nam' : personName(rand, gender);
  const data: Record<string, unknown> = {
    registrationNumber: `KS-${year}-${pad(i, 6)}`,
    fullName,
    gender: i === 0 ? 'female' : gender,
    birthDate,
    placeOfBirthCommuneCode: place.communeCode,
    personalId: personalId(rand, i === 0 ? 'female' : gender, year),
    fatherName: personName(rand, 'male'),
    motherName: personName(rand, 'female'),
    registrationDate: `${year}-12-28`,
    registrar: pick(rand, REGISTRARS),
    provinceCode: place.provinceCode,
    communeCode: place.communeCode,
    ...(i === 7 ? { notes: XSS } : {}),
  };
  const state = stateOf(i);
  return {
    dataset: BIRTHS,
    id: fakeId(1, i),
    rev: state === 'waiting' && i % 100 === 1 ? null : 1 + (i % 5),
    deleted: false,
    state,
    leftScope: false,
    notOnPlatform: false,
    data,
    updatedAt: new Date(Date.UTC(2025, 6, 1) + i * 60_000).toISOString(),
    ...(state === 'rejected'
      ? { errors: rejection('Số định danh cá nhân đã có trong hồ sơ của đơn vị khác.', 'The personal ID number is already on another office’s record.') }
      : {}),
  };
}

const STATUSES = ['received', 'processing', 'completed', 'returned', 'cancelled'] as const;
export function dossierRecord(rand: () => number, i: number): RecordView {
  const gender = rand() < 0.5 ? 'female' : 'male';
  const year = 1960 + Math.floor(rand() * 45);
  const received = Date.UTC(2025, 7, 1) + i * 3_600_000;
  const place = communeOf(rand);
  return {
    dataset: DOSSIERS,
    id: fakeId(2, i),
    rev: 1,
    deleted: false,
    state: stateOf(i + 5),
    leftScope: false,
    notOnPlatform: false,
    data: {
      dossierNumber: `HS-2025-${pad(i, 5)}`,
      procedureCode: `1.00${pad(1000 + (i % 300), 4)}`,
      applicantName: personName(rand, gender),
      applicantPersonalId: personalId(rand, gender, year),
      receivedAt: new Date(received).toISOString().replace(/\.000Z$/, 'Z'),
      appointmentAt: new Date(received + 5 * 86_400_000).toISOString().replace(/\.000Z$/, 'Z'),
      status: STATUSES[i % STATUSES.length],
      handler: pick(rand, REGISTRARS),
      provinceCode: place.provinceCode,
      communeCode: place.communeCode,
    },
    updatedAt: new Date(received).toISOString(),
  };
}

export function householdRecord(rand: () => number, i: number): RecordView {
  const gender = rand() < 0.5 ? 'female' : 'male';
  const place = communeOf(rand);
  const owner = personName(rand, gender);
  return {
    dataset: HOUSEHOLDS,
    id: fakeId(3, i),
    rev: 1,
    deleted: false,
    state: stateOf(i + 9),
    leftScope: false,
    notOnPlatform: false,
    data: {
      registrationNumber: `HKD-${pad(i, 6)}`,
      businessName: `Hộ kinh doanh ${owner}`,
      ownerName: owner,
      ownerPersonalId: personalId(rand, gender, 1970 + (i % 30)),
      communeCode: place.communeCode,
      provinceCode: place.provinceCode,
      businessLines: [pick(rand, LINES)],
      capitalVnd: 50_000_000 + (i % 40) * 10_000_000,
      registeredAt: `20${pad(10 + (i % 15), 2)}-0${1 + (i % 9)}-15`,
      status: i % 13 === 0 ? 'suspended' : 'active',
    },
    updatedAt: new Date(Date.UTC(2025, 5, 1) + i * 86_400_000).toISOString(),
  };
}

export function adminUnitRecords(): RecordView[] {
  const out: RecordView[] = [];
  let i = 0;
  for (const province of PROVINCES) {
    for (const commune of units.communesOf(province.code)) {
      out.push({
        dataset: ADMIN_UNITS,
        id: fakeId(4, i++),
        rev: 1,
        deleted: false,
        state: 'synced',
        leftScope: false,
        notOnPlatform: false,
        data: {
          provinceCode: province.code,
          provinceName: province.name,
          provinceType: province.type,
          communeCode: commune.code,
          communeName: commune.name,
          communeType: commune.type,
        },
        updatedAt: '2025-07-01T00:00:00.000Z',
      });
    }
  }
  return out;
}

export function outboxEntries(waiting: readonly RecordView[], rejected: readonly RecordView[], now: number): OutboxEntryView[] {
  const entries: OutboxEntryView[] = [];
  let seq = 1;
  for (const r of rejected.slice(0, 2)) {
    entries.push({
      seq: seq++,
      mutationId: fakeId(9, seq),
      dataset: r.dataset,
      recordId: r.id,
      op: 'upsert',
      status: 'quarantined',
      attempts: 3,
      createdAt: new Date(now - 3 * 86_400_000).toISOString(),
      errors: r.errors ?? [],
      title: typeof r.data?.fullName === 'string' ? r.data.fullName : null,
      leftScope: false,
      nationalVersion: r.rev !== null,
      notOnPlatform: false,
    });
  }
  for (const r of waiting.slice(0, 40)) {
    entries.push({
      seq: seq++,
      mutationId: fakeId(9, seq),
      dataset: r.dataset,
      recordId: r.id,
      op: 'upsert',
      status: 'queued',
      attempts: seq % 3,
      createdAt: new Date(now - 2 * 3_600_000 + seq * 60_000).toISOString(),
      errors: [],
      title: typeof r.data?.fullName === 'string' ? r.data.fullName : null,
      leftScope: false,
      nationalVersion: r.rev !== null,
      notOnPlatform: false,
    });
  }
  return entries;
}

export function syncRuns(now: number): SyncRunView[] {
  const triggers: SyncRunView['trigger'][] = ['schedule', 'manual', 'startup', 'retry', 'watchdog', 'cli'];
  return Array.from({ length: 14 }, (_, k) => {
    const id = 14 - k;
    const startedAt = now - k * 15 * 60_000 - 60_000;
    const failed = id === 10;
    const conflicts = id === 12 ? 3 : 0;
    return {
      id,
      trigger: triggers[k % triggers.length]!,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(startedAt + 4_000 + k * 1_500).toISOString(),
      status: failed ? 'failed' : conflicts ? 'conflicts' : 'ok',
      pushed: failed ? 0 : 3 * k,
      pulled: failed ? 0 : 120 + k * 7,
      conflicts,
      rejected: id === 13 ? 1 : 0,
      ...(id === 11 ? { resent: 2 } : {}),
      ...(id === 9 ? { swept: 1200 } : {}),
      error: failed
        ? {
            code: 'unreachable',
            messages: {
              vi: 'Không kết nối được tới nền tảng quốc gia: hết thời gian chờ sau 30 giây. Kiểm tra mạng hoặc proxy.',
              en: 'Could not reach the national platform: timed out after 30 seconds. Check the network or the proxy.',
            },
          }
        : null,
    };
  });
}

export function latencyPoints(now: number): Array<{ at: number; p50: number | null; failures: number }> {
  const rand = seeded(99);
  return Array.from({ length: 96 }, (_, k) => {
    const at = now - (95 - k) * 15 * 60_000;
    const down = k >= 40 && k < 44;
    return { at, p50: down ? null : Math.round(80 + rand() * 120 + (k > 70 ? 60 : 0)), failures: down ? 2 : k % 29 === 0 ? 1 : 0 };
  });
}

type FieldTitle = { vi: string; en: string };
export function conflictViews(births: readonly RecordView[], dossiers: readonly RecordView[], now: number): ConflictView[] {
  const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
  const title = (vi: string, en: string): FieldTitle => ({ vi, en });
  const b = (i: number) => births[i]!;
  const personalIdTitle = title('Số định danh cá nhân', 'Personal ID number');
  const field = (f: string, t: FieldTitle, base: unknown, local: unknown, national: unknown, auto: 'local' | 'national' | null = null) => ({
    field: f,
    title: t,
    base,
    local,
    national,
    auto,
  });
  const dossierConflicts: ConflictView[] = [0, 1, 2].map((k) => {
    const r = dossiers[k * 10 + 3]!;
    return {
      id: `c-dossier-${k}`,
      dataset: DOSSIERS,
      recordId: r.id,
      kind: 'fields',
      status: 'open',
      version: 'fields@2',
      createdAt: at(30 + k),
      title: String(r.data?.dossierNumber),
      fields: [
        field('handler', title('Cán bộ xử lý', 'Handler'), 'Trần Thị Mai', 'Lê Văn Hùng', 'Phạm Thu Hà', 'local'),
        field('appointmentAt', title('Thời điểm hẹn trả kết quả', 'Appointment for the result'), '2025-08-10T02:00:00Z', '2025-08-12T02:00:00Z', '2025-08-11T02:00:00Z'),
      ],
      localDeleted: false,
      nationalDeleted: false,
      existing: null,
      leftScope: false,
      restored: null,
      baseKnown: true,
      baseUnknown: null,
      settled: null,
    };
  });
  return [
    {
      id: 'c-fields-1',
      dataset: BIRTHS,
      recordId: b(0).id,
      kind: 'fields',
      status: 'open',
      version: 'fields@2',
      createdAt: at(12),
      title: 'Nguyễn Thị Hương',
      fields: [
        field('fullName', title('Họ và tên', 'Full name'), 'Nguyễn Thị Huong', 'Nguyễn Thị Hương', 'Nguyễn Thị Hường'),
        field('registrar', title('Công chức hộ tịch', 'Registrar'), 'Trần Thị Mai', 'Trần Thị Mai', 'Lê Văn Hùng'),
        field('birthDate', title('Ngày sinh', 'Date of birth'), '2012-03-04', '2012-03-14', '2012-03-04'),
        field('notes', title('Ghi chú', 'Notes'), null, 'Bổ sung tên mẹ theo giấy chứng sinh', null, 'local'),
      ],
      localDeleted: false,
      nationalDeleted: false,
      existing: null,
      leftScope: false,
      restored: null,
      baseKnown: true,
      baseUnknown: null,
      settled: null,
    },
    ...dossierConflicts,
    {
      id: 'c-delete-1',
      dataset: BIRTHS,
      recordId: b(2).id,
      kind: 'delete-vs-edit',
      status: 'open',
      version: 'delete-vs-edit@2',
      createdAt: at(50),
      title: String(b(2).data?.fullName),
      fields: [field('notes', title('Ghi chú', 'Notes'), null, null, 'Đã cải chính hộ tịch ngày 05/06/2025')],
      localDeleted: true,
      nationalDeleted: false,
      existing: null,
      leftScope: false,
      restored: null,
      baseKnown: true,
      baseUnknown: null,
      settled: null,
    },
    {
      id: 'c-collision-1',
      dataset: BIRTHS,
      recordId: b(4).id,
      kind: 'create-collision',
      status: 'open',
      version: 'create-collision@2',
      createdAt: at(75),
      title: String(b(4).data?.fullName),
      fields: [field('registrationNumber', title('Số đăng ký khai sinh', 'Registration number'), null, 'KS-2025-000004', 'KS-2025-000104')],
      localDeleted: false,
      nationalDeleted: false,
      existing: null,
      leftScope: false,
      restored: null,
      // Both sides created it: there was no earlier version.
      baseKnown: false,
      baseUnknown: 'created',
      settled: null,
    },
    {
      id: 'c-duplicate-1',
      dataset: BIRTHS,
      recordId: b(5).id,
      kind: 'possible-duplicate',
      status: 'open',
      version: 'possible-duplicate@2',
      createdAt: at(95),
      title: String(b(5).data?.fullName),
      fields: [field('personalId', personalIdTitle, null, b(5).data?.personalId, b(5).data?.personalId)],
      localDeleted: false,
      nationalDeleted: false,
      existing: { id: fakeId(1, 900_000), data: { ...b(5).data, registrationNumber: 'KS-2019-778812', registrar: 'Võ Thị Lan', communeCode: b(6).data?.communeCode } },
      leftScope: false,
      restored: null,
      baseKnown: true,
      baseUnknown: null,
      settled: null,
    },
    {
      id: 'c-duplicate-2',
      dataset: BIRTHS,
      recordId: b(7).id,
      kind: 'possible-duplicate',
      status: 'open',
      version: 'possible-duplicate@2',
      createdAt: at(110),
      title: String(b(7).data?.fullName),
      fields: [field('personalId', personalIdTitle, null, b(7).data?.personalId, b(7).data?.personalId)],
      localDeleted: false,
      nationalDeleted: false,
      existing: { id: fakeId(1, 900_001), data: { ...b(8).data, personalId: b(7).data?.personalId } },
      leftScope: false,
      restored: null,
      baseKnown: true,
      baseUnknown: null,
      settled: null,
    },
    // Settled before the window opened: by a person, and by itself at a sync.
    {
      id: 'c-settled-1',
      dataset: BIRTHS,
      recordId: b(10).id,
      kind: 'fields',
      status: 'resolved',
      version: 'fields@1',
      createdAt: at(600),
      title: String(b(10).data?.fullName),
      fields: [field('registrar', title('Công chức hộ tịch', 'Registrar'), 'Trần Thị Mai', 'Lê Văn Hùng', 'Phạm Thu Hà')],
      localDeleted: false,
      nationalDeleted: false,
      existing: null,
      leftScope: false,
      restored: null,
      baseKnown: true,
      baseUnknown: null,
      settled: { at: at(540), by: 'Đinh Thị Thu', choice: 'national', outcome: 'adopted-remote' },
    },
    {
      id: 'c-settled-2',
      dataset: BIRTHS,
      recordId: b(11).id,
      kind: 'delete-vs-edit',
      status: 'resolved',
      version: 'delete-vs-edit@1',
      createdAt: at(700),
      title: String(b(11).data?.fullName),
      fields: [field('notes', title('Ghi chú', 'Notes'), null, null, 'Đã cải chính')],
      localDeleted: true,
      nationalDeleted: false,
      existing: null,
      leftScope: false,
      restored: null,
      baseKnown: true,
      baseUnknown: null,
      settled: { at: at(680), by: null, choice: 'auto', outcome: null },
    },
  ];
}

/**
 * The fake agent's generated records: birth registrations, procedure
 * dossiers, business households and the administrative units, shaped exactly
 * like RecordView, their states spread by index (some waiting, some rejected,
 * some in conflict).
 */
import type { RecordView } from '../../../sync-engine/src/api/index.js';
import { ADMIN_UNITS, BIRTHS, DOSSIERS, HOUSEHOLDS, XSS, fakeId } from './fake-ids.js';
import { communeOf, LINES, pad, personalId, personName, pick, PROVINCES, REGISTRARS, units } from './fake-people.js';

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

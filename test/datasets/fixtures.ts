import type { DatasetDescriptor, RecordError } from '../../sync-engine/src/protocol/index.js';
import { datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';

export function dataset(name: string): DatasetDescriptor {
  const d = datasetByName(name);
  if (!d) throw new Error(`no dataset ${name}`);
  return d;
}

export const BIRTHS = dataset('civil-status-births');
export const DOSSIERS = dataset('procedure-dossiers');
export const HOUSEHOLDS = dataset('business-households');
export const ADMIN_UNITS = dataset('admin-units');

/** A girl born 2001 in Hà Nội: personal ID 001 (Hà Nội) 3 (female, 2000s) 01 (2001). */
export function validBirth(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    registrationNumber: '125/2001',
    fullName: 'Nguyễn Thị Hương',
    gender: 'female',
    birthDate: '2001-05-12',
    placeOfBirthCommuneCode: '00004',
    personalId: '001301012345',
    fatherName: 'Nguyễn Văn Hùng',
    fatherPersonalId: '001075004321',
    motherName: 'Đặng Thị Lan',
    motherPersonalId: '001178006789',
    registrationDate: '2001-06-01',
    registrar: 'Trần Minh Châu',
    provinceCode: '01',
    communeCode: '00004',
    ...overrides,
  };
}

export function validDossier(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dossierNumber: '79.25747-250701-0001',
    procedureCode: '1.001193',
    applicantName: 'Lê Văn Nam',
    applicantPersonalId: '079090123456',
    receivedAt: '2025-07-01T01:30:00Z',
    appointmentAt: '2025-07-03T02:00:00Z',
    status: 'received',
    handler: 'Phạm Thu Trang',
    provinceCode: '79',
    communeCode: '25747',
    ...overrides,
  };
}

export function validHousehold(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    registrationNumber: '04.01273-HKD-000001',
    businessName: 'Tạp hóa Minh Anh',
    ownerName: 'Hoàng Thị Minh Anh',
    ownerPersonalId: '004185001234',
    communeCode: '01273',
    provinceCode: '04',
    businessLines: ['Bán lẻ lương thực, thực phẩm', 'Bán lẻ đồ uống'],
    capitalVnd: 150_000_000,
    registeredAt: '2019-03-04',
    status: 'active',
    ...overrides,
  };
}

/** An `admin-units` record of a ward of Hà Nội, as the platform publishes one (a reform adds, renames or removes such records). */
export function hanoiWard(communeCode: string, communeName: string): Record<string, unknown> {
  return {
    provinceCode: '01',
    provinceName: 'Thành phố Hà Nội',
    provinceType: 'thành phố trung ương',
    communeCode,
    communeName,
    communeType: 'phường',
  };
}

/** `path code` pairs, easy to compare in assertions. */
export function summary(errors: readonly RecordError[]): string[] {
  return errors.map((e) => `${e.path} ${e.code}`);
}

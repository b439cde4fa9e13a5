import type { DatasetDescriptor } from '../catalog.js';
import {
  communeCodeField,
  dateField,
  enumField,
  filterable,
  identifierField,
  personalIdField,
  provinceCodeField,
  recordSchema,
  textField,
  withDefault,
} from './schema-vocabulary.js';
import type { Gender } from './schema-vocabulary.js';

/**
 * `civil-status-births`: birth registrations, province-scoped and read-write.
 * Parents' fields are optional (an unknown father, a foundling); an optional
 * field is absent, never an empty string.
 */
export type CivilStatusBirthData = {
  registrationNumber: string;
  fullName: string;
  gender: Gender;
  /** YYYY-MM-DD */
  birthDate: string;
  placeOfBirthCommuneCode: string;
  personalId: string;
  fatherName?: string;
  fatherPersonalId?: string;
  motherName?: string;
  motherPersonalId?: string;
  /** YYYY-MM-DD */
  registrationDate: string;
  registrar: string;
  provinceCode: string;
  communeCode: string;
  notes?: string;
};

const schema = recordSchema({
  title: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
  properties: {
    registrationNumber: identifierField({ vi: 'Số đăng ký khai sinh', en: 'Registration number' }),
    fullName: textField({ vi: 'Họ và tên', en: 'Full name' }, 100),
    gender: enumField(
      { vi: 'Giới tính', en: 'Gender' },
      { male: { vi: 'Nam', en: 'Male' }, female: { vi: 'Nữ', en: 'Female' } },
    ),
    birthDate: dateField({ vi: 'Ngày sinh', en: 'Date of birth' }),
    placeOfBirthCommuneCode: communeCodeField({ vi: 'Nơi sinh (mã xã)', en: 'Place of birth (commune code)' }),
    personalId: personalIdField({ vi: 'Số định danh cá nhân', en: 'Personal ID number' }),
    fatherName: textField({ vi: 'Họ và tên cha', en: "Father's full name" }, 100),
    fatherPersonalId: personalIdField({ vi: 'Số định danh cá nhân của cha', en: "Father's personal ID number" }),
    motherName: textField({ vi: 'Họ và tên mẹ', en: "Mother's full name" }, 100),
    motherPersonalId: personalIdField({ vi: 'Số định danh cá nhân của mẹ', en: "Mother's personal ID number" }),
    // A clerk registers many births a day, on the day, under her own name: a new record starts with both.
    registrationDate: withDefault(dateField({ vi: 'Ngày đăng ký', en: 'Registration date' }), 'today'),
    registrar: withDefault(textField({ vi: 'Công chức hộ tịch', en: 'Registrar' }, 100), 'last-used'),
    provinceCode: provinceCodeField({ vi: 'Mã tỉnh', en: 'Province code' }),
    communeCode: filterable(communeCodeField({ vi: 'Mã xã nơi đăng ký', en: 'Registering commune code' })),
    notes: textField({ vi: 'Ghi chú', en: 'Notes' }, 2000),
  },
  required: [
    'registrationNumber',
    'fullName',
    'gender',
    'birthDate',
    'placeOfBirthCommuneCode',
    'personalId',
    'registrationDate',
    'registrar',
    'provinceCode',
    'communeCode',
  ],
  rules: [
    { rule: 'personalId', field: 'personalId', birthDateField: 'birthDate', genderField: 'gender' },
    // Parents' birth dates are not recorded: format, province and digit 4 only,
    // and the digit 4 parity must say male for the father, female for the mother.
    { rule: 'personalId', field: 'fatherPersonalId', expectedGender: 'male' },
    { rule: 'personalId', field: 'motherPersonalId', expectedGender: 'female' },
    { rule: 'provinceExists', field: 'provinceCode' },
    { rule: 'communeExists', field: 'communeCode' },
    { rule: 'communeInProvince', communeField: 'communeCode', provinceField: 'provinceCode' },
    { rule: 'communeExists', field: 'placeOfBirthCommuneCode' },
    { rule: 'notBefore', field: 'registrationDate', otherField: 'birthDate', code: 'registration_before_birth' },
  ],
});

export const civilStatusBirthsDataset: DatasetDescriptor = {
  name: 'civil-status-births',
  title: { vi: 'Hộ tịch: đăng ký khai sinh', en: 'Civil status: birth registrations' },
  version: 1,
  schema,
  access: 'read-write',
  scope: 'province',
  scopeField: 'provinceCode',
  communeField: 'communeCode',
  uniqueFields: ['personalId'],
  // Identity fields of a civil status act are legal facts: two offices disagreeing
  // on one is for a person to settle (manual, the default). Notes are the
  // registering office's working remarks, so its own version is kept.
  fieldPolicies: { notes: 'local-wins' },
  display: {
    titleField: 'fullName',
    listFields: ['registrationNumber', 'fullName', 'gender', 'birthDate', 'personalId', 'communeCode'],
    searchFields: ['fullName', 'personalId', 'registrationNumber', 'fatherName', 'motherName'],
  },
};

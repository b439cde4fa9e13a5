import type { DatasetDescriptor } from '../catalog.js';
import {
  communeCodeField,
  dateField,
  enumField,
  filterable,
  identifierField,
  integerField,
  personalIdField,
  provinceCodeField,
  recordSchema,
  textField,
  textListField,
  withDefault,
} from './schema-vocabulary.js';

export const HOUSEHOLD_STATUSES = ['active', 'suspended', 'closed'] as const;
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number];

/** `business-households`: registered household businesses (hộ kinh doanh). */
export type BusinessHouseholdData = {
  registrationNumber: string;
  businessName: string;
  ownerName: string;
  ownerPersonalId: string;
  communeCode: string;
  provinceCode: string;
  businessLines: string[];
  /** Whole VND, ≥ 0. */
  capitalVnd: number;
  /** YYYY-MM-DD */
  registeredAt: string;
  status: HouseholdStatus;
};

const schema = recordSchema({
  title: { vi: 'Hộ kinh doanh', en: 'Business household' },
  properties: {
    registrationNumber: identifierField({ vi: 'Mã số đăng ký hộ kinh doanh', en: 'Registration number' }),
    businessName: textField({ vi: 'Tên hộ kinh doanh', en: 'Business name' }, 200),
    ownerName: textField({ vi: 'Họ và tên chủ hộ', en: "Owner's full name" }, 100),
    ownerPersonalId: personalIdField({ vi: 'Số định danh cá nhân chủ hộ', en: "Owner's personal ID number" }),
    communeCode: filterable(communeCodeField({ vi: 'Mã xã', en: 'Commune code' })),
    provinceCode: provinceCodeField({ vi: 'Mã tỉnh', en: 'Province code' }),
    businessLines: textListField({ vi: 'Ngành, nghề kinh doanh', en: 'Business lines' }, 20),
    // Capped at the largest integer JSON numbers carry exactly.
    capitalVnd: integerField({ vi: 'Vốn kinh doanh (đồng)', en: 'Capital (VND)' }, 0, Number.MAX_SAFE_INTEGER),
    registeredAt: withDefault(dateField({ vi: 'Ngày đăng ký', en: 'Registration date' }), 'today'),
    status: filterable(enumField(
      { vi: 'Tình trạng hoạt động', en: 'Status' },
      {
        active: { vi: 'Đang hoạt động', en: 'Active' },
        suspended: { vi: 'Tạm ngừng kinh doanh', en: 'Suspended' },
        closed: { vi: 'Đã chấm dứt hoạt động', en: 'Closed' },
      },
    )),
  },
  required: [
    'registrationNumber',
    'businessName',
    'ownerName',
    'ownerPersonalId',
    'communeCode',
    'provinceCode',
    'businessLines',
    'capitalVnd',
    'registeredAt',
    'status',
  ],
  rules: [
    { rule: 'personalId', field: 'ownerPersonalId' },
    { rule: 'provinceExists', field: 'provinceCode' },
    { rule: 'communeExists', field: 'communeCode' },
    { rule: 'communeInProvince', communeField: 'communeCode', provinceField: 'provinceCode' },
  ],
});

export const businessHouseholdsDataset: DatasetDescriptor = {
  name: 'business-households',
  title: { vi: 'Hộ kinh doanh', en: 'Business households' },
  version: 1,
  schema,
  access: 'read-write',
  scope: 'province',
  scopeField: 'provinceCode',
  communeField: 'communeCode',
  uniqueFields: ['registrationNumber'],
  // Every field is part of a registration certificate (status, capital, lines):
  // a disagreement is a legal question for a person, so all stay manual.
  fieldPolicies: {},
  display: {
    titleField: 'businessName',
    listFields: ['registrationNumber', 'businessName', 'ownerName', 'communeCode', 'status'],
    searchFields: ['businessName', 'ownerName', 'registrationNumber', 'ownerPersonalId'],
  },
};

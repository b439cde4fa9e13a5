import type { DatasetDescriptor } from '../catalog.js';
import {
  communeCodeField,
  dateTimeField,
  enumField,
  filterable,
  identifierField,
  personalIdField,
  provinceCodeField,
  recordSchema,
  textField,
  withDefault,
  withDue,
} from './schema-vocabulary.js';

export const DOSSIER_STATUSES = ['received', 'processing', 'completed', 'returned', 'cancelled'] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

/** `procedure-dossiers`: administrative procedure dossiers received at one-stop desks. */
export type ProcedureDossierData = {
  dossierNumber: string;
  /** National code of the administrative procedure, e.g. 1.001193. */
  procedureCode: string;
  applicantName: string;
  applicantPersonalId: string;
  /** RFC 3339 date-time */
  receivedAt: string;
  /** RFC 3339 date-time, not before receivedAt */
  appointmentAt: string;
  status: DossierStatus;
  /** Absent until the dossier is assigned. */
  handler?: string;
  provinceCode: string;
  communeCode: string;
};

const schema = recordSchema({
  title: { vi: 'Hồ sơ thủ tục hành chính', en: 'Procedure dossier' },
  properties: {
    dossierNumber: identifierField({ vi: 'Mã hồ sơ', en: 'Dossier number' }),
    procedureCode: {
      ...identifierField({ vi: 'Mã thủ tục hành chính', en: 'Procedure code' }, 20),
      pattern: '^[0-9]\\.[0-9]{6}$',
      'x-pattern': {
        code: 'procedure_code_format',
        vi: '{field} phải có dạng một chữ số, dấu chấm và sáu chữ số (ví dụ 1.001193).',
        en: '{field} must be one digit, a dot and six digits (e.g. 1.001193).',
      },
    },
    applicantName: textField({ vi: 'Họ và tên người nộp', en: "Applicant's full name" }, 100),
    applicantPersonalId: personalIdField({ vi: 'Số định danh cá nhân người nộp', en: "Applicant's personal ID number" }),
    // Received at the desk as it is typed in, by the desk's own staff.
    receivedAt: withDefault(dateTimeField({ vi: 'Thời điểm tiếp nhận', en: 'Received at' }), 'today'),
    // Late ("trễ hẹn") while the dossier is neither completed, returned nor cancelled.
    appointmentAt: withDue(dateTimeField({ vi: 'Thời điểm hẹn trả kết quả', en: 'Appointment for the result' }), {
      statusField: 'status',
      doneValues: ['completed', 'returned', 'cancelled'],
    }),
    status: filterable(enumField(
      { vi: 'Trạng thái', en: 'Status' },
      {
        received: { vi: 'Đã tiếp nhận', en: 'Received' },
        processing: { vi: 'Đang xử lý', en: 'Processing' },
        completed: { vi: 'Đã có kết quả', en: 'Completed' },
        returned: { vi: 'Trả lại hồ sơ', en: 'Returned' },
        cancelled: { vi: 'Đã hủy', en: 'Cancelled' },
      },
    )),
    handler: withDefault(textField({ vi: 'Cán bộ xử lý', en: 'Handler' }, 100), 'last-used'),
    provinceCode: provinceCodeField({ vi: 'Mã tỉnh', en: 'Province code' }),
    communeCode: filterable(communeCodeField({ vi: 'Mã xã tiếp nhận', en: 'Receiving commune code' })),
  },
  required: [
    'dossierNumber',
    'procedureCode',
    'applicantName',
    'applicantPersonalId',
    'receivedAt',
    'appointmentAt',
    'status',
    'provinceCode',
    'communeCode',
  ],
  rules: [
    { rule: 'personalId', field: 'applicantPersonalId' },
    { rule: 'provinceExists', field: 'provinceCode' },
    { rule: 'communeExists', field: 'communeCode' },
    { rule: 'communeInProvince', communeField: 'communeCode', provinceField: 'provinceCode' },
    { rule: 'notBefore', field: 'appointmentAt', otherField: 'receivedAt', code: 'appointment_before_received' },
  ],
});

export const procedureDossiersDataset: DatasetDescriptor = {
  name: 'procedure-dossiers',
  title: { vi: 'Hồ sơ thủ tục hành chính', en: 'Administrative procedure dossiers' },
  version: 1,
  schema,
  access: 'read-write',
  scope: 'province',
  scopeField: 'provinceCode',
  communeField: 'communeCode',
  uniqueFields: ['dossierNumber'],
  // status: the national public-service portal is where citizens follow and
  // withdraw dossiers, so its status must not be rolled back by an office's
  // concurrent edit; the office re-applies its next step on the merged record.
  // handler: assigning staff is the receiving office's internal business.
  // appointmentAt stays manual: it is a promise made to a citizen.
  fieldPolicies: { status: 'national-wins', handler: 'local-wins' },
  display: {
    titleField: 'dossierNumber',
    listFields: ['dossierNumber', 'applicantName', 'procedureCode', 'receivedAt', 'appointmentAt', 'status'],
    searchFields: ['dossierNumber', 'applicantName', 'applicantPersonalId', 'procedureCode', 'handler'],
  },
};

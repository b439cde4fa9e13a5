import type { RecordError } from '../../../sync-engine/src/protocol/push.js';

/**
 * The platform's own reasons for refusing a mutation (schema and rule errors
 * come from the shared validation module), each in English and Vietnamese:
 * the agent shows them to staff as they are.
 */
function reason(path: string, code: string, en: string, vi: string): RecordError {
  return { path, code, message: en, messages: { vi, en } };
}

export const rejection = {
  invalidMutation: (detail: string): RecordError =>
    reason('', 'invalid_mutation', `The change is not a well-formed mutation: ${detail}`, `Thay đổi không đúng định dạng: ${detail}`),
  unknownDataset: (name: string): RecordError =>
    reason('/dataset', 'unknown_dataset', `The platform has no dataset called ${name}.`, `Nền tảng không có tập dữ liệu ${name}.`),
  access: (dataset: string): RecordError =>
    reason('', 'access', `This office may only read ${dataset}.`, `Đơn vị này chỉ được xem tập dữ liệu ${dataset}.`),
  notFound: (): RecordError =>
    reason('', 'not_found', 'The record does not exist on the platform.', 'Bản ghi không tồn tại trên nền tảng.'),
  dataRequired: (): RecordError =>
    reason('/data', 'required', 'An upsert must carry the record data.', 'Thay đổi phải kèm dữ liệu của bản ghi.'),
  tooLarge: (limit: number): RecordError =>
    reason('/data', 'too_large', `The record data is larger than ${limit} bytes.`, `Dữ liệu bản ghi lớn hơn ${limit} byte.`),
  recordOutOfScope: (): RecordError =>
    reason('', 'scope', 'The record belongs to an area outside this office’s scope.', 'Bản ghi thuộc địa bàn ngoài phạm vi của đơn vị này.'),
  dataOutOfScope: (path: string): RecordError =>
    reason(path, 'scope', 'This office may not record data for that area.', 'Đơn vị này không được ghi dữ liệu cho địa bàn đó.'),
  unique: (field: string, value: string): RecordError =>
    reason(
      `/${field}`,
      'unique',
      `Another record already has ${field} ${value}: possibly the same person or business.`,
      `Đã có bản ghi khác mang ${field} ${value}: có thể trùng người hoặc hộ kinh doanh.`,
    ),
};

import type { DatasetDescriptor, LocalizedText } from '../../../sync-engine/src/protocol/catalog.js';
import type { RecordError } from '../../../sync-engine/src/protocol/push.js';
import { fieldTitles } from '../../../sync-engine/src/protocol/validation/index.js';

/**
 * The platform's own reasons for refusing a mutation (schema and rule errors
 * come from the shared validation module), each in English and Vietnamese:
 * the agent shows them to staff as they are, so a sentence names a dataset or
 * field by its title, never by its internal name (unless it has no title).
 */
function reason(path: string, code: string, en: string, vi: string): RecordError {
  return { path, code, message: en, messages: { vi, en } };
}

/** A dataset's titles, its name standing in for a missing one. */
function datasetTitles(descriptor: Pick<DatasetDescriptor, 'name' | 'title'>): LocalizedText {
  return { vi: descriptor.title.vi || descriptor.name, en: descriptor.title.en || descriptor.name };
}

export const rejection = {
  invalidMutation: (detail: string): RecordError =>
    reason('', 'invalid_mutation', `The change is not a well-formed mutation: ${detail}`, `Thay đổi không đúng định dạng: ${detail}`),
  /** The platform's catalog has no such dataset, hence no title: the name the agent sent is all there is. */
  unknownDataset: (name: string): RecordError =>
    reason('/dataset', 'unknown_dataset', `The platform has no dataset “${name}”.`, `Nền tảng không có bộ dữ liệu “${name}”.`),
  access: (descriptor: Pick<DatasetDescriptor, 'name' | 'title'>): RecordError => {
    const t = datasetTitles(descriptor);
    return reason('', 'access', `This office may only read the dataset “${t.en}”.`, `Đơn vị này chỉ được xem bộ dữ liệu “${t.vi}”, không được sửa.`);
  },
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
  unique: (descriptor: Pick<DatasetDescriptor, 'schema'>, field: string, value: string): RecordError => {
    const t = fieldTitles(descriptor, field);
    return reason(
      `/${field}`,
      'unique',
      `${t.en} “${value}” is already held by another record: possibly the same person or business.`,
      `${t.vi} “${value}” đã có ở một bản ghi khác: có thể trùng người hoặc hộ kinh doanh.`,
    );
  },
};

import type { DatasetDescriptor } from '../protocol/catalog.js';
import { FilterNotOffered, filterTerms, type RecordFilter } from '../records/record-filter.js';
import { ServiceRefusal } from './service-errors.js';

/**
 * Refuses (invalid_input) a Records filter the dataset's schema does not offer: a field without
 * `x-filter`, a value outside its list, a deadline filter on a dataset without `x-due`, in words.
 */
export function checkFilter(descriptor: DatasetDescriptor, filter: RecordFilter): void {
  try {
    filterTerms(descriptor, filter, 0);
  } catch (error) {
    if (!(error instanceof FilterNotOffered)) throw error;
    const offered = error.offered.join(', ');
    if (error.value !== null) {
      throw new ServiceRefusal('invalid_input', {
        vi: `"${error.value}" không phải một giá trị của trường ${error.field} trong ${error.dataset}. Các giá trị: ${offered}.`,
        en: `"${error.value}" is not a value of ${error.field} in ${error.dataset}. The values: ${offered}.`,
      });
    }
    const due = error.field === 'overdue' || error.field === 'today';
    throw new ServiceRefusal('invalid_input', {
      vi: due
        ? `${error.dataset} không có thời hạn để lọc hồ sơ trễ hẹn hay đến hạn hôm nay.`
        : `Không lọc được ${error.dataset} theo trường ${error.field}. ${offered ? `Lọc được theo: ${offered}.` : 'Bộ dữ liệu này không có trường nào để lọc.'}`,
      en: due
        ? `${error.dataset} has no deadline to filter overdue or due-today records by.`
        : `${error.dataset} cannot be filtered by ${error.field}. ${offered ? `It can be filtered by: ${offered}.` : 'This dataset has no field to filter by.'}`,
    });
  }
}

import type { SiteScope } from '../../../sync-engine/src/protocol/records.js';
import type { SiteView } from '../services/sites.js';
import type { Speak } from './language.js';

/** Past this many communes a scope is told by its first ones and the count. */
const SHOWN_COMMUNES = 10;

/** "province 19, communes 05500,05503" or "province 19, the whole province". */
export function scopeText(t: Speak, scope: SiteScope): string {
  const communes = scope.communeCodes ?? [];
  if (communes.length === 0) return t(`tỉnh ${scope.provinceCode}, cả tỉnh`, `province ${scope.provinceCode}, the whole province`);
  const shown = communes.slice(0, SHOWN_COMMUNES).join(',');
  const list = communes.length > SHOWN_COMMUNES ? `${shown},… (${communes.length})` : shown;
  return t(`tỉnh ${scope.provinceCode}, các xã ${list}`, `province ${scope.provinceCode}, communes ${list}`);
}

/**
 * What `sites scope` did, in one sentence: the scope before and after, and
 * what the site's agents do about it. It only said "now has scope version 3",
 * so a scope widened to a whole province (or moved to another one) by a
 * mistyped command passed unseen until the office had the records.
 */
export function scopeChangeText(t: Speak, before: SiteView, after: SiteView): string {
  if (after.scopeVersion === before.scopeVersion) {
    return t(
      `đơn vị ${after.code}: phạm vi không đổi (${scopeText(t, after.scope)}), vẫn là phiên bản ${after.scopeVersion}`,
      `site ${after.code}: scope unchanged (${scopeText(t, after.scope)}), still version ${after.scopeVersion}`,
    );
  }
  return t(
    `đơn vị ${after.code}: phạm vi phiên bản ${before.scopeVersion} → ${after.scopeVersion}, trước là ${scopeText(t, before.scope)}, nay là ${scopeText(t, after.scope)}; ` +
      `ở lần đồng bộ tới, các tác tử của đơn vị nhận các bản ghi phạm vi mới thêm vào và xóa khỏi máy các bản ghi nằm ngoài phạm vi mới (bản ghi còn thay đổi chưa gửi thì được giữ lại và đánh dấu)`,
    `site ${after.code}: scope version ${before.scopeVersion} → ${after.scopeVersion}, was ${scopeText(t, before.scope)}, now ${scopeText(t, after.scope)}; ` +
      `at their next sync its agents receive the records the new scope adds and remove from their computers the ones it leaves out (one with a change still to send is kept, marked)`,
  );
}

import type { PublishImpact } from '../services/dataset-versions.js';
import type { EpochImpact, PurgeImpact } from '../services/impact.js';
import { dateTime } from './date-time.js';
import { nounOf, type Speak } from './language.js';

/** A count as the operator reads it: 4.671 in Vietnamese, 4,671 in English. */
const count = (t: Speak, n: number) => n.toLocaleString(t('vi-VN', 'en-US'));

/** What `epoch new` will do, said before it asks (consent.ts) and by --dry-run. */
export function epochImpactText(t: Speak, e: EpochImpact): string {
  const n = (v: number) => count(t, v);
  const pending = e.agents.pending > 0 ? t(`; thêm ${n(e.agents.pending)} tác tử đang chờ duyệt`, `; ${n(e.agents.pending)} more pending approval`) : '';
  const held = e.liveRecords + e.tombstones;
  return [
    t(
      `epoch new không thể hoàn tác. Trên cơ sở dữ liệu này (head seq ${e.headSeq}, epoch ${e.epoch}; số epoch đã bắt đầu bằng "epoch new" trước đây: ${n(e.epochsBegun)}):`,
      `epoch new cannot be undone. On this database (head seq ${e.headSeq}, epoch ${e.epoch}; epochs begun by "epoch new" before: ${n(e.epochsBegun)}):`,
    ),
    t(
      `- mỗi tác tử tải lại toàn bộ các bộ dữ liệu của mình ở lần đồng bộ tới: ${n(e.agents.active)} tác tử được đồng bộ, ở ${n(e.agents.sitesWithActiveAgents)} trong ${n(e.sites)} đơn vị${pending}; ` +
        `nền tảng đang có ${n(e.liveRecords)} bản ghi (mỗi đơn vị tải các bản ghi trong phạm vi của mình)`,
      `- every agent downloads all its datasets again at its next sync: ${n(e.agents.active)} active agents, at ${n(e.agents.sitesWithActiveAgents)} of the ${n(e.sites)} ${nounOf(e.sites, 'site')}${pending}; ` +
        `the platform holds ${n(e.liveRecords)} ${nounOf(e.liveRecords, 'record')} (each office downloads those of its scope)`,
    ),
    t(
      `- thay đổi tiếp theo của mỗi bản ghi trong ${n(held)} bản ghi đang có (${n(e.liveRecords)} bản ghi, ${n(e.tombstones)} dấu xóa) bỏ qua ${n(e.revGap)} rev, vĩnh viễn`,
      `- the next change of each of the ${n(held)} ${nounOf(held, 'record')} held (${n(e.liveRecords)} ${nounOf(e.liveRecords, 'record')}, ${n(e.tombstones)} ${nounOf(e.tombstones, 'tombstone')}) skips ${n(e.revGap)} revs, for good`,
    ),
    e.headAt
      ? t(
          `- thời điểm head ${dateTime(e.headAt)} (thay đổi mới nhất đang có): tác tử tạo lại các bản ghi chúng đã ghi sau thời điểm đó`,
          `- head time ${dateTime(e.headAt)} (the newest change held): agents create again the records they wrote after it`,
        )
      : t('- không biết thời điểm head (chưa có bản ghi nào): tác tử không tạo lại bản ghi nào của mình', '- head time not known (no records held): agents create none of their records again'),
    t(
      'Chỉ cần sau khi khôi phục cơ sở dữ liệu từ một bản sao lưu, trước khi chạy serve (docs/operations.md 1.11).',
      'It is needed only after restoring the database from a backup, before serve runs (docs/operations.md 1.11).',
    ),
  ].join('\n');
}

/** What `purge --older-than DAYS` will do, said before it asks (consent.ts) and by --dry-run. */
export function purgeImpactText(t: Speak, days: string, p: PurgeImpact): string {
  const n = (v: number) => count(t, v);
  const { from, to } = p.purgeHorizonSeq;
  const moved = p.horizonAt !== null;
  const lines = [
    t(
      `purge --older-than ${days} không thể hoàn tác: nền tảng quên hẳn ${n(p.tombstones)} dấu xóa (tombstone) của những bản ghi đã xóa trước ${dateTime(p.cutoff)}; ` +
        (moved ? `mốc đã xóa hẳn từ seq ${from} lên seq ${to}.` : `mốc đã xóa hẳn vẫn là seq ${from}.`),
      `purge --older-than ${days} cannot be undone: the platform forgets the ${n(p.tombstones)} ${nounOf(p.tombstones, 'tombstone')} of records deleted before ${dateTime(p.cutoff)}; ` +
        (moved ? `the purge horizon moves from seq ${from} to seq ${to}.` : `the purge horizon stays at seq ${from}.`),
    ),
  ];
  if (p.horizonAt === null) {
    lines.push(t('- mốc đã xóa hẳn không đổi: không tác tử nào phải tải lại dữ liệu vì lần xóa hẳn này', '- the purge horizon does not move: no agent downloads its data again for this purge'));
  } else {
    const when = dateTime(p.horizonAt);
    lines.push(
      t(
        `- ít nhất ${n(p.agentsBehind)} trong ${n(p.agents.active)} tác tử được đồng bộ, ở ${n(p.sitesBehind)} đơn vị, liên lạc lần cuối trước ${when} (lúc xóa bản ghi mới nhất trong số này) hoặc chưa lần nào: ` +
          `ở lần đồng bộ tới chúng nhận 410 resync_required và tải lại toàn bộ các bộ dữ liệu của mình; một tác tử liên lạc sau đó cũng vậy nếu lần tải gần nhất của nó dừng trước mốc này`,
        `- at least ${n(p.agentsBehind)} of the ${n(p.agents.active)} active agents, at ${n(p.sitesBehind)} ${nounOf(p.sitesBehind, 'site')}, last seen before ${when} (when the newest of these records was deleted) or never: ` +
          `at their next sync they are answered 410 resync_required and download all their datasets again; so is an agent seen since whose last pull stopped before it`,
      ),
    );
  }
  return lines.join('\n');
}

/** What `datasets publish FILE` will do, said before it asks (consent.ts) and by --dry-run. */
export function publishImpactText(t: Speak, p: PublishImpact): string {
  const n = (v: number) => count(t, v);
  const lines = [
    t(
      `datasets publish không thể hoàn tác: ${p.dataset} phiên bản ${p.toVersion} thay phiên bản ${p.fromVersion} làm phiên bản hiện hành; không thể quay lại số phiên bản cũ (muốn trở lại lược đồ cũ thì công bố nó thành phiên bản ${p.toVersion + 1}).`,
      `datasets publish cannot be undone: ${p.dataset} version ${p.toVersion} replaces version ${p.fromVersion} as the version in force; a version number never goes back (to return to the old schema, publish it as version ${p.toVersion + 1}).`,
    ),
    t(
      `- ${n(p.activeAgents)} tác tử được đồng bộ, ở ${n(p.sites)} đơn vị, nhận phiên bản mới ở lần đồng bộ tới; từ lúc công bố, nền tảng xét mọi thay đổi gửi lên theo phiên bản mới, kể cả những thay đổi đã làm trước đó đang chờ gửi ở các đơn vị`,
      `- ${n(p.activeAgents)} active ${nounOf(p.activeAgents, 'agent')}, at ${n(p.sites)} ${nounOf(p.sites, 'site')}, take the new version at their next sync; from the moment it is published the platform judges every change pushed by it, changes made earlier and still waiting at an office included`,
    ),
  ];
  if (p.refused === 0) {
    lines.push(t(`- cả ${n(p.liveRecords)} bản ghi đang có của ${p.dataset} đều đạt phiên bản mới`, `- all ${n(p.liveRecords)} live ${nounOf(p.liveRecords, 'record')} of ${p.dataset} meet the new version`));
  } else {
    const reasons = p.reasons.map((r) => `${r.path || '(record)'} ${r.code}: ${n(r.count)}`).join(', ');
    lines.push(
      t(
        `- ${n(p.refused)} trong ${n(p.liveRecords)} bản ghi đang có của ${p.dataset} không đạt phiên bản mới (${reasons}; ví dụ ${p.examples.join(', ')}): chúng được giữ nguyên, nhưng một lần sửa bản ghi đó phải đạt phiên bản mới`,
        `- ${n(p.refused)} of the ${n(p.liveRecords)} live ${nounOf(p.liveRecords, 'record')} of ${p.dataset} do not meet the new version (${reasons}; e.g. ${p.examples.join(', ')}): they stay as they are, but an edit of one must meet the new version`,
      ),
    );
  }
  return lines.join('\n');
}

import { storedDigests } from '../../sync-engine/src/sync/index.js';
import type { Narrator } from './narrator.js';
import type { ScenarioFacts } from './scenario.js';
import { must, type DemoWorld } from './world.js';

export interface Verdict {
  converged: boolean;
  /** Why not, in both languages. */
  reasons: Array<{ vi: string; en: string }>;
}

/** The line the demo test looks for. */
export const CONVERGED_LINE = 'KẾT QUẢ: ĐÃ HỘI TỤ / RESULT: CONVERGED';

/**
 * The closing summary (counts, runs, digests) and the verdict: converged only
 * when every dataset's digest equals the platform's, the outbox is empty, no
 * conflict is open, and the story's records are on the platform as intended.
 */
export async function summarize(world: DemoWorld, facts: ScenarioFacts, say: Narrator): Promise<Verdict> {
  const { agent, platform } = world;
  const reasons: Verdict['reasons'] = [];
  const status = await must(agent, 'status.get', {});
  const datasets = await must(agent, 'datasets.list', {});
  const digests = await storedDigests(agent.store.sql);

  say.heading('Tổng kết', 'Summary');
  say.say('Bản ghi (máy này / nền tảng, trong phạm vi đơn vị):', 'Records (this computer / platform, in the office’s scope):');
  const rows = [['dataset', 'local', 'platform']];
  for (const d of datasets) {
    const national = await platform.admin.listRecords(d.name, d.scope === 'province' ? { province: '01' } : {});
    rows.push([d.name, String(d.records), String(national.length)]);
  }
  say.table(rows);

  say.say(`Các lần đồng bộ: ${facts.runs.length}`, `Sync runs: ${facts.runs.length}`);
  say.table([
    ['#', 'status', 'pushed', 'pulled', 'conflicts', 'rejected', 'error'],
    ...facts.runs.map((r) => [String(r.id), r.status, String(r.pushed), String(r.pulled), String(r.conflicts), String(r.rejected), r.error?.code ?? '']),
  ]);
  say.say(
    `Hàng đợi gửi: ${status.outbox.depth}; xung đột mở: ${status.openConflicts}; bị từ chối: ${status.rejected}. Kết nối: ${status.health.reason.vi}`,
    `Outbox: ${status.outbox.depth}; open conflicts: ${status.openConflicts}; rejected: ${status.rejected}. Connection: ${status.health.reason.en}`,
  );
  const audit = await must(agent, 'audit.verify', {});
  say.say(`Nhật ký kiểm toán: ${audit.ok ? 'nguyên vẹn' : 'BỊ SỬA'}, ${audit.events} sự kiện.`, `Audit log: ${audit.ok ? 'intact' : 'ALTERED'}, ${audit.events} events.`);

  say.say('Đối chiếu (XOR sha256(id:rev)):', 'Digests (XOR of sha256(id:rev)):');
  say.table([
    ['dataset', 'status', 'count', 'local digest', 'platform digest'],
    ...Object.entries(digests).map(([name, d]) => [name, d.status, `${d.localCount ?? '—'}/${d.platformCount ?? '—'}`, d.localDigest ?? '—', d.platformDigest ?? '—']),
  ]);

  for (const d of datasets) {
    const digest = digests[d.name];
    if (!digest || digest.status !== 'match' || digest.localDigest !== digest.platformDigest) {
      reasons.push({ vi: `Bộ dữ liệu ${d.name} chưa khớp (${digest?.status ?? 'chưa kiểm tra'}).`, en: `Dataset ${d.name} does not match (${digest?.status ?? 'not checked'}).` });
    }
  }
  if (status.outbox.depth > 0) reasons.push({ vi: `Còn ${status.outbox.depth} thay đổi chưa gửi.`, en: `${status.outbox.depth} changes are still waiting.` });
  if (status.openConflicts > 0) reasons.push({ vi: `Còn ${status.openConflicts} xung đột mở.`, en: `${status.openConflicts} conflicts are still open.` });
  if (!audit.ok) reasons.push({ vi: 'Nhật ký kiểm toán bị sửa.', en: 'The audit log was altered.' });
  for (const id of facts.createdOffline) {
    if (!(await platform.admin.getRecord('civil-status-births', id))) reasons.push({ vi: `Bản ghi tạo ngoại tuyến ${id} chưa lên nền tảng.`, en: `Offline record ${id} is not on the platform.` });
  }
  const merged = await platform.admin.getRecord('civil-status-births', facts.mergedId);
  if (merged?.data?.['registrar'] !== 'Phạm Quốc Trung' || !String(merged?.data?.['notes']).startsWith('Xã bổ sung')) {
    reasons.push({ vi: 'Bản ghi tự gộp không mang cả hai thay đổi.', en: 'The merged record does not carry both changes.' });
  }
  const settled = await platform.admin.getRecord('civil-status-births', facts.conflictRecordId);
  if (settled?.data?.['registrar'] !== 'Lê Thị Hoa') reasons.push({ vi: 'Lựa chọn của người dùng chưa lên nền tảng.', en: 'The person’s choice did not reach the platform.' });

  const converged = reasons.length === 0;
  say.plain('');
  if (converged) say.plain(CONVERGED_LINE);
  else {
    say.plain('KẾT QUẢ: CHƯA HỘI TỤ / RESULT: NOT CONVERGED');
    for (const r of reasons) say.say(`- ${r.vi}`, `- ${r.en}`);
  }
  return { converged, reasons };
}

import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import type { SyncRunView } from '../../sync-engine/src/index.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';
import { RECORD_STATE } from '../../sync-engine/src/cli/commands/records.js';
import { RUN_STATUS } from '../../sync-engine/src/cli/commands/sync.js';
import type { Narrator } from './narrator.js';
import { must, restartPlatform, stopPlatform, type DemoWorld } from './world.js';

const BIRTHS = 'civil-status-births';
const SITE = 'HN-HOAN-KIEM-DEMO';

/** What the scenario did, for the summary. */
export interface ScenarioFacts {
  seeded: Record<string, number>;
  agentId: string;
  runs: SyncRunView[];
  createdOffline: string[];
  mergedId: string;
  conflictId: string;
  conflictRecordId: string;
}

/**
 * The story the demo tells (PRODUCT.md): an office enrolls, syncs, keeps
 * working while the line is down, the national side edits the same records,
 * one edit merges by itself (different fields), one needs a person (same
 * field), the person settles it, and both sides end up identical.
 */
export async function runScenario(world: DemoWorld, say: Narrator): Promise<ScenarioFacts> {
  const { agent } = world;
  const runs: SyncRunView[] = [];
  const sync = async (): Promise<SyncRunView> => {
    const answer = await must(agent, 'sync.now', {});
    if (!answer.run) throw new Error('sync.now gave no run');
    runs.push(answer.run);
    return answer.run;
  };

  say.heading('Nền tảng quốc gia', 'National platform');
  const seeded = await world.platform.admin.seedDemo();
  say.plain(`${world.platform.url}  (SQLite: ${world.dbFile})`);
  say.say('Dữ liệu mẫu đã nạp:', 'Demo data loaded:');
  say.table(Object.entries(seeded.records).map(([dataset, n]) => [dataset, String(n)]));

  say.heading('Đăng ký tác tử', 'Enrolling the agent');
  await world.platform.admin.addSite({ code: SITE, name: 'UBND phường Hoàn Kiếm, Hà Nội (demo)', provinceCode: '01' });
  const token = await world.platform.admin.createToken({ site: SITE });
  await must(agent, 'settings.update', { platformUrl: world.platform.url, siteCode: SITE });
  const enrolled = await must(agent, 'enrollment.enroll', { token });
  say.say(`Đơn vị ${SITE} đã đăng ký bằng mã một lần; khoá riêng Ed25519 nằm trong ${world.agentDir}.`, `Site ${SITE} enrolled with a one-time token; its Ed25519 private key stays in ${world.agentDir}.`);
  say.plain(`agentId ${enrolled.agentId} (${enrolled.status})`);

  say.heading('Đồng bộ lần đầu', 'First sync');
  const first = await sync();
  say.say(`Đã nhận ${first.pulled} bản ghi trong phạm vi tỉnh 01.`, `Pulled ${first.pulled} records in province 01's scope.`);
  say.table((await must(agent, 'datasets.list', {})).map((d) => [d.name, d.access, String(d.records)]));

  const births = (await must(agent, 'records.list', { dataset: BIRTHS, limit: 2 })).items;
  const [a, b] = births;
  if (!a?.data || !b?.data) throw new Error('the demo needs two synced births');

  say.heading('Mất kết nối: làm việc ngoại tuyến', 'Line down: working offline');
  const newBirths = await freshBirths(world, 2);
  const port = await stopPlatform(world);
  const createdOffline: string[] = [];
  for (const data of newBirths) createdOffline.push((await must(agent, 'records.put', { dataset: BIRTHS, data })).id);
  await must(agent, 'records.put', { dataset: BIRTHS, id: a.id, data: { ...a.data, notes: 'Xã bổ sung: đã đối chiếu giấy chứng sinh' } });
  await must(agent, 'records.put', { dataset: BIRTHS, id: b.id, data: { ...b.data, registrar: 'Lê Thị Hoa' } });
  const offline = await sync();
  const status = await must(agent, 'status.get', {});
  say.say(
    `Tạo 2 bản ghi khai sinh và sửa 2 bản ghi khi nền tảng không liên lạc được. Lần đồng bộ: ${RUN_STATUS[offline.status][0]} (${offline.error?.code}).`,
    `Created 2 birth records and edited 2 while the platform was unreachable. Sync: ${RUN_STATUS[offline.status][1]} (${offline.error?.code}).`,
  );
  say.say(`Kết nối: ${status.health.reason.vi}`, `Connection: ${status.health.reason.en}`);
  say.say(`Hàng đợi gửi: ${status.outbox.depth} thay đổi, lưu an toàn trên máy.`, `Outbox: ${status.outbox.depth} changes, kept safely on this computer.`);

  say.heading('Nền tảng hoạt động lại; cấp quốc gia cũng sửa', 'Platform back; the national side edits too');
  await restartPlatform(world, port);
  const nationalA = await world.platform.admin.getRecord(BIRTHS, a.id);
  const nationalB = await world.platform.admin.getRecord(BIRTHS, b.id);
  if (!nationalA?.data || !nationalB?.data) throw new Error('the demo records are missing on the platform');
  await world.platform.admin.putRecord(BIRTHS, { ...nationalA.data, registrar: 'Phạm Quốc Trung' }, { id: a.id, baseRev: nationalA.rev });
  await world.platform.admin.putRecord(BIRTHS, { ...nationalB.data, registrar: 'Đỗ Minh Quân' }, { id: b.id, baseRev: nationalB.rev });
  say.say(
    `Bản ghi ${a.id}: xã sửa "ghi chú", quốc gia sửa "công chức hộ tịch" (khác trường).`,
    `Record ${a.id}: the office changed "notes", the nation changed "registrar" (different fields).`,
  );
  say.say(
    `Bản ghi ${b.id}: cả hai cùng sửa "công chức hộ tịch" khác nhau (cùng trường).`,
    `Record ${b.id}: both changed "registrar", differently (same field).`,
  );

  say.heading('Đồng bộ: tự gộp và xung đột', 'Sync: automatic merge and a conflict');
  const back = await sync();
  const open = await must(agent, 'conflicts.list', {});
  say.say(
    `Đã gửi ${back.pushed}, đã nhận ${back.pulled}, bị từ chối ${back.rejected}; xung đột cần người xử lý: ${open.total}.`,
    `Pushed ${back.pushed}, pulled ${back.pulled}, rejected ${back.rejected}; conflicts for a person: ${open.total}.`,
  );
  const merged = await must(agent, 'records.get', { dataset: BIRTHS, id: a.id });
  say.say(
    `Tự gộp ${a.id}: ghi chú = "${String(merged?.data?.['notes'])}", công chức = "${String(merged?.data?.['registrar'])}".`,
    `Merged ${a.id} by itself: notes = "${String(merged?.data?.['notes'])}", registrar = "${String(merged?.data?.['registrar'])}".`,
  );
  const [conflict] = open.items;
  if (!conflict) throw new Error('the same-field edit should have opened a conflict');
  // Named by its record, the one the story introduced above (the conflict's own id is another number).
  say.say(
    `Xung đột trên bản ghi ${conflict.recordId} (mã xung đột ${conflict.id}, loại ${conflict.kind}) cần người xử lý:`,
    `Conflict on record ${conflict.recordId} (conflict id ${conflict.id}, kind ${conflict.kind}) needs a person:`,
  );
  say.table([
    ['field', 'base', 'local', 'national'],
    ...conflict.fields.filter((f) => f.auto === null).map((f) => [f.field, String(f.base), String(f.local), String(f.national)]),
  ]);

  say.heading('Người dùng xử lý xung đột', 'A person settles the conflict');
  const settled = await must(agent, 'conflicts.resolve', { id: conflict.id, fields: { registrar: 'local' } });
  const [stateVi, stateEn] = settled.recordState === null ? ['—', '—'] : RECORD_STATE[settled.recordState];
  say.say(`Chọn giá trị của xã cho "registrar"; bản ghi: ${stateVi}.`, `Chose the office's value for "registrar"; the record is ${stateEn}.`);
  const after = await sync();
  await sync();
  say.say(`Đồng bộ lại: đã gửi ${after.pushed}, kết quả: ${RUN_STATUS[after.status][0]}.`, `Synced again: pushed ${after.pushed}, result: ${RUN_STATUS[after.status][1]}.`);

  return {
    seeded: seeded.records,
    agentId: enrolled.agentId,
    runs,
    createdOffline,
    mergedId: a.id,
    conflictId: conflict.id,
    conflictRecordId: b.id,
  };
}

/** New births whose personal IDs no record on the platform already has (else they would be possible duplicates). */
async function freshBirths(world: DemoWorld, count: number): Promise<RecordData[]> {
  const taken = new Set((await world.platform.admin.listRecords(BIRTHS, { includeDeleted: true })).map((r) => String(r.data?.['personalId'])));
  const generator = createSampleGenerator(987654);
  const out: RecordData[] = [];
  while (out.length < count) {
    const data = generator.sample(BIRTHS, '01');
    if (taken.has(String(data['personalId']))) continue;
    taken.add(String(data['personalId']));
    out.push(data);
  }
  return out;
}

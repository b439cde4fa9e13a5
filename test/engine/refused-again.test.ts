import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import type { ConflictResolution } from '../../sync-engine/src/conflicts/conflicts.js';
import type { MutationResult } from '../../sync-engine/src/protocol/push.js';
import type { LocalWriteRefused } from '../../sync-engine/src/records/write-errors.js';
import { validBirth } from '../datasets/fixtures.js';
import { refusal } from './support/refusal.js';
import { DS, refusingEnginePerTest } from './support/refusing-engine.js';

// A change the platform is certain to refuse is not queued again through any door: keeping this
// office's side of a conflict whose record left the office's scope, retrying a held-back change of
// such a record, and retrying or editing a record the platform answered it no longer holds
// (`not_found`). Each is refused before anything is written, saying in vi/en what is left to do
// (take the national version, discard the change); what was pending stays as it was.

const FULL_NAME = 'Đỗ Thị Thanh Hương';
const env = refusingEnginePerTest();
const { pull, sync, leaves } = env;
/** A national record this office has cached. */
const national = () => env.national(FULL_NAME);
/** Records whose change the platform rejects for a reason sending it again may mend (a rule checked on its side). */
const ruled = new Set<string>();
beforeEach(() => {
  ruled.clear();
  const apply = env.platform.onPush;
  env.platform.onPush = (mutations) =>
    mutations.flatMap((m): MutationResult[] =>
      ruled.has(m.id) ? [{ mutationId: m.mutationId, status: 'rejected', errors: [{ path: '/registrar', code: 'rule', message: 'registrar not on the roster yet' }] }] : apply([m]),
    );
});

/** What a refusal must leave untouched: the record, the outbox (mutation ids included), the conflicts, the audit log. */
async function everything(id: string) {
  return {
    record: await env.f.reads.get(DS, id),
    outbox: await env.f.outbox.list(),
    conflicts: await env.f.conflicts.list({ status: 'open' }),
    audit: await env.f.count('audit_log'),
  };
}

function assertSaid(error: LocalWriteRefused, code: LocalWriteRefused['code'], vi: RegExp, en: RegExp): void {
  assert.equal(error.code, code);
  assert.match(error.messages.vi, vi);
  assert.match(error.messages.en, en);
}

test('keeping this office\'s side of a conflict whose record left the scope is refused, whole, by field or typed; the national version is taken whole', async () => {
  // This office changed the registrar and the notes; the platform changed the registrar: a field conflict,
  // in which the notes (changed here only) would go up with any choice.
  const id = await national();
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, registrar: 'Lê Văn Bình', notes: 'xã ghi thêm' }), { id });
  env.platform.put(DS, id, 2, validBirth({ fullName: FULL_NAME, registrar: 'Hoàng Minh Đức' }));
  await pull();
  const [conflict] = await env.f.conflicts.list({ status: 'open' });
  assert.equal(conflict?.recordId, id);
  await leaves(id);
  const before = await everything(id);
  assert.equal(before.record?.state, 'conflict');

  const choices: ConflictResolution[] = [
    { kind: 'keep-local' },
    { kind: 'fields', choices: { registrar: { take: 'local' } } },
    { kind: 'fields', choices: { registrar: { value: 'Nguyễn Văn Tâm' } } },
    // The national registrar, but this office's notes would still go up.
    { kind: 'fields', choices: { registrar: { take: 'remote' } } },
    { kind: 'edit', data: validBirth({ fullName: FULL_NAME, registrar: 'Hoàng Minh Đức', notes: 'xã sửa tay' }) },
  ];
  for (const choice of choices) {
    assertSaid(
      await refusal(env.f.conflicts.resolve(conflict!.id, choice, { user: 'chị Lan' })),
      'left_scope',
      new RegExp(`Bản ghi ${id} không còn thuộc phạm vi của đơn vị này.*không giữ được bên đơn vị này.*Chưa có gì thay đổi; xung đột vẫn chờ giải quyết.*Hãy giữ bản quốc gia`, 's'),
      new RegExp(`Record ${id} is no longer in this office's scope.*this office's side cannot be kept.*Nothing was changed; the conflict still waits.*Keep the national version`, 's'),
    );
    assert.deepEqual(await everything(id), before, `nothing written for ${JSON.stringify(choice)}`);
  }

  // Taking the national version sends nothing of this office's change, the notes included: the record leaves.
  assert.equal(await env.f.conflicts.resolve(conflict!.id, { kind: 'take-remote' }, { user: 'chị Lan' }), 'adopted-remote');
  assert.equal(await env.f.reads.get(DS, id), null);
  assert.equal(await env.f.count('outbox'), 0, 'nothing queued for the platform to refuse');
});

test('a bulk take of this office\'s side leaves the conflict of a record that left the scope open, says why, and settles the others', async () => {
  const gone = await env.conflicted(FULL_NAME);
  const stays = await env.conflicted(FULL_NAME);
  await leaves(gone.id);
  const before = await env.f.reads.get(DS, gone.id);

  const results = await env.f.conflicts.resolveMany([gone.conflictId, stays.conflictId], { kind: 'keep-local' }, { user: 'chị Lan' });
  const [left, settled] = results;
  assert.equal(left?.ok, false);
  if (left?.ok === false) assert.equal((left.error as LocalWriteRefused).code, 'left_scope');
  assert.deepEqual(settled, { id: stays.conflictId, ok: true, outcome: 'queued' });
  assert.equal((await env.f.conflicts.get(gone.conflictId))?.status, 'open');
  assert.deepEqual(await env.f.reads.get(DS, gone.id), before, 'kept as it was, in its conflict');
  assert.deepEqual((await env.f.outbox.list()).map((e) => e.recordId), [stays.id], 'only the record in scope goes up');
});

test('retrying a held-back change of a record that left the scope is refused, and a retry of all leaves it held back and queues the others', async () => {
  const id = await national();
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa' }), { id });
  const other = await national();
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, registrar: 'Cán bộ mới' }), { id: other });
  ruled.add(other);
  await leaves(id);
  assert.equal((await sync()).rejected, 2);
  const [held] = (await env.f.outbox.list()).filter((e) => e.recordId === id);
  const before = await everything(id);

  assertSaid(
    await refusal(env.f.outbox.retry(held!.seq, 'chị Lan')),
    'left_scope',
    new RegExp(`Bản ghi ${id} không còn thuộc phạm vi của đơn vị này.*gửi lại cũng không được nhận.*Chưa có gì thay đổi; thay đổi vẫn bị giữ lại.*Hãy bỏ thay đổi này`, 's'),
    new RegExp(`Record ${id} is no longer in this office's scope.*sent again, this change would be refused again.*Nothing was changed; the change stays held back.*Discard it`, 's'),
  );
  assert.deepEqual(await everything(id), before, 'nothing written');

  ruled.delete(other);
  const outcome = await env.f.outbox.retry(undefined, 'chị Lan');
  assert.equal(outcome.retried, 1);
  assert.deepEqual(
    outcome.kept.map((k) => [k.seq, k.recordId, k.refusal.code]),
    [[held!.seq, id, 'left_scope']],
  );
  const after = await env.f.outbox.list();
  assert.deepEqual(after.find((e) => e.seq === held!.seq), held, 'still held back, under the same mutation id');
  assert.equal(after.find((e) => e.recordId === other)?.status, 'queued');
  assert.equal((await env.f.reads.get(DS, id))?.state, 'rejected');
  assert.equal((await sync()).rejected, 0, 'only the change the platform may accept went up');
  assert.equal((await env.f.reads.get(DS, other))?.state, 'synced');
});

test('a record the platform no longer holds takes no edit, delete or retry; its held-back changes stay for the person to discard', async () => {
  const edited = await national();
  await env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa' }), { id: edited });
  const deleted = await national();
  await env.f.writes.delete(DS, deleted);
  env.platform.purged.add(edited);
  env.platform.purged.add(deleted);
  assert.equal((await sync()).rejected, 2);
  const before = { edited: await everything(edited), deleted: await everything(deleted) };
  const seqOf = (id: string) => before.edited.outbox.find((e) => e.recordId === id)!.seq;

  const saysGone = (error: LocalWriteRefused, id: string, vi: RegExp, en: RegExp) =>
    assertSaid(error, 'not_on_platform', new RegExp(`Nền tảng quốc gia không còn giữ bản ghi ${id}.*${vi.source}`, 's'), new RegExp(`The national platform no longer holds record ${id}.*${en.source}`, 's'));
  const editWords = [/Chưa có gì thay đổi.*Hãy bỏ thay đổi đó ở hàng đợi gửi.*nhập lại thành bản ghi mới/, /Nothing was changed.*Discard that change in the outbox.*enter it again as a new record/] as const;
  saysGone(await refusal(env.f.writes.put(DS, validBirth({ fullName: FULL_NAME, notes: 'xã sửa lần 2' }), { id: edited, user: 'anh Minh' })), edited, ...editWords);
  saysGone(await refusal(env.f.writes.delete(DS, edited, { user: 'anh Minh' })), edited, ...editWords);
  // The record this office deleted: writing it again would be sent as an update of a record that does not exist there.
  saysGone(await refusal(env.f.writes.put(DS, validBirth({ fullName: FULL_NAME }), { id: deleted })), deleted, ...editWords);
  const retryWords = [/gửi lại thay đổi này cũng không được nhận.*thay đổi vẫn bị giữ lại.*Hãy bỏ thay đổi này/, /sent again, would be refused again.*the change stays held back.*Discard it/] as const;
  saysGone(await refusal(env.f.outbox.retry(seqOf(edited), 'anh Minh')), edited, ...retryWords);
  saysGone(await refusal(env.f.outbox.retry(seqOf(deleted), 'anh Minh')), deleted, ...retryWords);
  const all = await env.f.outbox.retry(undefined, 'anh Minh');
  assert.equal(all.retried, 0);
  assert.deepEqual(all.kept.map((k) => [k.recordId, k.refusal.code]), [
    [edited, 'not_on_platform'],
    [deleted, 'not_on_platform'],
  ]);
  assert.deepEqual({ edited: await everything(edited), deleted: await everything(deleted) }, before, 'nothing written: both changes held back as they were');

  // What is left to do: discard them; the records leave this computer, as the platform has them.
  await env.f.outbox.discard(seqOf(edited), 'anh Minh');
  await env.f.outbox.discard(seqOf(deleted), 'anh Minh');
  assert.equal(await env.f.reads.get(DS, edited), null);
  assert.equal(await env.f.count('outbox'), 0);
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startPlatform, type RunningPlatform } from '../../national-platform/src/index.js';
import { validBirth } from '../datasets/fixtures.js';
import { TestClock } from './support/engine-fixture.js';
import { enrolledAgent, type EnrolledAgent } from './support/enrolled-agent.js';

/**
 * End to end through real HTTP: two offices of Hà Nội and the reference
 * platform on a temporary SQLite file. Tests run in order and share state.
 */
const DS = 'civil-status-births';
const clock = new TestClock();
let dir: string;
let platform: RunningPlatform;
let a: EnrolledAgent;
let b: EnrolledAgent;
let serial = 0;
const birth = (overrides: Record<string, unknown> = {}) => validBirth({ personalId: `0013010${String(++serial).padStart(5, '0')}`, ...overrides });

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'platform-'));
  platform = await startPlatform({ db: join(dir, 'platform.sqlite'), rateLimit: false, now: () => new Date(clock.now()), log: () => undefined });
  await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
  await platform.admin.addSite({ code: 'HN-B', name: 'UBND phường B', provinceCode: '01' });
  a = await enrolledAgent(platform, 'HN-A', clock);
  b = await enrolledAgent(platform, 'HN-B', clock);
  assert.equal((await a.sync()).status, 'ok');
  assert.equal((await b.sync()).status, 'ok');
});

after(async () => {
  await a?.close();
  await b?.close();
  await platform?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the private key file is readable by its owner only', () => {
  if (process.platform === 'win32') return;
  assert.equal(statSync(join(a.dir, 'agent-key.pem')).mode & 0o777, 0o600);
});

test('a record created offline on one agent reaches the platform and the other agent', async () => {
  const { record } = await a.writes.put(DS, birth(), { user: 'chị Lan' });
  const pushed = await a.sync();
  assert.equal(pushed.status, 'ok');
  assert.equal(pushed.pushed, 1);
  assert.equal((await platform.admin.getRecord(DS, record.id))?.rev, 1);
  assert.equal((await a.reads.get(DS, record.id))?.state, 'synced');

  const pulled = await b.sync();
  assert.equal(pulled.pulled, 1);
  const copy = await b.reads.get(DS, record.id);
  assert.deepEqual(copy?.data, record.data);
  assert.equal(copy?.rev, 1);
  assert.equal(pulled.digests[DS]?.status, 'match');
});

test('the health probe answers without a signature and reads the platform clock', async () => {
  const probe = await a.client.health();
  assert.equal(probe.body.status, 'ok');
  assert.equal(probe.httpStatus, 200);
  assert.ok(Math.abs(probe.skewMs) < 5_000);
});

test('a push larger than 64 KB goes gzip-encoded and every record is applied once', async () => {
  for (let i = 0; i < 150; i += 1) await a.writes.put(DS, birth({ notes: `Hồ sơ số ${i}: ${'ghi chú dài '.repeat(60)}` }));
  const run = await a.sync();
  assert.equal(run.pushed, 150);
  assert.equal(run.status, 'ok');
  assert.equal((await a.outbox.stats()).queued, 0);
  assert.equal(run.digests[DS]?.status, 'match');
  assert.equal((await b.sync()).pulled, 150);
});

test('edits of different fields on both agents merge on their own and both converge', async () => {
  const { record } = await a.writes.put(DS, birth());
  await a.sync();
  await b.sync();
  await a.writes.put(DS, { ...record.data, fatherName: 'Nguyễn Văn Hải' }, { id: record.id });
  await b.writes.put(DS, { ...record.data, motherName: 'Đặng Thị Loan' }, { id: record.id });
  await a.sync();
  const bRun = await b.sync();
  assert.equal(bRun.autoMerged, 1);
  assert.equal(bRun.status, 'ok');
  await a.sync();
  const onA = await a.reads.get(DS, record.id);
  const onB = await b.reads.get(DS, record.id);
  assert.equal(onA?.data?.['fatherName'], 'Nguyễn Văn Hải');
  assert.equal(onA?.data?.['motherName'], 'Đặng Thị Loan');
  assert.deepEqual(onB?.data, onA?.data);
  assert.equal(onB?.rev, onA?.rev);
  assert.equal((await platform.admin.getRecord(DS, record.id))?.rev, 3);
});

test('edits of the same field become a conflict a person settles, then both converge', async () => {
  const { record } = await a.writes.put(DS, birth());
  await a.sync();
  await b.sync();
  await a.writes.put(DS, { ...record.data, registrar: 'Lê Văn Bình' }, { id: record.id });
  await b.writes.put(DS, { ...record.data, registrar: 'Hoàng Minh Đức' }, { id: record.id });
  await a.sync();
  const bRun = await b.sync();
  assert.equal(bRun.conflicts, 1);
  const [conflict] = await b.conflicts.list({ status: 'open', dataset: DS });
  assert.equal(conflict?.recordId, record.id);
  assert.deepEqual(conflict?.fields.map((x) => [x.field, x.local, x.remote]), [['registrar', 'Hoàng Minh Đức', 'Lê Văn Bình']]);
  assert.equal(bRun.digests[DS]?.status, 'pending');

  await b.conflicts.resolve(conflict!.id, { kind: 'fields', choices: { registrar: { take: 'local' } } }, { user: 'anh Tuấn' });
  const settled = await b.sync();
  assert.equal(settled.pushed, 1);
  await a.sync();
  assert.equal((await a.reads.get(DS, record.id))?.data?.['registrar'], 'Hoàng Minh Đức');
  assert.equal((await b.sync()).digests[DS]?.status, 'match');
  assert.equal((await a.audit.verify(a.store.sql)).ok, true);
  assert.equal((await b.audit.verify(b.store.sql)).ok, true);
});

test('the same person registered at two offices comes back as a possible duplicate', async () => {
  const first = await a.writes.put(DS, birth({ personalId: '001301099001' }));
  await a.sync();
  await b.sync();
  const second = await b.writes.put(DS, validBirth({ personalId: '001301099001', registrationNumber: '9/2025' }));
  const run = await b.sync();
  assert.equal(run.conflicts, 1);
  const [conflict] = await b.conflicts.list({ status: 'open' });
  assert.equal(conflict?.kind, 'possible-duplicate');
  assert.equal(conflict?.recordId, second.record.id);
  assert.equal(conflict?.existingId, first.record.id);
  assert.equal(conflict?.remote?.data?.['registrationNumber'], first.record.data?.['registrationNumber'], 'the other record was in the cache');
  await b.conflicts.resolve(conflict!.id, { kind: 'discard-local' });
  assert.equal(await b.reads.get(DS, second.record.id), null);
});

test('a change the platform refuses is quarantined, never blocks the rest, and can be retried', async () => {
  const refused = await b.writes.put(DS, birth());
  await platform.admin.setSiteAccess('HN-B', DS, 'read');
  const run = await b.sync();
  assert.equal(run.rejected, 1);
  const [entry] = await b.outbox.list({ status: 'quarantined' });
  assert.equal(entry?.recordId, refused.record.id);
  assert.equal(entry?.errors?.[0]?.code, 'access');
  assert.equal((await b.reads.get(DS, refused.record.id))?.state, 'rejected');

  await platform.admin.setSiteAccess('HN-B', DS, 'read-write');
  await b.sync(); // refreshes the catalog: the dataset is writable again
  const other = await b.writes.put(DS, birth());
  const next = await b.sync();
  assert.equal(next.pushed, 1, 'the new record went although the refused one still waits');
  assert.equal((await b.reads.get(DS, other.record.id))?.state, 'synced');
  assert.deepEqual(await b.outbox.retry(), { retried: 1, kept: [] });
  assert.equal((await b.sync()).pushed, 1);
  assert.equal((await b.reads.get(DS, refused.record.id))?.state, 'synced');
});

test('after the platform purges deletes, a stale agent resyncs from the beginning and converges', async () => {
  const doomed = await a.writes.put(DS, birth());
  await a.sync();
  await b.sync();
  const pending = await b.writes.put(DS, birth());
  await platform.admin.deleteRecord(DS, doomed.record.id);
  await a.sync();
  clock.advance(3_600_000);
  await platform.admin.purgeTombstones(60);
  const run = await b.sync();
  // The platform's purge horizon is one seq for all datasets: every stale cursor resyncs.
  assert.ok(run.resynced.includes(DS));
  assert.equal(await b.reads.get(DS, doomed.record.id), null);
  assert.equal((await b.reads.get(DS, pending.record.id))?.state, 'synced', 'the outbox survived and was pushed');
  assert.equal(run.digests[DS]?.status, 'match');
  assert.equal((await a.sync()).digests[DS]?.status, 'match');
});

test('the agent pushes batches as large as the platform advertises with its catalog: 600 records in one push, not 500 and 100', async () => {
  for (let i = 0; i < 600; i += 1) await a.writes.put(DS, birth());
  const sizes: number[] = [];
  const push = a.client.push.bind(a.client);
  a.client.push = (mutations) => (sizes.push(mutations.length), push(mutations));
  const run = await a.sync();
  assert.equal(run.status, 'ok');
  assert.equal(run.pushed, 600);
  assert.deepEqual(sizes, [600]);
  assert.equal(run.digests[DS]?.status, 'match');
});

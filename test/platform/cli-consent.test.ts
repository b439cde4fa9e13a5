import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPlatformAdmin, openPlatformStore } from '../../national-platform/src/index.js';
import type { CliIo } from '../../national-platform/src/cli/context.js';
import { dateTime } from '../../national-platform/src/cli/date-time.js';
import { runCli } from '../../national-platform/src/cli/program.js';
import type { EpochImpact, PurgeImpact } from '../../national-platform/src/services/impact.js';
import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import { enroll } from '../support/platform-client.js';
import { platformCli } from '../support/platform-cli.js';
import { describeOnEachStore, type TestPlatform } from '../support/platform-harness.js';

const DAY = 86_400;
const BIRTHS = 'civil-status-births';

/**
 * The operator CLI on a terminal: standard input is one, so `ask` answers the
 * question with the next of `answers` (null: Ctrl-C or Ctrl-D). It records
 * the questions asked.
 */
async function onTerminal(db: string, args: string[], answers: (string | null)[], lang: 'vi' | 'en' = 'en') {
  let out = '';
  let err = '';
  const asked: string[] = [];
  const io: CliIo = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readStdin: async () => '',
    stopSignal: () => new Promise(() => undefined),
    terminal: {
      ask: async (question) => {
        asked.push(question);
        err += question;
        return answers.shift() ?? null;
      },
    },
  };
  const code = await runCli(['--db', db, '--lang', lang, ...args], io);
  return { code, out, err, asked };
}

/** Reads the closed platform's database afresh: its state, and a record as stored (a tombstone included). */
async function stored(db: string, id?: string) {
  const store = await openPlatformStore(db);
  try {
    const admin = createPlatformAdmin({ store });
    const status = await admin.status();
    return { epoch: status.epoch, epochHeadSeqs: status.epochHeadSeqs, purgeHorizonSeq: status.purgeHorizonSeq, record: id ? await admin.getRecord(BIRTHS, id) : null };
  } finally {
    await store.close();
  }
}

/**
 * Three offices with active agents and one with an agent waiting for approval;
 * records, one deleted five days ago (a tombstone older than a day) and one deleted now.
 * HN-OLD synced ten days ago, HN-NOW after the old delete, HN-NEVER never; HN-GONE's agent is revoked.
 */
async function platformWithOffices(p: TestPlatform) {
  const gen = createSampleGenerator(91);
  p.clock.advance(-10 * DAY);
  const old = await p.agent('HN-OLD');
  assert.equal((await old.catalog()).status, 200);
  p.clock.advance(5 * DAY);
  const [doomed, kept, live] = await p.admin.putRecords(BIRTHS, [{ data: gen.birth('01') }, { data: gen.birth('01') }, { data: gen.birth('01') }]);
  await p.admin.deleteRecord(BIRTHS, doomed?.id ?? '');
  const doomedAt = (await p.admin.getRecord(BIRTHS, doomed?.id ?? ''))?.updatedAt ?? '';
  const doomedSeq = (await p.admin.status()).headSeq;
  p.clock.advance(5 * DAY);
  const now = await p.agent('HN-NOW');
  assert.equal((await now.catalog()).status, 200);
  await p.agent('HN-NEVER');
  const gone = await p.agent('HN-GONE');
  await p.admin.revokeAgent(gone.agentId);
  await p.admin.addSite({ code: 'HN-WAIT', name: 'Site HN-WAIT', provinceCode: '01', requireApproval: true });
  const waiting = await enroll(p.url, await p.admin.createToken({ site: 'HN-WAIT' }), 'HN-WAIT', 'agent of HN-WAIT', p.clock.seconds);
  assert.equal(waiting.res.body.status, 'pending');
  await p.admin.deleteRecord(BIRTHS, kept?.id ?? '');
  // serve writes the agents' last-seen times when it stops.
  await p.close();
  return { doomed: doomed?.id ?? '', doomedAt, doomedSeq, live: live?.id ?? '' };
}

describeOnEachStore('purge and epoch new say what they will do and ask first', (env) => {
  test('purge, off a terminal, refuses without --yes after saying what it forgets and which agents pull everything again; nothing changes; --dry-run changes nothing; --yes purges', async () => {
    const p = await env.start();
    const { doomed, doomedAt, doomedSeq } = await platformWithOffices(p);
    const before = await stored(p.db, doomed);
    assert.equal(before.record?.deleted, true);

    const refused = await platformCli(p.db, ['purge', '--older-than', '1']);
    assert.equal(refused.code, 1);
    assert.equal(refused.out, '');
    const lines = refused.err.split('\n');
    assert.match(lines[0] ?? '', new RegExp(`^purge --older-than 1 cannot be undone: the platform forgets the 1 tombstone of records deleted before \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d; the purge horizon moves from seq 0 to seq ${doomedSeq}\\.$`));
    assert.equal(
      lines[1],
      `- at least 2 of the 3 active agents, at 2 sites, last seen before ${dateTime(doomedAt)} (when the newest of these records was deleted) or never: ` +
        'at their next sync they are answered 410 resync_required and download all their datasets again; so is an agent seen since whose last pull stopped before it',
    );
    assert.equal(
      lines[2],
      'error: nothing was changed: this cannot be undone, and it is not run on a terminal that could ask for confirmation; read what it will do (above), then run it again with --yes',
    );
    assert.deepEqual(await stored(p.db, doomed), before, 'the tombstone and the purge horizon are as they were');

    const dry = await platformCli(p.db, ['purge', '--older-than', '1', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.err);
    const impact = JSON.parse(dry.out) as PurgeImpact;
    assert.deepEqual(
      { tombstones: impact.tombstones, horizon: impact.purgeHorizonSeq, horizonAt: impact.horizonAt, agents: impact.agents, behind: impact.agentsBehind, sites: impact.sitesBehind },
      { tombstones: 1, horizon: { from: 0, to: doomedSeq }, horizonAt: doomedAt, agents: { active: 3, pending: 1, sitesWithActiveAgents: 3 }, behind: 2, sites: 2 },
    );
    const dryText = await platformCli(p.db, ['purge', '--older-than', '1', '--dry-run']);
    assert.equal(dryText.code, 0, dryText.err);
    assert.match(dryText.out, /^purge --older-than 1 cannot be undone: .*\n- at least 2 of the 3 active agents.*\n\(--dry-run: nothing was changed\)\n$/);
    assert.deepEqual(await stored(p.db, doomed), before);

    const done = await platformCli(p.db, ['purge', '--older-than', '1', '--yes', '--json']);
    assert.equal(done.code, 0, done.err);
    assert.deepEqual(JSON.parse(done.out), { purgedTombstones: 1, purgeHorizonSeq: doomedSeq });
    assert.equal(done.err, '', '--yes acts as before, without the summary');
    const after = await stored(p.db, doomed);
    assert.equal(after.record, null);
    assert.equal(after.purgeHorizonSeq, doomedSeq);

    // Nothing left older than a day: a script is still refused without --yes (a scheduled purge fails on its
    // first run, not on its first busy week), and runs with it.
    const idleRefused = await platformCli(p.db, ['purge', '--older-than', '1']);
    assert.equal(idleRefused.code, 1, idleRefused.err);
    assert.match(idleRefused.err, /run it again with --yes/);
    const idle = await platformCli(p.db, ['purge', '--older-than', '1', '--yes']);
    assert.equal(idle.code, 0, idle.err);
    assert.equal(idle.out, `purged 0 tombstones; purge horizon is seq ${doomedSeq}\n`);
  });

  test('purge on a terminal asks for "purge": another answer, or none, cancels and changes nothing; "purge" purges', async () => {
    const p = await env.start();
    const { doomed, doomedSeq } = await platformWithOffices(p);
    const before = await stored(p.db, doomed);
    for (const answer of ['y', 'yes', null]) {
      const res = await onTerminal(p.db, ['purge', '--older-than', '1'], [answer]);
      assert.equal(res.code, 1);
      assert.deepEqual(res.asked, ['Type "purge" to go on (anything else cancels): ']);
      assert.match(res.err, /^purge --older-than 1 cannot be undone: [^\n]*\n- at least 2 of the 3 active agents/);
      assert.ok(res.err.endsWith('error: cancelled, nothing was changed (it takes "purge", typed exactly)\n'), res.err);
      assert.equal(res.out, '');
      assert.deepEqual(await stored(p.db, doomed), before, `answered ${answer}`);
    }
    const yes = await onTerminal(p.db, ['purge', '--older-than', '1'], ['purge']);
    assert.equal(yes.code, 0, yes.err);
    assert.equal(yes.out, `purged 1 tombstone; purge horizon is seq ${doomedSeq}\n`);
    assert.equal((await stored(p.db, doomed)).record, null);
    const vi = await onTerminal(p.db, ['purge', '--older-than', '0'], ['không'], 'vi');
    assert.equal(vi.code, 1);
    assert.deepEqual(vi.asked, ['Gõ "purge" để tiếp tục (gõ gì khác là hủy): ']);
    assert.match(vi.err, /^purge --older-than 0 không thể hoàn tác: nền tảng quên hẳn 1 dấu xóa \(tombstone\)/);
    assert.ok(vi.err.endsWith('lỗi: đã hủy, không có gì bị thay đổi (cần gõ đúng "purge")\n'), vi.err);
  });

  test('epoch new, off a terminal, refuses without --yes after saying how many sites, agents and records it touches; nothing changes; --yes starts the epoch', async () => {
    const p = await env.start();
    await platformWithOffices(p);
    const before = await stored(p.db);
    const { headSeq } = await (async () => {
      const s = await platformCli(p.db, ['status', '--json']);
      return JSON.parse(s.out) as { headSeq: number };
    })();

    const refused = await platformCli(p.db, ['epoch', 'new'], '', null);
    assert.equal(refused.code, 1);
    assert.equal(refused.out, '');
    const lines = refused.err.split('\n');
    assert.equal(lines[0], `epoch new không thể hoàn tác. Trên cơ sở dữ liệu này (head seq ${headSeq}, epoch ${before.epoch}; số epoch đã bắt đầu bằng "epoch new" trước đây: 0):`);
    assert.equal(
      lines[1],
      '- mỗi tác tử tải lại toàn bộ các bộ dữ liệu của mình ở lần đồng bộ tới: 3 tác tử được đồng bộ, ở 3 trong 5 đơn vị; thêm 1 tác tử đang chờ duyệt; ' +
        'nền tảng đang có 1 bản ghi (mỗi đơn vị tải các bản ghi trong phạm vi của mình)',
    );
    assert.equal(lines[2], '- thay đổi tiếp theo của mỗi bản ghi trong 3 bản ghi đang có (1 bản ghi, 2 dấu xóa) bỏ qua 1.000.000 rev, vĩnh viễn');
    assert.match(lines[3] ?? '', /^- thời điểm head \d\d\/\d\d\/\d{4} \d\d:\d\d \(thay đổi mới nhất đang có\)/);
    assert.equal(
      lines[5],
      'lỗi: không có gì bị thay đổi: lệnh này không thể hoàn tác và không chạy trên một terminal để hỏi xác nhận; hãy đọc những gì nó sẽ làm (ở trên), rồi chạy lại với --yes',
    );
    assert.deepEqual(await stored(p.db), before, 'the epoch is the same, no epoch head added');

    const dry = await platformCli(p.db, ['epoch', 'new', '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.err);
    const impact = JSON.parse(dry.out) as EpochImpact;
    assert.deepEqual(
      { ...impact, headAt: typeof impact.headAt },
      {
        epoch: before.epoch,
        headSeq,
        headAt: 'string',
        sites: 5,
        agents: { active: 3, pending: 1, sitesWithActiveAgents: 3 },
        liveRecords: 1,
        tombstones: 2,
        revGap: 1_000_000,
        epochsBegun: 0,
      },
    );
    assert.deepEqual(await stored(p.db), before);

    const done = await platformCli(p.db, ['epoch', 'new', '--yes']);
    assert.equal(done.code, 0, done.err);
    assert.equal(done.err, '');
    const after = await stored(p.db);
    assert.notEqual(after.epoch, before.epoch);
    assert.deepEqual(after.epochHeadSeqs, [headSeq]);
    assert.match(done.out, new RegExp(`^epoch ${after.epoch} started at head seq ${headSeq} \\(was ${before.epoch}\\)`));
  });

  test('epoch new on a terminal asks for "epoch new": "y" or Ctrl-D cancels and changes nothing; "epoch new" starts the epoch', async () => {
    const p = await env.start();
    await platformWithOffices(p);
    const before = await stored(p.db);
    for (const answer of ['y', 'epoch', null]) {
      const res = await onTerminal(p.db, ['epoch', 'new'], [answer]);
      assert.equal(res.code, 1);
      assert.deepEqual(res.asked, ['Type "epoch new" to go on (anything else cancels): ']);
      assert.match(res.err, /^epoch new cannot be undone\. [^\n]*\n- every agent downloads all its datasets again at its next sync: 3 active agents, at 3 of the 5 sites; 1 more pending approval;/);
      assert.ok(res.err.endsWith('error: cancelled, nothing was changed (it takes "epoch new", typed exactly)\n'), res.err);
      assert.deepEqual(await stored(p.db), before, `answered ${answer}`);
    }
    const yes = await onTerminal(p.db, ['epoch', 'new', '--json'], [' epoch new ']);
    assert.equal(yes.code, 0, yes.err);
    const after = await stored(p.db);
    assert.equal((JSON.parse(yes.out) as { epoch: string }).epoch, after.epoch, 'stdout holds only the JSON: the summary and the question went to stderr');
    assert.notEqual(after.epoch, before.epoch);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CommandOutput } from '../../sync-engine/src/api/contract.js';
import { createAgentService, type AgentService } from '../../sync-engine/src/service/agent-service.js';
import type { ServiceCore } from '../../sync-engine/src/service/service-core.js';
import { holdWrite } from '../support/hold-write.js';
import { digests, enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { fieldConflicts, pulledRecords } from './support/national-changes.js';

const DATASET = 'civil-status-births';

/** Every page of a take of the counted field conflicts for the national version, two conflicts a page, as the window asks them. */
async function takeNationalInPagesOfTwo(agent: AgentService, through: number): Promise<CommandOutput<'conflicts.resolveMatching'>[]> {
  const pages: CommandOutput<'conflicts.resolveMatching'>[] = [];
  let after: string | undefined;
  do {
    const page = await ok(agent, 'conflicts.resolveMatching', { dataset: DATASET, kind: 'fields', take: 'national', through, limit: 2, ...(after ? { after } : {}) });
    pages.push(page);
    after = page.next ?? undefined;
  } while (after !== undefined);
  return pages;
}

/**
 * A take of every conflict a filter holds, through the AgentApi against the reference platform: counted by
 * conflicts.matching, settled a page at a time by conflicts.resolveMatching, none settled on a national version
 * newer than the count; the platform and the office then agree.
 */
describe('a take of every conflict a filter holds (conflicts.matching, conflicts.resolveMatching)', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('five alike conflicts counted, one refreshed by a newer national version after the count: four settled in pages of two, that one left open and said in vi/en; the office and the platform agree', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const generator = samples(83);
    const puts = [];
    for (let i = 0; i < 5; i++) puts.push(await env.p.platform.admin.putRecord(DATASET, generator.sample(DATASET, '01')));
    await syncOk(agent);
    const live = await platformLive(env.p, DATASET);
    for (const put of puts) {
      const data = live.get(put.id)!.data!;
      await ok(agent, 'records.put', { dataset: DATASET, id: put.id, data: { ...data, registrar: 'Cán bộ xã' } });
      await env.p.platform.admin.putRecord(DATASET, { ...data, registrar: 'Cán bộ quốc gia' }, { id: put.id, baseRev: put.rev });
    }
    await syncOk(agent);

    const counted = await ok(agent, 'conflicts.matching', { dataset: DATASET, kind: 'fields' });
    assert.deepEqual({ ...counted, through: 0 }, { total: 5, bulkable: 5, leftScope: 0, duplicates: 0, through: 0 });
    // A newer national version of one of them comes with a sync after the count.
    const refreshedId = puts[2]!.id;
    const current = (await platformLive(env.p, DATASET)).get(refreshedId)!;
    await env.p.platform.admin.putRecord(DATASET, { ...current.data!, registrar: 'Cán bộ quốc gia mới' }, { id: refreshedId, baseRev: current.rev });
    await syncOk(agent);
    const refreshed = (await ok(agent, 'conflicts.list', { dataset: DATASET })).items.find((c) => c.recordId === refreshedId)!;

    const pages = await takeNationalInPagesOfTwo(agent, counted.through);
    assert.equal(pages.length, 3, 'four counted conflicts in pages of two, the last page empty of them');
    assert.equal(pages.reduce((n, p) => n + p.resolved, 0), 4);
    const changed = pages.flatMap((p) => p.changed);
    assert.deepEqual(changed.map((c) => c.id), [refreshed.id]);
    assert.match(changed[0]!.messages.vi, /\S/);
    assert.match(changed[0]!.messages.en, /\S/);
    assert.equal(pages.at(-1)!.newSince, 0);
    assert.deepEqual((await ok(agent, 'conflicts.list', {})).items.map((c) => c.id), [refreshed.id], 'only the refreshed one is open');

    // Settled on the version now shown, it goes too; every record is then the platform's, and the digests match.
    await ok(agent, 'conflicts.resolve', { id: refreshed.id, take: 'national', version: refreshed.version });
    await syncOk(agent);
    const settled = await platformLive(env.p, DATASET);
    for (const put of puts) {
      const local = (await ok(agent, 'records.get', { dataset: DATASET, id: put.id }))?.data;
      assert.deepEqual(local, settled.get(put.id)?.data);
    }
    assert.equal(settled.get(refreshedId)?.data?.['registrar'], 'Cán bộ quốc gia mới');
    assert.equal((await digests(agent))[DATASET], 'match');
    await agent.close();
  });

  test('a counted edit/edit conflict the national side turns into a delete conflict after the count (out of a kind filter) is left open and named, in vi/en, as no longer matching the filter', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(89);
    const records = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);
    await fieldConflicts(agent, env.p, DATASET, records);
    const counted = await ok(agent, 'conflicts.matching', { dataset: DATASET, kind: 'fields' });
    assert.equal(counted.bulkable, 3);
    // After the count, the platform deletes one of the records this office edited: its conflict is now a delete conflict.
    const deletedId = records[1].id;
    await env.p.platform.admin.deleteRecord(DATASET, deletedId);
    await syncOk(agent);
    const now = (await ok(agent, 'conflicts.list', { dataset: DATASET })).items.find((c) => c.recordId === deletedId)!;
    assert.equal(now.kind, 'delete-vs-edit');

    const page = await ok(agent, 'conflicts.resolveMatching', { dataset: DATASET, kind: 'fields', take: 'national', through: counted.through });
    assert.deepEqual([page.resolved, page.next], [2, null]);
    assert.deepEqual(page.changed.map((c) => c.id), [now.id], 'named, though the filter no longer holds it');
    assert.match(page.changed[0]!.messages.vi, /thay đổi sau khi đếm, và xung đột nay không còn khớp bộ lọc/);
    assert.match(page.changed[0]!.messages.en, /changed after the count, and the conflict no longer matches the filter/);
    assert.deepEqual((await ok(agent, 'conflicts.list', {})).items.map((c) => c.id), [now.id], 'left open');
    await agent.close();
  });

  test('a counted conflict a newer national version refreshes between its page\'s read and its settling is named once, by the words of the last page: in the filter, or out of it', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const gen = samples(91);
    const records = await pulledRecords(agent, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01'), gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);
    await fieldConflicts(agent, env.p, DATASET, records);
    const counted = await ok(agent, 'conflicts.matching', { dataset: DATASET, kind: 'fields' });
    assert.equal(counted.bulkable, 4);
    const byRecord = new Map((await ok(agent, 'conflicts.list', { dataset: DATASET })).items.map((c) => [c.recordId, c.id]));
    const ids = [...byRecord.values()].sort();
    const [first, second] = [ids[0], ids[2]];
    const recordOf = (conflictId: string) => records.find((r) => byRecord.get(r.id) === conflictId)!.id;
    // Each page has read its conflicts when the national side changes: the first page's first conflict gets a newer
    // national version (still a field conflict), the second page's first is deleted nationally (now a delete conflict).
    const conflicts = (agent as unknown as { core: ServiceCore }).core.conflicts;
    const resolveMany = conflicts.resolveMany.bind(conflicts);
    let pageRead = 0;
    conflicts.resolveMany = async (ids, resolution, options) => {
      pageRead += 1;
      const recordId = recordOf(pageRead === 1 ? first! : second!);
      if (pageRead === 1) {
        const current = (await platformLive(env.p, DATASET)).get(recordId)!;
        await env.p.platform.admin.putRecord(DATASET, { ...current.data!, registrar: 'Cán bộ quốc gia mới' }, { id: recordId, baseRev: current.rev });
      } else {
        await env.p.platform.admin.deleteRecord(DATASET, recordId);
      }
      await syncOk(agent);
      return resolveMany(ids, resolution, options);
    };

    const pages = await takeNationalInPagesOfTwo(agent, counted.through);
    assert.equal(pageRead, 2, 'two pages of two read');
    assert.equal(pages.reduce((n, p) => n + p.resolved, 0), 2);
    // As the window and the CLI gather them: every page's changed ones, one after another.
    const changed = pages.flatMap((p) => p.changed);
    assert.deepEqual(changed.map((c) => c.id), [first, second], 'each left open named once');
    assert.doesNotMatch(changed[0]!.messages.en, /no longer matches the filter/);
    assert.match(changed[1]!.messages.vi, /xung đột nay không còn khớp bộ lọc/);
    assert.match(changed[1]!.messages.en, /no longer matches the filter/);
    assert.deepEqual((await ok(agent, 'conflicts.list', {})).items.map((c) => c.id).sort(), [first, second], 'both left open');
    await agent.close();
  });

  test('a take that meets the data file busy stops there: the page left open and said busy, the counted ones past it not tried and counted, nothing settled', async () => {
    const { agent: window, dataDir } = await enrolledAgent(temp, env.p);
    await window.start({ background: true, syncAtStart: false });
    const gen = samples(87);
    const records = await pulledRecords(window, env.p, DATASET, [gen.sample(DATASET, '01'), gen.sample(DATASET, '01'), gen.sample(DATASET, '01')]);
    await fieldConflicts(window, env.p, DATASET, records);
    const beside = await createAgentService({ dataDir, onError: () => undefined });
    try {
      await beside.start({ background: false });
      const counted = await ok(beside, 'conflicts.matching', { dataset: DATASET });
      assert.equal(counted.bulkable, 3);
      const write = await holdWrite(window.store, 'busy-take-matching');
      let page;
      try {
        page = await ok(beside, 'conflicts.resolveMatching', { dataset: DATASET, take: 'national', through: counted.through, limit: 2 });
      } finally {
        await write.release();
      }
      assert.deepEqual([page.resolved, page.busy.length, page.notTried, page.next], [0, 2, 1, null]);
      assert.match(page.busy[0]!.messages.vi, /đang được một chương trình khác của tác tử dùng/);
      assert.equal((await ok(beside, 'conflicts.list', {})).total, 3, 'all three still open');
      // Once the folder is free, the same take from the start settles them all.
      const again = await ok(beside, 'conflicts.resolveMatching', { dataset: DATASET, take: 'national', through: counted.through });
      assert.deepEqual([again.resolved, again.next, again.notTried], [3, null, 0]);
    } finally {
      await beside.close();
      await window.close();
    }
  });
});

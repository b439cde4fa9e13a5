import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { fieldConflicts, pulledRecords } from './support/national-changes.js';

const DATASET = 'civil-status-births';

// The conflict screen's history of settled conflicts reads conflicts.list { status: 'resolved' }: each says
// when it was settled, by whom (the person the caller names, as the audit log does), which choice, and what
// it did; one the national side caught up with settles by itself, said 'auto' with nobody named. An open
// conflict has no `settled`.
describe('a settled conflict says who settled it, when and how', () => {
  const env = platformPerSuite();
  const { temp } = env;

  test('conflicts.list { status: resolved } gives each one\'s time, person, choice and outcome', async () => {
    // Each decision half a minute after the one before (well within the platform's 5 minutes of clock skew).
    let later = 0;
    const { agent } = await enrolledAgent(temp, env.p, { service: { now: () => Date.now() + later } });
    const gen = samples(91);
    const national = await pulledRecords(agent, env.p, DATASET, Array.from({ length: 4 }, () => gen.sample(DATASET, '01')));
    const written = await fieldConflicts(agent, env.p, DATASET, national);
    const open = new Map((await ok(agent, 'conflicts.list', {})).items.map((c) => [c.recordId, c]));
    assert.equal(open.size, 4);
    assert.deepEqual([...open.values()].map((c) => c.settled), [null, null, null, null], 'an open conflict is not settled');
    const [mine, bulk, fields, caught] = national.map((r) => open.get(r.id)!);

    // Settled in another order than they were opened (mine, bulk, fields, caught).
    const person = { user: 'Nguyễn Thị Lan' };
    const picks = Object.fromEntries(fields!.fields.filter((f) => f.auto === null).map((f) => [f.field, 'national' as const]));
    later += 30_000;
    assert.ok((await agent.call('conflicts.resolve', { id: fields!.id, fields: picks }, person)).ok);
    later += 30_000;
    const one = await agent.call('conflicts.resolve', { id: mine!.id, take: 'local', version: mine!.version }, person);
    assert.ok(one.ok);
    later += 30_000;
    const many = await agent.call('conflicts.resolveMany', { ids: [bulk!.id], take: 'national' }, { user: 'Trần Văn Hùng' });
    assert.ok(many.ok);
    // The national side takes this office's value: the next sync settles it by itself.
    const last = national[3]!;
    await env.p.platform.admin.putRecord(DATASET, { ...last.data, registrar: 'Cán bộ xã' }, { id: last.id, baseRev: written[3]!.rev });
    later += 30_000;
    await syncOk(agent);

    const page = await ok(agent, 'conflicts.list', { status: 'resolved' });
    assert.equal(page.total, 4);
    assert.deepEqual(
      page.items.map((c) => c.recordId),
      [caught, bulk, mine, fields].map((c) => c!.recordId),
      'the last settled first, not in the order they were opened',
    );
    const [second] = (await ok(agent, 'conflicts.list', { status: 'resolved', offset: 1, limit: 1 })).items;
    assert.equal(second?.recordId, bulk!.recordId, 'paged in the same order');
    const settled = new Map(page.items.map((c) => [c.recordId, c.settled]));
    for (const s of settled.values()) assert.ok(s && !Number.isNaN(Date.parse(s.at)), JSON.stringify(s));
    const shape = (id: string) => {
      const s = settled.get(id)!;
      return { by: s.by, choice: s.choice, outcome: s.outcome };
    };
    assert.deepEqual(shape(mine!.recordId), { by: 'Nguyễn Thị Lan', choice: 'local', outcome: 'queued' });
    assert.deepEqual(shape(bulk!.recordId), { by: 'Trần Văn Hùng', choice: 'national', outcome: 'adopted-remote' });
    assert.deepEqual(shape(fields!.recordId), { by: 'Nguyễn Thị Lan', choice: 'fields', outcome: 'adopted-remote' });
    assert.deepEqual(shape(caught!.recordId), { by: null, choice: 'auto', outcome: null });
    assert.equal((await ok(agent, 'conflicts.get', { id: mine!.id }))?.settled?.by, 'Nguyễn Thị Lan');
    await agent.close();
  });
});

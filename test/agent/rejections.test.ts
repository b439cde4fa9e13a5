import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';
import { parseProblem } from '../support/cli-parse.js';
import { addSite, digests, enrolledAgent, ok, platformLive, platformPerSuite, samples, syncOk } from './support/agent-fixture.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'civil-status-births';

describe('what the platform refuses', () => {
  const env = platformPerSuite();
  const { temp } = env;

  /** Office A enters a person, office B another person under the same personal ID; both sync, A first. */
  async function twoOfficesOnePersonalId(seed: number) {
    const a = await enrolledAgent(temp, env.p);
    const b = await enrolledAgent(temp, env.p);
    const gen = samples(seed);
    const person = gen.sample(DATASET, '01');
    const other = { ...gen.sample(DATASET, '01'), personalId: person['personalId'], birthDate: person['birthDate'], gender: person['gender'] };
    const first = await ok(a.agent, 'records.put', { dataset: DATASET, data: person });
    const second = await ok(b.agent, 'records.put', { dataset: DATASET, data: other });
    await syncOk(a.agent);
    const run = await syncOk(b.agent);
    return { a, b, person, other, first, second, run };
  }

  test('the same personal ID entered at two offices comes back to the second as a possible duplicate', async () => {
    const { a, b, person, first, second, run } = await twoOfficesOnePersonalId(31);
    assert.equal(run.status, 'conflicts');
    const [conflict] = (await ok(b.agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'possible-duplicate');
    assert.equal(conflict?.recordId, second.id);
    assert.equal(conflict?.existing?.id, first.id);
    assert.deepEqual(conflict?.fields.map((f) => f.field), ['personalId']);

    // The same person: this office drops its copy and keeps the national one.
    await ok(b.agent, 'conflicts.resolve', { id: conflict!.id, duplicate: 'discard-local' });
    await syncOk(b.agent);
    const national = await platformLive(env.p, DATASET);
    assert.ok(national.has(first.id));
    assert.equal(national.has(second.id), false);
    assert.equal([...national.values()].filter((r) => r.data?.['personalId'] === person['personalId']).length, 1, 'no duplicate on the platform');
    assert.equal(await ok(b.agent, 'records.get', { dataset: DATASET, id: second.id }), null);
    assert.equal((await digests(b.agent))[DATASET], 'match');
    await a.agent.close();
    await b.agent.close();
  });

  test('`conflicts show` of a possible duplicate lists its three ways out, each a command the CLI accepts', async () => {
    const { a, b } = await twoOfficesOnePersonalId(37);
    const [conflict] = (await ok(b.agent, 'conflicts.list', {})).items;
    await a.agent.close();
    await b.agent.close();
    const vi = await cli(b.dataDir, ['conflicts', 'show', conflict!.id]);
    assert.equal(vi.code, 0, vi.stderr);
    // The folder is not the default one: each command names it, so it can be copied as printed.
    assert.match(vi.stdout, /cùng một người \(bỏ bản ghi của đơn vị này\): +edge-agent --home \S+ conflicts resolve \S+ --duplicate discard-local/);
    assert.match(vi.stdout, /hai người khác nhau .*--duplicate keep-both --file TỆP\.json/);
    assert.match(vi.stdout, /gửi lại như cũ .*--take local$/m);
    const en = await cli(b.dataDir, ['--lang', 'en', 'conflicts', 'show', conflict!.id]);
    const commands = en.stdout.split('\n').flatMap((line) => /(edge-agent --home \S+ conflicts resolve .*)$/.exec(line)?.slice(1) ?? []);
    assert.equal(commands.length, 3, en.stdout);
    for (const command of commands) assert.equal(await parseProblem(command.replace(/^edge-agent /, '').split(' ')), null, command);
    assert.doesNotMatch(en.stdout, /--take local\|national/, 'a possible duplicate is not a choice between two versions');
  });

  test('two people with one personal ID: keeping both needs the ID corrected, then both live on the platform', async () => {
    const { a, b, person, other, first, second } = await twoOfficesOnePersonalId(33);
    const [conflict] = (await ok(b.agent, 'conflicts.list', {})).items;
    assert.equal(conflict?.kind, 'possible-duplicate');

    // "Two people" with the clashing ID left as it is would only be refused again: the agent says so and settles nothing.
    for (const input of [{ id: conflict!.id, duplicate: 'keep-both' as const }, { id: conflict!.id, duplicate: 'keep-both' as const, values: { personalId: other['personalId'] } }]) {
      const refused = await b.agent.call('conflicts.resolve', input);
      assert.equal(refused.ok, false);
      if (refused.ok) continue;
      assert.equal(refused.error.code, 'invalid_input');
      assert.match(refused.error.messages.vi, /không thể có cùng số định danh cá nhân/);
      assert.deepEqual(refused.error.fieldErrors?.map((e) => [e.path, e.code]), [['/personalId', 'duplicate_unchanged']]);
    }
    assert.equal((await ok(b.agent, 'conflicts.list', {})).total, 1, 'the conflict is still open');

    // Corrected from the papers: the record goes up as a second person and the conflict is settled for good.
    const corrected = `${String(other['personalId']).slice(0, 6)}${String(999_999 - Number(String(other['personalId']).slice(6))).padStart(6, '0')}`;
    await ok(b.agent, 'conflicts.resolve', { id: conflict!.id, duplicate: 'keep-both', values: { personalId: corrected } });
    const run = await syncOk(b.agent);
    assert.equal(run.status, 'ok');
    assert.equal((await ok(b.agent, 'conflicts.list', {})).total, 0, 'no new possible duplicate');
    const national = await platformLive(env.p, DATASET);
    assert.equal(national.get(first.id)?.data?.['personalId'], person['personalId']);
    assert.equal(national.get(second.id)?.data?.['personalId'], corrected);
    assert.equal((await ok(b.agent, 'records.get', { dataset: DATASET, id: second.id }))?.state, 'synced');
    await a.agent.close();
    await b.agent.close();
  });

  test('a refused change is quarantined with its reasons and never holds back the changes after it', async () => {
    const communes = bundledAdminUnits()
      .communesOf('01')
      .slice(0, 2)
      .map((c) => c.code);
    const site = await addSite(env.p, { communeCodes: communes });
    const { agent } = await enrolledAgent(temp, env.p, { site });
    const gen = samples(32);
    const [c1, c2] = communes as [string, string];
    const before = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01', [c1]) });
    const refused = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01', [c2]) });
    const afterIt = await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01', [c1]) });
    // The office's scope shrinks on the platform before the changes arrive.
    await env.p.platform.admin.setSiteScope(site, { provinceCode: '01', communeCodes: [c1] });

    const run = await syncOk(agent);
    assert.equal(run.rejected, 1);
    const national = await platformLive(env.p, DATASET);
    assert.ok(national.has(before.id) && national.has(afterIt.id), 'the changes around the refused one went up');
    assert.equal(national.has(refused.id), false);

    const rejected = await ok(agent, 'records.get', { dataset: DATASET, id: refused.id });
    assert.equal(rejected?.state, 'rejected');
    assert.ok((rejected?.errors ?? []).length > 0, 'the record carries the reasons');
    const outbox = await ok(agent, 'outbox.list', {});
    assert.equal(outbox.total, 1);
    assert.equal(outbox.items[0]?.status, 'quarantined');
    assert.equal(outbox.items[0]?.recordId, refused.id);
    assert.ok(outbox.items[0]!.errors[0]!.messages.vi.length > 0);
    const status = await ok(agent, 'status.get', {});
    assert.equal(status.rejected, 1);
    assert.equal(status.outbox.quarantined, 1);
    assert.equal(status.outbox.depth, 0);

    // The outbox pages by status and dataset: the refused change apart from one still waiting to go.
    const waiting = (await ok(agent, 'records.put', { dataset: DATASET, data: gen.sample(DATASET, '01', [c1]) })).id;
    const only = async (filter: { status?: 'queued' | 'quarantined'; dataset?: string }) => {
      const page = await ok(agent, 'outbox.list', filter);
      return { total: page.total, records: page.items.map((e) => e.recordId) };
    };
    assert.deepEqual(await only({}), { total: 2, records: [refused.id, waiting] });
    assert.deepEqual(await only({ status: 'quarantined' }), { total: 1, records: [refused.id] });
    assert.deepEqual(await only({ status: 'queued', dataset: DATASET }), { total: 1, records: [waiting] });
    assert.deepEqual(await only({ dataset: 'business-households' }), { total: 0, records: [] });

    // A person widens the scope again and retries: it goes through.
    await env.p.platform.admin.setSiteScope(site, { provinceCode: '01', communeCodes: communes });
    assert.deepEqual(await ok(agent, 'outbox.retry', {}), { retried: 1, kept: [] });
    await syncOk(agent);
    assert.ok((await platformLive(env.p, DATASET)).has(refused.id));
    assert.equal((await ok(agent, 'outbox.list', {})).total, 0);
    await agent.close();
  });

  test('invalid data is refused locally with field errors in both languages, and nothing is queued', async () => {
    const { agent } = await enrolledAgent(temp, env.p);
    const data = { ...samples(33).sample(DATASET, '01'), personalId: '12345' };
    const result = await agent.call('records.put', { dataset: DATASET, data });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'validation_failed');
    const field = result.error.fieldErrors?.find((f) => f.path === '/personalId');
    assert.ok(field && field.messages.vi && field.messages.en);
    const validated = await ok(agent, 'records.validate', { dataset: DATASET, data });
    assert.ok(validated.errors.some((e) => e.path === '/personalId'));
    assert.equal((await ok(agent, 'outbox.list', {})).total, 0);
    await agent.close();
  });
});

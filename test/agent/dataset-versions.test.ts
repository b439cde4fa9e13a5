import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { fieldsOf } from '../../renderer/src/model/schema-form.js';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/catalog.js';
import { fieldTitles } from '../../sync-engine/src/protocol/validation/index.js';
import { birthsWithEthnicity, birthsWithStrictNumber, descriptorFile } from '../support/dataset-versions.js';
import { platformCli } from '../support/platform-cli.js';
import { enrolledAgent, ok, platformPerSuite, samples, syncOk, type TestAgent } from './support/agent-fixture.js';

const BIRTHS = 'civil-status-births';

/**
 * The national operator publishes new versions of civil-status-births while
 * offices work: end to end, the real platform (serve running, `datasets
 * publish` run against its database as an operator would) and real agents.
 * The tests run in order and share the platform and the offices.
 */
describe('a dataset version published while offices work', () => {
  const env = platformPerSuite();
  const { temp } = env;
  const gen = samples(811);
  let a: TestAgent;
  let b: TestAgent;
  const queued: string[] = [];

  const publish = async (descriptor: DatasetDescriptor) => {
    const out = await platformCli(env.p.dbFile, ['datasets', 'publish', descriptorFile(temp.make('descriptor-'), descriptor), '--yes']);
    assert.equal(out.code, 0, out.err);
  };
  const birth = (overrides: Record<string, unknown> = {}) => ({ ...gen.sample(BIRTHS, '01'), ...overrides });
  const birthsView = async (t: TestAgent) => (await ok(t.agent, 'datasets.list', {})).find((d) => d.name === BIRTHS)!;

  test('changes an office queued under version 1 go to the platform once version 2 arrives, with the catalog, in the same sync', async () => {
    a = await enrolledAgent(temp, env.p);
    b = await enrolledAgent(temp, env.p);
    for (let i = 0; i < 3; i += 1) queued.push((await ok(a.agent, 'records.put', { dataset: BIRTHS, data: birth() })).id);
    assert.equal((await ok(a.agent, 'outbox.list', {})).total, 3);

    await publish(birthsWithEthnicity(2));
    const run = await syncOk(a.agent);
    assert.equal(run.pushed, 3);
    assert.equal(run.rejected, 0);
    assert.equal((await ok(a.agent, 'outbox.list', {})).total, 0);
    for (const id of queued) assert.equal((await ok(a.agent, 'records.get', { dataset: BIRTHS, id }))?.state, 'synced');
    assert.ok('ethnicity' in ((await birthsView(a)).schema['properties'] as object), 'the office holds version 2');
  });

  test('an office that has not synced since still writes by version 1; after its sync the form shows the new field and a record with it reaches the other office', async () => {
    const withEthnicity = birth({ ethnicity: 'Tày' });
    const before = await b.agent.call('records.put', { dataset: BIRTHS, data: withEthnicity });
    assert.equal(before.ok, false, 'version 1 (cached) has no ethnicity field');
    assert.ok(!fieldsOf((await birthsView(b)).schema).some((f) => f.name === 'ethnicity'));

    await syncOk(b.agent);
    const field = fieldsOf((await birthsView(b)).schema).find((f) => f.name === 'ethnicity');
    assert.deepEqual(field && { kind: field.kind, title: field.title, required: field.required }, { kind: 'text', title: { vi: 'Dân tộc', en: 'Ethnicity' }, required: false });
    assert.ok((await birthsView(b)).display.listFields.includes('ethnicity'), 'the records list shows it as a column');
    assert.deepEqual((await ok(b.agent, 'records.validate', { dataset: BIRTHS, data: withEthnicity })).errors, []);
    const { id } = await ok(b.agent, 'records.put', { dataset: BIRTHS, data: withEthnicity });
    assert.equal((await syncOk(b.agent)).pushed, 1);
    await syncOk(a.agent);
    assert.equal((await ok(a.agent, 'records.get', { dataset: BIRTHS, id }))?.data?.['ethnicity'], 'Tày');
  });

  test('a version a queued change fails: that change is held back with the platform\'s reasons, kept, and the rest go; fixed, it goes too', async () => {
    const edited = queued[0]!;
    const current = (await ok(a.agent, 'records.get', { dataset: BIRTHS, id: edited }))!;
    await ok(a.agent, 'records.put', { dataset: BIRTHS, id: edited, data: { ...current.data, registrationNumber: '7/2025', notes: 'sửa số đăng ký' } });
    const odd = await ok(a.agent, 'records.put', { dataset: BIRTHS, data: birth({ registrationNumber: 'KS-0012', ethnicity: 'Kinh' }) });
    const fine = await ok(a.agent, 'records.put', { dataset: BIRTHS, data: birth({ registrationNumber: '12/2025' }) });

    await publish(birthsWithStrictNumber(3, birthsWithEthnicity(2)));
    const run = await syncOk(a.agent);
    assert.equal(run.pushed, 2);
    assert.equal(run.rejected, 1);
    const held = await ok(a.agent, 'outbox.list', {});
    assert.deepEqual(held.items.map((e) => [e.recordId, e.status]), [[odd.id, 'quarantined']]);
    const [error] = held.items[0]!.errors;
    assert.deepEqual([error?.path, error?.code], ['/registrationNumber', 'registration_number_format']);
    assert.equal(error?.messages.vi, 'Số đăng ký khai sinh phải có dạng số/năm, ví dụ 125/2001.', "the platform's words, from the published version");
    assert.equal(error?.messages.en, 'Registration number must read number/year, e.g. 125/2001.');
    const kept = await ok(a.agent, 'records.get', { dataset: BIRTHS, id: odd.id });
    assert.equal(kept?.state, 'rejected');
    assert.equal(kept?.data?.['registrationNumber'], 'KS-0012', 'not lost');
    assert.equal((await ok(a.agent, 'records.get', { dataset: BIRTHS, id: fine.id }))?.state, 'synced', 'not blocking the rest');
    assert.equal((await env.p.platform.admin.getRecord(BIRTHS, edited))?.data?.['notes'], 'sửa số đăng ký');

    // The form now judges by version 3 too: the same number is refused here, before any sync.
    const again = await a.agent.call('records.put', { dataset: BIRTHS, id: odd.id, data: { ...kept!.data } });
    assert.equal(again.ok, false);
    await ok(a.agent, 'records.put', { dataset: BIRTHS, id: odd.id, data: { ...kept!.data, registrationNumber: '12/2024' } });
    assert.equal((await syncOk(a.agent)).pushed, 1);
    assert.equal((await ok(a.agent, 'outbox.list', {})).total, 0);
    assert.equal((await env.p.platform.admin.getRecord(BIRTHS, odd.id))?.data?.['registrationNumber'], '12/2024');
  });

  test('export carries the new field as a column, and import reads it back, into a record that goes to the platform', async () => {
    const made = await ok(a.agent, 'records.export', { dataset: BIRTHS, lang: 'vi' });
    const rows = parse(readFileSync(made.path, 'utf8').replace(/^\uFEFF/, '')) as string[][];
    const column = rows[0]!.indexOf('Dân tộc');
    assert.ok(column >= 0, `a "Dân tộc" column: ${rows[0]!.join(' | ')}`);
    assert.ok(rows.some((r) => r[column] === 'Tày') && rows.some((r) => r[column] === 'Kinh'));
    const back = await ok(a.agent, 'records.import', { dataset: BIRTHS, csv: readFileSync(made.path, 'utf8'), dryRun: true });
    assert.deepEqual([back.refused, back.alreadyPresent], [0, rows.length - 1], 'its own export reads back whole');

    const v3 = birthsWithStrictNumber(3, birthsWithEthnicity(2));
    const fields = Object.keys(v3.schema['properties'] as object);
    const record = birth({ registrationNumber: '99/2025', ethnicity: 'Nùng' });
    const cell = (v: unknown) => (v === undefined ? '' : /^\d{4}-\d{2}-\d{2}$/.test(String(v)) ? String(v).split('-').reverse().join('/') : String(v));
    const csv = `${fields.map((f) => fieldTitles(v3, f).vi).join(';')}\r\n${fields.map((f) => cell(record[f])).join(';')}\r\n`;
    const imported = await ok(a.agent, 'records.import', { dataset: BIRTHS, csv });
    assert.equal(imported.imported, 1, JSON.stringify(imported.refusals));
    assert.equal((await syncOk(a.agent)).pushed, 1);
    const onPlatform = (await env.p.platform.admin.listRecords(BIRTHS, { province: '01' })).find((r) => r.data?.['registrationNumber'] === '99/2025');
    assert.equal(onPlatform?.data?.['ethnicity'], 'Nùng');
    await a.agent.close();
    await b.agent.close();
  });
});

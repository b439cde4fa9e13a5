import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/catalog.js';
import type { PushResponse } from '../../sync-engine/src/protocol/push.js';
import { validBirth, validDossier } from '../datasets/fixtures.js';
import { birthsWithEthnicity, birthsWithStrictNumber, copyOf, descriptorFile, dossiersWithSuspended } from '../support/dataset-versions.js';
import { platformCli } from '../support/platform-cli.js';
import { describeOnEachStore, upsert } from '../support/platform-harness.js';

const BIRTHS = 'civil-status-births';
const dir = mkdtempSync(join(tmpdir(), 'dataset-versions-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (descriptor: unknown) => descriptorFile(dir, descriptor, `d${++files}.json`);

type Catalog = { datasets: DatasetDescriptor[] };
const births = (c: Catalog) => c.datasets.find((d) => d.name === BIRTHS) as DatasetDescriptor;
const props = (d: DatasetDescriptor) => Object.keys(d.schema['properties'] as object);

describeOnEachStore('dataset versions the national operator publishes', (env) => {
  test('nothing published: datasets list shows every shipped dataset at version 1, and so does the catalog', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const listed = await platformCli(p.db, ['datasets', 'list', '--json']);
    assert.equal(listed.code, 0, listed.err);
    assert.deepEqual(
      (JSON.parse(listed.out) as { name: string; version: number; publishedAt: string | null }[]).map((d) => [d.name, d.version, d.publishedAt]),
      [
        ['admin-units', 1, null],
        [BIRTHS, 1, null],
        ['procedure-dossiers', 1, null],
        ['business-households', 1, null],
      ],
    );
    const catalog = await agent.catalog<Catalog>();
    assert.deepEqual(catalog.body.datasets.map((d) => d.version), [1, 1, 1, 1]);
  });

  test('a version published while serve runs is in the next catalog answer and judges the next push, with no restart', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    assert.equal(births((await agent.catalog<Catalog>()).body).version, 1);
    const before = await agent.push<PushResponse>([upsert(BIRTHS, validBirth({ personalId: '001301000001', ethnicity: 'Kinh' }))]);
    assert.equal(before.body.results[0]?.status, 'rejected', 'version 1 has no ethnicity field');

    const published = await platformCli(p.db, ['datasets', 'publish', file(birthsWithEthnicity()), '--yes']);
    assert.equal(published.code, 0, published.err);
    assert.match(published.out, /published civil-status-births version 2: agents take it at their next sync/);

    const pushed = await agent.push<PushResponse>([upsert(BIRTHS, validBirth({ personalId: '001301000002', ethnicity: 'Kinh' }))]);
    assert.equal(pushed.body.results[0]?.status, 'applied', JSON.stringify(pushed.body));
    const now = births((await agent.catalog<Catalog>()).body);
    assert.equal(now.version, 2);
    assert.ok(props(now).includes('ethnicity'));
    const shown = await platformCli(p.db, ['datasets', 'show', BIRTHS]);
    assert.equal((JSON.parse(shown.out) as DatasetDescriptor).version, 2);
    const first = await platformCli(p.db, ['datasets', 'show', BIRTHS, '--version', '1']);
    assert.ok(!props(JSON.parse(first.out) as DatasetDescriptor).includes('ethnicity'), 'version 1 stays readable');
  });

  test('a new status value is accepted once published (the national side writes by it too)', async () => {
    const p = await env.start();
    const agent = await p.agent('HCM', { provinceCode: '79' });
    const dossier = () => validDossier({ status: 'suspended' });
    assert.equal((await agent.push<PushResponse>([upsert('procedure-dossiers', dossier())])).body.results[0]?.status, 'rejected');
    assert.equal((await platformCli(p.db, ['datasets', 'publish', file(dossiersWithSuspended()), '--yes'])).code, 0);
    assert.equal((await agent.push<PushResponse>([upsert('procedure-dossiers', dossier())])).body.results[0]?.status, 'applied');
    assert.equal((await platformCli(p.db, ['records', 'put', 'procedure-dossiers', file(validDossier({ dossierNumber: '79.25747-250701-0002', status: 'suspended' }))])).code, 0);
  });

  test('before publishing it counts the live records the new version refuses; they stay, and an edit of one must meet it', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const ok = upsert(BIRTHS, validBirth({ personalId: '001301000011', registrationNumber: '125/2001' }));
    const odd = upsert(BIRTHS, validBirth({ personalId: '001301000012', registrationNumber: 'KS-0012' }));
    const odd2 = upsert(BIRTHS, validBirth({ personalId: '001301000013', registrationNumber: 'A.7' }));
    const first = await agent.push<PushResponse>([ok, odd, odd2]);
    assert.deepEqual(first.body.results.map((r) => r.status), ['applied', 'applied', 'applied']);
    const strict = file(birthsWithStrictNumber());

    const dry = await platformCli(p.db, ['datasets', 'publish', strict, '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /- 1 active agent, at 1 site, take the new version at their next sync/);
    assert.match(dry.out, /- 2 of the 3 live records of civil-status-births do not meet the new version \(\/registrationNumber registration_number_format: 2; e\.g\. /);
    assert.ok(dry.out.includes(odd.id) && dry.out.includes(odd2.id) && !dry.out.includes(ok.id));
    assert.match(dry.out, /they stay as they are, but an edit of one must meet the new version\n\(--dry-run: nothing was changed\)\n$/);
    const json = JSON.parse((await platformCli(p.db, ['datasets', 'publish', strict, '--dry-run', '--json'])).out) as { refused: number; liveRecords: number };
    assert.deepEqual([json.refused, json.liveRecords], [2, 3]);
    assert.equal(births((await agent.catalog<Catalog>()).body).version, 1, 'a dry run publishes nothing');

    assert.equal((await platformCli(p.db, ['datasets', 'publish', strict, '--yes'])).code, 0);
    assert.equal((await p.admin.getRecord(BIRTHS, odd.id))?.data?.['registrationNumber'], 'KS-0012', 'a record the new version refuses is kept as it is');
    const edit = await agent.push<PushResponse>([{ ...upsert(BIRTHS, { ...odd.data, notes: 'sửa' }, { id: odd.id, baseRev: 1 }) }]);
    const [result] = edit.body.results;
    assert.equal(result?.status, 'rejected');
    assert.deepEqual(result?.status === 'rejected' ? result.errors.map((e) => [e.path, e.code]) : [], [['/registrationNumber', 'registration_number_format']]);
  });

  test('publishing asks first: refused without --yes off a terminal; on one it takes "publish" typed', async () => {
    const p = await env.start();
    const agent = await p.agent('HN-01');
    const v2 = file(birthsWithEthnicity());
    const script = await platformCli(p.db, ['datasets', 'publish', v2]);
    assert.equal(script.code, 1);
    assert.match(script.err, /datasets publish cannot be undone: civil-status-births version 2 replaces version 1/);
    assert.match(script.err, /error: nothing was changed: .* run it again with --yes/);
    const onTerminal = (answer: string) => platformCli(p.db, ['datasets', 'publish', v2], '', 'en', { terminal: { ask: async () => answer } });
    const wrong = await onTerminal('y');
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /cancelled, nothing was changed \(it takes "publish", typed exactly\)/);
    assert.equal(births((await agent.catalog<Catalog>()).body).version, 1);
    assert.equal((await onTerminal('publish')).code, 0);
    assert.equal(births((await agent.catalog<Catalog>()).body).version, 2);
  });

  test('a descriptor that may not be published is refused with every reason, in Vietnamese and in English, and nothing changes', async () => {
    const p = await env.start();
    const refusedWith = async (descriptor: unknown, pattern: RegExp, vi: RegExp) => {
      const en = await platformCli(p.db, ['datasets', 'publish', file(descriptor), '--yes']);
      assert.equal(en.code, 1);
      assert.match(en.err, /^error: not published, nothing was changed: /);
      assert.match(en.err, pattern);
      const inVi = await platformCli(p.db, ['datasets', 'publish', file(descriptor), '--yes'], '', null);
      assert.match(inVi.err, /^lỗi: không công bố, không có gì bị thay đổi: /);
      assert.match(inVi.err, vi);
    };
    await refusedWith({ ...birthsWithEthnicity(), name: 'civil-status-deaths' }, /no dataset called "civil-status-deaths"/, /không có bộ dữ liệu nào tên "civil-status-deaths"/);
    await refusedWith(birthsWithEthnicity(1), /version 1 is not greater than civil-status-births's current version 1: set "version": 2/, /phiên bản 1 không lớn hơn phiên bản hiện hành 1/);
    const broken = birthsWithEthnicity();
    (broken.schema['properties'] as Record<string, unknown>)['ethnicity'] = { type: 'string', pattern: '([' };
    await refusedWith(broken, /the schema does not compile under the agent's validator/, /không biên dịch được/);
    const unknownRule = birthsWithEthnicity();
    unknownRule.schema['x-rules'] = [...(unknownRule.schema['x-rules'] as unknown[]), { rule: 'ethnicityExists', field: 'ethnicity' }];
    await refusedWith(unknownRule, /x-rules holds 1 rule the agent does not know/, /x-rules có 1 quy tắc tác tử không biết/);
    const strayFields = birthsWithEthnicity();
    strayFields.display.listFields = [...strayFields.display.listFields, 'religion'];
    strayFields.uniqueFields = ['personalId'];
    strayFields.display.titleField = 'name';
    await refusedWith(strayFields, /these fields are not in schema.properties: display.titleField "name", display.listFields\[7\] "religion"/, /không có trong schema.properties/);
    await refusedWith({ ...birthsWithEthnicity(), scope: 'national' }, /scope changes from "province" to "national": the scope of a dataset in use cannot change/, /scope đổi từ "province" sang "national"/);
    const moved = birthsWithEthnicity();
    moved.scopeField = 'communeCode';
    await refusedWith(moved, /scopeField changes from "provinceCode" to "communeCode"/, /scopeField đổi/);
    await refusedWith({ ...birthsWithEthnicity(), uniqueFields: ['personalId', 'registrationNumber'] }, /uniqueFields changes from \["personalId"\] to \["personalId","registrationNumber"\]/, /uniqueFields đổi/);
    await refusedWith({ name: BIRTHS, version: 2 }, /the file is not a catalog dataset descriptor \(title: /, /tệp không phải một mô tả bộ dữ liệu/);
    // Every reason at once.
    const both = { ...birthsWithEthnicity(1), scope: 'national' };
    const all = await platformCli(p.db, ['datasets', 'publish', file(both), '--yes']);
    assert.match(all.err, /version 1 is not greater.*; scope changes/);
    const listed = JSON.parse((await platformCli(p.db, ['datasets', 'list', '--json'])).out) as { version: number }[];
    assert.deepEqual(listed.map((d) => d.version), [1, 1, 1, 1]);
  });

  test('a version is published over the newest one, never over the shipped one again; show names a version that does not exist', async () => {
    const p = await env.start();
    assert.equal((await platformCli(p.db, ['datasets', 'publish', file(birthsWithEthnicity(2)), '--yes'])).code, 0);
    const again = await platformCli(p.db, ['datasets', 'publish', file(birthsWithStrictNumber(2)), '--yes']);
    assert.match(again.err, /version 2 is not greater than civil-status-births's current version 2: set "version": 3/);
    assert.equal((await platformCli(p.db, ['datasets', 'publish', file(birthsWithStrictNumber(3)), '--yes'])).code, 0);
    const listed = JSON.parse((await platformCli(p.db, ['datasets', 'list', '--json'])).out) as { name: string; version: number; published: number }[];
    assert.deepEqual(listed.find((d) => d.name === BIRTHS), { ...listed.find((d) => d.name === BIRTHS), version: 3, published: 2 });
    const missing = await platformCli(p.db, ['datasets', 'show', BIRTHS, '--version', '7']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^error: civil-status-births has no version 7 \(see "datasets list"\)/);
    assert.match((await platformCli(p.db, ['datasets', 'show', BIRTHS, '--version', '7'], '', null)).err, /^lỗi: civil-status-births không có phiên bản 7/);
    assert.equal(copyOf(BIRTHS).version, 1, 'the shipped descriptor is untouched');
  });
});

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAgentService } from '../../sync-engine/src/service/agent-service.js';
import { writePulledRecords, type PulledVersion } from '../../sync-engine/src/records/record-row.js';
import { filterIndexes } from '../../sync-engine/src/records/record-filter.js';
import type { ServiceCore } from '../../sync-engine/src/service/service-core.js';
import { ScriptedPlatform } from '../engine/support/scripted-platform.js';
import { validDossier } from '../datasets/fixtures.js';
import { openEngineFixture } from '../engine/support/engine-fixture.js';
import { cli } from './support/cli-runner.js';

const DATASET = 'procedure-dossiers';

// The schema's filters through the AgentApi and the CLI: records.list and records.export take the same
// `filter` (status, commune, overdue/due today), and a field the schema does not offer is refused in words.
test('records.list, records.export and the CLI take the filters; an unknown filter field is refused in Vietnamese and English', async () => {
  const seeded = await openEngineFixture();
  const dir = seeded.dir;
  try {
    // The fixture's clock: 2025-10-01T02:00Z. Three late dossiers (two processing), one completed, one due later.
    const dossier = (n: number, appointmentAt: string, status: string, communeCode = '25747') =>
      validDossier({ dossierNumber: `D-${n}`, receivedAt: '2025-08-01T01:00:00Z', appointmentAt, status, communeCode });
    const rows: PulledVersion[] = [
      dossier(1, '2025-09-20T02:00:00Z', 'processing'),
      dossier(2, '2025-09-10T02:00:00Z', 'received', '26734'),
      dossier(3, '2025-09-25T02:00:00Z', 'processing'),
      dossier(4, '2025-09-05T02:00:00Z', 'completed'),
      dossier(5, '2025-12-01T02:00:00Z', 'processing'),
    ].map((data, i) => ({ id: `0199a000-0000-7000-8000-00000000000${i + 1}`, data, rev: 1, searchText: `d ${i + 1}`, updatedAt: `2025-09-30T0${i}:00:00.000Z`, updatedBy: { national: true } }));
    await seeded.store.transaction((tx) => writePulledRecords(tx, DATASET, 1, rows), { durable: false });
    await seeded.store.close();

    const service = await createAgentService({ dataDir: dir, user: 'clerk', onError: () => undefined, now: seeded.clock.now });
    try {
      const late = await service.call('records.list', { dataset: DATASET, filter: { due: 'overdue' } });
      assert.ok(late.ok);
      assert.deepEqual([late.value.items.map((r) => r.data?.['dossierNumber']), late.value.total], [['D-2', 'D-1', 'D-3'], 3]);
      const lateHere = await service.call('records.list', { dataset: DATASET, filter: { due: 'overdue', fields: { status: 'processing', communeCode: '25747' } } });
      assert.ok(lateHere.ok);
      assert.deepEqual(lateHere.value.items.map((r) => r.data?.['dossierNumber']), ['D-1', 'D-3']);
      const exported = await service.call('records.export', { dataset: DATASET, filter: { due: 'overdue' }, lang: 'en' });
      assert.ok(exported.ok);
      assert.equal(exported.value.records, 3);
      const csv = readFileSync(exported.value.path, 'utf8');
      assert.deepEqual(['D-1', 'D-2', 'D-3', 'D-4', 'D-5'].map((n) => csv.includes(n)), [true, true, true, false, false]);
      const refused = await service.call('records.list', { dataset: DATASET, filter: { fields: { applicantName: 'Lê' } } });
      assert.ok(!refused.ok);
      assert.equal(refused.error.code, 'invalid_input');
      assert.match(refused.error.messages.vi, /Không lọc được procedure-dossiers theo trường applicantName\. Lọc được theo: status, communeCode\./);
      assert.match(refused.error.messages.en, /cannot be filtered by applicantName/);
      const badValue = await service.call('records.export', { dataset: DATASET, filter: { fields: { status: 'lost' } } });
      assert.ok(!badValue.ok);
      assert.match(badValue.error.messages.vi, /"lost" không phải một giá trị của trường status/);
    } finally {
      await service.close();
    }

    const clock = { service: { onError: () => undefined, now: seeded.clock.now } };
    const listed = await cli(dir, ['--json', 'records', 'list', DATASET, '--due', 'overdue', '--where', 'status=processing'], clock);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual((listed.json.items as Array<{ data: Record<string, unknown> }>).map((r) => r.data['dossierNumber']), ['D-1', 'D-3']);
    const out = join(dir, 'late.csv');
    const written = await cli(dir, ['records', 'export', DATASET, '--due', 'overdue', '--where', 'communeCode=26734', '--out', out], clock);
    assert.equal(written.code, 0, written.stderr);
    const file = readFileSync(out, 'utf8');
    assert.deepEqual(['D-1', 'D-2', 'D-3'].map((n) => file.includes(n)), [false, true, false]);
    const wrong = await cli(dir, ['records', 'export', DATASET, '--where', 'handler=An', '--out', join(dir, 'x.csv')], clock);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr + wrong.stdout, /Không lọc được procedure-dossiers theo trường handler/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The filter indexes are built by the service after a run has ended, not inside the run's catalog transaction
// (over 1,000,000 dossiers that transaction kept a person's save waiting 36 s: docs/performance.md).
test('after a sync run the service builds the filter indexes of the datasets whose pull caught up; a save asked for meanwhile is written', async () => {
  const seeded = await openEngineFixture();
  const dir = seeded.dir;
  const platform = new ScriptedPlatform();
  platform.put(DATASET, '0199a000-0000-7000-8000-000000000001', 1, validDossier({ dossierNumber: 'D-1', provinceCode: '01', communeCode: '00004' }));
  await seeded.store.close();
  const service = await createAgentService({ dataDir: dir, user: 'clerk', onError: () => undefined, now: seeded.clock.now, platformClientFactory: () => platform });
  const builder = (service as unknown as { core: ServiceCore }).core.filterIndexes;
  const names = async () => (await service.store.sql.all<{ name: string }>(`SELECT "name" FROM "sqlite_master" WHERE "name" LIKE 'ix_rf_%' ORDER BY 1`)).map((r) => r.name);
  try {
    assert.ok((await service.call('settings.update', { platformUrl: 'http://127.0.0.1:1' })).ok);
    const run = service.call('sync.now', {});
    const saved = service.call('records.put', { dataset: DATASET, data: validDossier({ dossierNumber: 'D-2', provinceCode: '01', communeCode: '00004' }) });
    assert.ok((await run).ok);
    await builder.idle();
    assert.ok((await saved).ok, 'the save went through');
    const wanted = platform.datasets.flatMap(filterIndexes).map((i) => i.name).sort();
    assert.deepEqual(await names(), wanted, 'built after the run, for every dataset the run caught up');
    const late = await service.call('records.list', { dataset: DATASET, filter: { fields: { status: 'received' } } });
    assert.ok(late.ok);
    assert.equal(late.value.total, 2);
  } finally {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

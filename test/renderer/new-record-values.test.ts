// The computer's time zone, read by Date at each call: Hà Nội, where 23:30 UTC is already the next day.
process.env.TZ = 'Asia/Ho_Chi_Minh';

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LastUsedValues } from '../../renderer/src/api/last-used-values.js';
import { newRecordData, valuesToRemember } from '../../renderer/src/model/new-record-values.js';
import { fieldsOf } from '../../renderer/src/model/schema-form.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/catalog.js';

type BrowserStorage = NonNullable<ConstructorParameters<typeof LastUsedValues>[0]>;

const byName = (name: string) => DATASETS.find((d) => d.name === name)!;
const view = (d: DatasetDescriptor, officeValues: Record<string, string> = {}) => ({ uniqueFields: d.uniqueFields, display: d.display, officeValues });
const MORNING_IN_HANOI = new Date('2026-11-27T23:30:45Z');

test("a new record starts with today's local date, the current local minute on a date-time, the value last saved, and the office's codes", () => {
  const births = byName('civil-status-births');
  const remembered = (field: string) => (field === 'registrar' ? 'Trần Thị Mai' : field === 'fullName' ? 'Nguyễn Văn A' : undefined);
  assert.deepEqual(newRecordData(fieldsOf(births.schema), view(births, { provinceCode: '01' }), MORNING_IN_HANOI, remembered), {
    registrationDate: '2026-11-28',
    registrar: 'Trần Thị Mai',
    provinceCode: '01',
  });
  const dossiers = byName('procedure-dossiers');
  assert.deepEqual(newRecordData(fieldsOf(dossiers.schema), view(dossiers), MORNING_IN_HANOI, () => undefined), { receivedAt: '2026-11-27T23:30:00Z' });
  const households = byName('business-households');
  assert.deepEqual(newRecordData(fieldsOf(households.schema), view(households), MORNING_IN_HANOI, () => undefined), { registeredAt: '2026-11-28' });
});

test('a schema cached before x-default (an agent that has not refreshed its catalog) gives no default', () => {
  const births = byName('civil-status-births');
  const properties = Object.fromEntries(
    Object.entries(births.schema['properties'] as Record<string, Record<string, unknown>>).map(([f, p]) => [f, Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'x-default'))]),
  );
  assert.deepEqual(newRecordData(fieldsOf({ ...births.schema, properties }), view(births), MORNING_IN_HANOI, () => 'Trần Thị Mai'), {});
});

test("last-used keeps a staff member's name, never a citizen's data whatever the schema says, nor a blank or an overlong value", () => {
  const births = byName('civil-status-births');
  const properties = births.schema['properties'] as Record<string, Record<string, unknown>>;
  const everything = Object.fromEntries(Object.entries(properties).map(([f, p]) => [f, { ...p, 'x-default': 'last-used' }]));
  const specs = fieldsOf({ ...births.schema, properties: everything });
  const saved = { registrationNumber: 'KS-1', fullName: 'Lò Thị Mỷ', personalId: '001326000123', motherPersonalId: '001178006789', notes: 'x'.repeat(201), registrar: 'Trần Thị Mai', provinceCode: '01' };
  const kept = valuesToRemember(specs, view(births), saved).map(([f]) => f);
  assert.ok(kept.includes('registrar') && kept.includes('registrationNumber'), kept.join());
  for (const f of ['fullName', 'personalId', 'motherPersonalId', 'notes']) assert.ok(!kept.includes(f), f);
  assert.deepEqual(valuesToRemember(fieldsOf(births.schema), view(births), { ...saved, registrar: '   ' }), []);
  assert.deepEqual(valuesToRemember(fieldsOf(births.schema), view(births), saved), [['registrar', 'Trần Thị Mai']]);
});

test('the remembered values are kept per dataset and field, and a browser that refuses storage just has none', () => {
  const store = new Map<string, string>();
  const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) } as unknown as BrowserStorage;
  const values = new LastUsedValues(storage);
  values.remember('civil-status-births', [['registrar', 'Trần Thị Mai']]);
  assert.equal(new LastUsedValues(storage).get('civil-status-births', 'registrar'), 'Trần Thị Mai');
  assert.equal(values.get('procedure-dossiers', 'registrar'), undefined);
  const refusing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } } as unknown as BrowserStorage;
  assert.doesNotThrow(() => new LastUsedValues(refusing).remember('civil-status-births', [['registrar', 'A']]));
  assert.equal(new LastUsedValues(refusing).get('civil-status-births', 'registrar'), undefined);
  assert.equal(new LastUsedValues(null).get('civil-status-births', 'registrar'), undefined);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSampleGenerator, mulberry32 } from '../../national-platform/src/seed/samples.js';
import { FAMILY_NAMES } from '../../national-platform/src/seed/vietnamese-names.js';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';
import { validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import { ADMIN_UNITS, dataset } from './fixtures.js';

const PROVINCES = bundledAdminUnits().provinces().map((p) => p.code);
const READ_WRITE = ['civil-status-births', 'procedure-dossiers', 'business-households'] as const;

for (const name of READ_WRITE) {
  test(`1,000 generated ${name} records across all provinces are all valid`, () => {
    const generator = createSampleGenerator(20250701);
    const descriptor = dataset(name);
    const failures: string[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const record = generator.sample(name, PROVINCES[i % PROVINCES.length] ?? '01');
      const errors = validateRecordData(descriptor, record);
      if (errors.length > 0) failures.push(`${JSON.stringify(record)} → ${errors.map((e) => e.message).join('; ')}`);
    }
    assert.deepEqual(failures.slice(0, 3), []);
  });
}

test('the same seed gives the same records and another seed different ones', () => {
  const run = (seed: number): unknown[] => {
    const g = createSampleGenerator(seed);
    return Array.from({ length: 30 }, (_, i) => g.sample(READ_WRITE[i % 3] ?? 'civil-status-births', '48'));
  };
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
  assert.deepEqual(createSampleGenerator(mulberry32(7)).birth('48'), createSampleGenerator(7).birth('48'));
});

test('unique fields stay unique, and no two people share a personal ID', () => {
  const g = createSampleGenerator(99);
  const births = Array.from({ length: 1500 }, () => g.birth('01'));
  const dossiers = Array.from({ length: 1500 }, () => g.dossier('01'));
  const households = Array.from({ length: 1500 }, () => g.household('01'));
  const ids = [
    ...births.flatMap((b) => [b.personalId, b.fatherPersonalId, b.motherPersonalId].filter((x) => x !== undefined)),
    ...dossiers.map((d) => d.applicantPersonalId),
    ...households.map((h) => h.ownerPersonalId),
  ];
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(new Set(dossiers.map((d) => d.dossierNumber)).size, dossiers.length);
  assert.equal(new Set(households.map((h) => h.registrationNumber)).size, households.length);
});

test('a degenerate injected random still yields valid, distinct people', () => {
  const g = createSampleGenerator(() => 0.5);
  const births = Array.from({ length: 50 }, () => g.birth('79'));
  assert.equal(new Set(births.map((b) => b.personalId)).size, 50);
  for (const b of births) assert.deepEqual(validateRecordData(dataset('civil-status-births'), b), []);
});

test('records stay in the communes asked for, and a commune of another province is refused', () => {
  const g = createSampleGenerator(3);
  const communes = ['00004', '00008'];
  for (let i = 0; i < 50; i += 1) {
    assert.ok(communes.includes(g.birth('01', communes).communeCode));
    assert.ok(communes.includes(g.household('01', communes).communeCode));
    assert.ok(communes.includes(g.dossier('01', communes).communeCode));
  }
  assert.throws(() => g.birth('01', ['01273']), RangeError);
  assert.throws(() => g.dossier('02'), RangeError);
  assert.throws(() => g.sample('admin-units', '01'), RangeError);
});

test('nothing is dated after the given day', () => {
  const g = createSampleGenerator(11, { today: '2025-08-15' });
  const end = Date.parse('2025-08-15T00:00:00Z');
  for (let i = 0; i < 300; i += 1) {
    const b = g.birth('92');
    assert.ok(Date.parse(b.birthDate) < end && Date.parse(b.registrationDate) <= end, JSON.stringify(b));
    assert.ok(Date.parse(g.dossier('92').receivedAt) < end);
    assert.ok(Date.parse(g.household('92').registeredAt) <= end);
  }
});

test('names are Vietnamese, Nguyễn the most common family name, and a child takes the father’s family name', () => {
  const g = createSampleGenerator(5);
  const families = new Map<string, number>();
  const births = Array.from({ length: 2000 }, () => g.birth('38'));
  for (const b of births) {
    const family = b.fullName.split(' ')[0] ?? '';
    families.set(family, (families.get(family) ?? 0) + 1);
    assert.ok(b.fullName.split(' ').length >= 3, b.fullName);
    if (b.fatherName) assert.equal(b.fatherName.split(' ')[0], family);
  }
  const known = new Set(FAMILY_NAMES.map(([n]) => n));
  for (const f of families.keys()) assert.ok(known.has(f), f);
  assert.equal([...families].sort((a, b) => b[1] - a[1])[0]?.[0], 'Nguyễn');
});

test('admin-units records cover every commune once and are valid', () => {
  const records = createSampleGenerator(1).adminUnitRecords();
  assert.equal(records.length, 3321);
  assert.equal(new Set(records.map((r) => r.communeCode)).size, 3321);
  assert.equal(new Set(records.map((r) => r.provinceCode)).size, 34);
  for (const r of records) assert.deepEqual(validateRecordData(ADMIN_UNITS, r), [], r.communeCode);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetDescriptor } from '../../sync-engine/src/protocol/index.js';
import { adminUnitRecordsOf, adminUnitsIndexFromRecords } from '../../sync-engine/src/protocol/datasets/index.js';
import { bundledAdminUnits } from '../../sync-engine/src/protocol/reference-data/index.js';
import { describeField, validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import { BIRTHS, DOSSIERS, HOUSEHOLDS, summary, validBirth, validDossier, validHousehold } from './fixtures.js';

test('a commune of another province is refused with both names in the message', () => {
  const errors = validateRecordData(BIRTHS, validBirth({ communeCode: '01273' }));
  assert.deepEqual(summary(errors), ['/communeCode commune_not_in_province']);
  assert.match(errors[0]?.messages?.vi ?? '', /Phường Thục Phán \(01273\) không thuộc Thành phố Hà Nội \(01\)/);
  assert.match(errors[0]?.message ?? '', /Phường Thục Phán \(01273\) is not in Thành phố Hà Nội \(01\)/);
});

test('unknown province and commune codes are refused, and a pre-2025 province is not in force', () => {
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ provinceCode: '99' }))), ['/provinceCode unknown_province']);
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ provinceCode: '02' }))), ['/provinceCode unknown_province']);
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ communeCode: '99999' }))), ['/communeCode unknown_commune']);
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ placeOfBirthCommuneCode: '00001' }))), [
    '/placeOfBirthCommuneCode unknown_commune',
  ]);
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ provinceCode: '01' }))), ['/communeCode commune_not_in_province']);
});

test('a badly shaped code gets the format message, not a lookup message', () => {
  assert.deepEqual(summary(validateRecordData(DOSSIERS, validDossier({ communeCode: '2574' }))), ['/communeCode commune_code_format']);
  assert.deepEqual(summary(validateRecordData(DOSSIERS, validDossier({ provinceCode: 79 }))), ['/provinceCode type']);
});

test('a place of birth in another province is allowed', () => {
  assert.deepEqual(validateRecordData(BIRTHS, validBirth({ placeOfBirthCommuneCode: '25747' })), []);
});

test('the caller’s admin-units index is the table in force', () => {
  const withoutBaDinh = adminUnitsIndexFromRecords(adminUnitRecordsOf(bundledAdminUnits()).filter((r) => r.communeCode !== '00004'));
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth(), { adminUnits: withoutBaDinh })), [
    '/communeCode unknown_commune',
    '/placeOfBirthCommuneCode unknown_commune',
  ]);
});

test('an appointment before receipt is refused; the same instant or a later one in another zone is not', () => {
  const errors = validateRecordData(DOSSIERS, validDossier({ receivedAt: '2025-07-01T08:00:00Z', appointmentAt: '2025-07-01T07:59:59Z' }));
  assert.deepEqual(summary(errors), ['/appointmentAt appointment_before_received']);
  assert.match(errors[0]?.messages?.vi ?? '', /^Thời điểm hẹn trả kết quả .* không được sớm hơn thời điểm tiếp nhận/);
  assert.deepEqual(validateRecordData(DOSSIERS, validDossier({ receivedAt: '2025-07-01T08:00:00Z', appointmentAt: '2025-07-01T08:00:00Z' })), []);
  assert.deepEqual(
    validateRecordData(DOSSIERS, validDossier({ receivedAt: '2025-07-01T08:00:00+07:00', appointmentAt: '2025-07-01T02:00:00Z' })),
    [],
  );
});

test('a registration before the birth is refused', () => {
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ registrationDate: '2001-05-11' }))), [
    '/registrationDate registration_before_birth',
  ]);
});

test('the dates a notBefore message names are carried as values too: the messages keep them as stored (the CLI shows those), the template marks their places', () => {
  const [birth] = validateRecordData(BIRTHS, validBirth({ registrationDate: '2001-05-11' }));
  assert.deepEqual(birth?.messages, {
    vi: 'Ngày đăng ký (2001-05-11) không được sớm hơn ngày sinh (2001-05-12).',
    en: 'Registration date (2001-05-11) must not be earlier than “Date of birth” (2001-05-12).',
  });
  assert.equal(birth?.message, birth?.messages?.en);
  assert.deepEqual(birth?.template, {
    vi: 'Ngày đăng ký ({value}) không được sớm hơn ngày sinh ({other}).',
    en: 'Registration date ({value}) must not be earlier than “Date of birth” ({other}).',
  });
  assert.deepEqual(birth?.params, { value: { date: '2001-05-11' }, other: { date: '2001-05-12' } });

  const [dossier] = validateRecordData(DOSSIERS, validDossier({ receivedAt: '2025-07-01T08:00:00Z', appointmentAt: '2025-07-01T07:59:59Z' }));
  assert.deepEqual(dossier?.params, { value: { date: '2025-07-01T07:59:59Z' }, other: { date: '2025-07-01T08:00:00Z' } });
  assert.match(dossier?.messages?.vi ?? '', /\(2025-07-01T07:59:59Z\) không được sớm hơn thời điểm tiếp nhận \(2025-07-01T08:00:00Z\)/);

  // A message naming no date carries none.
  const [commune] = validateRecordData(BIRTHS, validBirth({ communeCode: '01273' }));
  assert.deepEqual([commune?.template, commune?.params], [undefined, undefined]);
});

test('dates, date-times and statuses outside their formats are refused', () => {
  assert.deepEqual(summary(validateRecordData(DOSSIERS, validDossier({ receivedAt: '2025-07-01 08:00', status: 'done' }))), [
    '/receivedAt date_time_format',
    '/status enum',
  ]);
  const [status] = validateRecordData(DOSSIERS, validDossier({ status: 'done' }));
  assert.match(status?.messages?.vi ?? '', /Đã tiếp nhận, Đang xử lý, Đã có kết quả, Trả lại hồ sơ, Đã hủy/);
});

test('capital must be a whole number of VND, zero or more', () => {
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ capitalVnd: -1 }))), ['/capitalVnd minimum']);
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ capitalVnd: 1500.5 }))), ['/capitalVnd type']);
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ capitalVnd: -0.5 }))), ['/capitalVnd type']);
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ capitalVnd: '1000' }))), ['/capitalVnd type']);
  assert.deepEqual(validateRecordData(HOUSEHOLDS, validHousehold({ capitalVnd: 0 })), []);
  assert.deepEqual(validateRecordData(HOUSEHOLDS, validHousehold({ capitalVnd: Number.MAX_SAFE_INTEGER })), []);
});

test('business lines must be a non-empty list of distinct, non-blank lines', () => {
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ businessLines: [] }))), ['/businessLines min_items']);
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ businessLines: ['Bán lẻ', 'Bán lẻ'] }))), ['/businessLines unique_items']);
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ businessLines: ['Bán lẻ', '  '] }))), ['/businessLines/1 blank']);
});

test('a field the dataset does not declare is refused in every dataset', () => {
  for (const [d, record] of [
    [BIRTHS, validBirth({ nickname: 'Bé Na' })],
    [DOSSIERS, validDossier({ nickname: 'Bé Na' })],
    [HOUSEHOLDS, validHousehold({ nickname: 'Bé Na' })],
  ] as const) {
    assert.deepEqual(summary(validateRecordData(d, record)), ['/nickname unknown_field'], d.name);
  }
});

test('every error names a path and says it in both languages, naming the field by its title', () => {
  const bad = validBirth({ fullName: '', gender: 'x', personalId: '1', extra: true, provinceCode: '04', registrar: undefined });
  delete bad['registrar'];
  const errors = validateRecordData(BIRTHS, bad);
  assert.ok(errors.length >= 5);
  for (const e of errors) {
    assert.match(e.path, /^\/\w+/);
    assert.ok(e.messages && e.messages.vi.length > 0 && e.messages.en.length > 0);
    assert.notEqual(e.messages.vi, e.messages.en);
    assert.equal(e.message, e.messages.en);
    const field = e.path.slice(1);
    if (e.code !== 'unknown_field') {
      assert.ok(e.messages.vi.includes(describeField(BIRTHS, field, 'vi')), e.messages.vi);
      assert.ok(e.messages.en.includes(describeField(BIRTHS, field, 'en')), e.messages.en);
    }
  }
  assert.ok(summary(errors).includes('/registrar required'));
});

test('data that is not an object gets one root error', () => {
  for (const data of [null, [], 'x', 42]) {
    assert.deepEqual(summary(validateRecordData(BIRTHS, data)), [' type']);
  }
});

test('a rule this release does not know is skipped, not fatal', () => {
  const newer: DatasetDescriptor = {
    ...BIRTHS,
    schema: { ...BIRTHS.schema, 'x-rules': [...(BIRTHS.schema['x-rules'] as unknown[]), { rule: 'checksum', field: 'personalId' }], 'x-future': 1 },
  };
  assert.deepEqual(validateRecordData(newer, validBirth()), []);
});

test('a schema changed under the same name and version is not validated with the stale compile', () => {
  const props = BIRTHS.schema['properties'] as Record<string, Record<string, unknown>>;
  const shorter: DatasetDescriptor = {
    ...BIRTHS,
    schema: { ...BIRTHS.schema, properties: { ...props, fullName: { ...props['fullName'], maxLength: 5 } } },
  };
  assert.deepEqual(validateRecordData(BIRTHS, validBirth()), []);
  assert.deepEqual(summary(validateRecordData(shorter, validBirth())), ['/fullName max_length']);
  assert.deepEqual(validateRecordData(structuredClone(BIRTHS), validBirth()), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPersonalId, validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import { BIRTHS, DOSSIERS, HOUSEHOLDS, summary, validBirth, validDossier, validHousehold } from './fixtures.js';

test('a valid birth record has no errors', () => {
  assert.deepEqual(validateRecordData(BIRTHS, validBirth()), []);
});

// The fixture is a girl born 2001-05-12, registered in Hà Nội.
const INVALID_IDS: readonly [string, string, string][] = [
  ['11 digits', '00130101234', 'personal_id_format'],
  ['13 digits', '0013010123456', 'personal_id_format'],
  ['a letter', '00130101234A', 'personal_id_format'],
  ['spaces', '001 301 012 345', 'personal_id_format'],
  ['nothing in it', '', 'personal_id_format'],
  ['province 000', '000301012345', 'personal_id_province'],
  ['province 099', '099301012345', 'personal_id_province'],
  ['no leading 0 (101)', '101301012345', 'personal_id_province'],
  ['digit 4 above 5', '001601012345', 'personal_id_gender_century'],
  ['digit 4 for a girl born in the 1900s', '001101012345', 'personal_id_gender_century'],
  ['digit 4 for a girl born in the 2100s', '001501012345', 'personal_id_gender_century'],
  ['year digits 02 for 2001', '001302012345', 'personal_id_birth_year'],
  ['digit 4 for a boy', '001201012345', 'personal_id_gender_mismatch'],
];

for (const [why, id, code] of INVALID_IDS) {
  test(`a personal ID with ${why} is refused as ${code}`, () => {
    const errors = validateRecordData(BIRTHS, validBirth({ personalId: id }));
    assert.deepEqual(summary(errors), [`/personalId ${code}`]);
  });
}

const VALID_PEOPLE: readonly [string, Record<string, unknown>][] = [
  ['a girl born 2001 in Hà Nội', { personalId: '001301999999' }],
  ['a boy born 1999-12-31 in Cà Mau', { personalId: '096099000001', gender: 'male', birthDate: '1999-12-31', registrationDate: '2000-01-05' }],
  ['a girl born 2000-01-01 in Hồ Chí Minh City', { personalId: '079300000000', birthDate: '2000-01-01', registrationDate: '2000-01-20' }],
  ['a boy born 1900 in Hà Giang (a pre-2025 province)', { personalId: '002000123456', gender: 'male', birthDate: '1900-03-01', registrationDate: '1900-03-02' }],
  ['a girl born 2009 in Bà Rịa - Vũng Tàu', { personalId: '077309123456', birthDate: '2009-09-09', registrationDate: '2009-09-10' }],
];

for (const [who, overrides] of VALID_PEOPLE) {
  test(`the personal ID of ${who} is accepted`, () => {
    assert.deepEqual(validateRecordData(BIRTHS, validBirth(overrides)), []);
  });
}

test('the wrong-length message names the field in Vietnamese and English', () => {
  const [error] = validateRecordData(BIRTHS, validBirth({ personalId: '12345' }));
  assert.equal(error?.messages?.vi, 'Số định danh cá nhân phải gồm đúng 12 chữ số.');
  assert.equal(error?.messages?.en, 'Personal ID number must be exactly 12 digits.');
  assert.equal(error?.message, error?.messages?.en);
});

test("parents' IDs are checked for format, province and the parent's gender, not a birth year", () => {
  assert.deepEqual(validateRecordData(BIRTHS, validBirth({ fatherPersonalId: '001099999999', motherPersonalId: '001599999999' })), []);
  assert.deepEqual(
    summary(
      validateRecordData(
        BIRTHS,
        validBirth({ fatherPersonalId: '001175004321', motherPersonalId: '000178006789' }),
      ),
    ),
    ['/fatherPersonalId personal_id_gender_mismatch', '/motherPersonalId personal_id_province'],
  );
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ fatherPersonalId: '00107500432' }))), ['/fatherPersonalId personal_id_format']);
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ motherPersonalId: '001978006789' }))), [
    '/motherPersonalId personal_id_gender_century',
  ]);
});

test("the applicant's and the owner's IDs follow the same structure", () => {
  assert.deepEqual(validateRecordData(DOSSIERS, validDossier({ applicantPersonalId: '012390000000' })), []);
  assert.deepEqual(summary(validateRecordData(DOSSIERS, validDossier({ applicantPersonalId: '013390000000' }))), [
    '/applicantPersonalId personal_id_province',
  ]);
  assert.deepEqual(summary(validateRecordData(HOUSEHOLDS, validHousehold({ ownerPersonalId: '004785001234' }))), [
    '/ownerPersonalId personal_id_gender_century',
  ]);
});

test('a birth ID is not judged against a birth date that is itself invalid', () => {
  assert.deepEqual(summary(validateRecordData(BIRTHS, validBirth({ birthDate: '2001-02-30' }))), ['/birthDate date_format']);
});

test('checkPersonalId reads century, year and gender on their own', () => {
  assert.deepEqual(checkPersonalId('001400123456', { birthYear: 2100, gender: 'male' }), []);
  assert.deepEqual(checkPersonalId('001501123456', { birthYear: 2101, gender: 'female' }), []);
  assert.deepEqual(
    checkPersonalId('001099123456', { birthYear: 1899 }).map((p) => p.code),
    ['personal_id_gender_century'],
  );
  assert.deepEqual(
    checkPersonalId('000201123456', { birthYear: 1991, gender: 'female' }).map((p) => p.code),
    ['personal_id_province', 'personal_id_gender_century', 'personal_id_birth_year', 'personal_id_gender_mismatch'],
  );
  assert.deepEqual(checkPersonalId('001201123456'), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetDescriptorSchema } from '../../sync-engine/src/protocol/index.js';
import { DATASETS, datasetByName } from '../../sync-engine/src/protocol/datasets/index.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import { createSchemaValidator, describeEnumValue, describeField, validateRecordData } from '../../sync-engine/src/protocol/validation/index.js';
import { BIRTHS, validBirth } from './fixtures.js';

type Schema = Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required: string[] };
const schemaOf = (s: Record<string, unknown>): Schema => s as Schema;
const VIETNAMESE_LETTER = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

test('every descriptor parses with the catalog schema unchanged', () => {
  for (const d of DATASETS) assert.deepEqual(datasetDescriptorSchema.parse(d), d, d.name);
});

test('the catalog holds the four sample datasets, found by name', () => {
  assert.deepEqual(
    DATASETS.map((d) => d.name),
    ['admin-units', 'civil-status-births', 'procedure-dossiers', 'business-households'],
  );
  assert.equal(datasetByName('procedure-dossiers')?.version, 1);
  assert.equal(datasetByName('no-such-dataset'), undefined);
});

test('every schema compiles under a strict 2020-12 validator that knows the x- keywords', () => {
  const ajv = createSchemaValidator({ strict: true });
  for (const d of DATASETS) assert.doesNotThrow(() => ajv.compile(d.schema), d.name);
});

test('every schema is a closed 2020-12 object whose required fields exist', () => {
  for (const d of DATASETS) {
    const s = schemaOf(d.schema);
    assert.equal(s['$schema'], 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(s['type'], 'object');
    assert.equal(s['additionalProperties'], false);
    for (const f of s.required) assert.ok(f in s.properties, `${d.name}.${f}`);
  }
});

test('every field has a Vietnamese title with diacritics and an English one', () => {
  for (const d of DATASETS) {
    assert.match(d.title.vi, VIETNAMESE_LETTER, d.name);
    for (const [field, p] of Object.entries(schemaOf(d.schema).properties)) {
      const x = p['x-title'] as { vi: string; en: string };
      assert.equal(p['title'], x.vi, `${d.name}.${field}`);
      assert.match(x.vi, VIETNAMESE_LETTER, `${d.name}.${field}`);
      assert.ok(x.en.length > 0 && x.en !== x.vi, `${d.name}.${field}`);
    }
  }
});

test('display hints, policies, unique, scope and rule fields all name real fields', () => {
  for (const d of DATASETS) {
    const props = schemaOf(d.schema).properties;
    const named = [
      d.display.titleField,
      ...d.display.listFields,
      ...(d.display.searchFields ?? []),
      ...d.uniqueFields,
      ...Object.keys(d.fieldPolicies),
      ...(d.scopeField ? [d.scopeField] : []),
      ...(d.communeField ? [d.communeField] : []),
    ];
    const rules = (d.schema['x-rules'] as Record<string, unknown>[]).flatMap((r) =>
      ['field', 'otherField', 'birthDateField', 'genderField', 'communeField', 'provinceField'].flatMap((k) => (typeof r[k] === 'string' ? [r[k]] : [])),
    );
    for (const f of [...named, ...rules]) assert.ok(f in props, `${d.name}: ${f}`);
  }
});

test('read-write datasets are province-scoped on provinceCode and communeCode; admin-units is national and read-only', () => {
  for (const d of DATASETS) {
    if (d.name === 'admin-units') {
      assert.deepEqual([d.access, d.scope, d.scopeField], ['read', 'national', undefined]);
    } else {
      assert.deepEqual([d.access, d.scope, d.scopeField, d.communeField], ['read-write', 'province', 'provinceCode', 'communeCode']);
    }
  }
  assert.deepEqual(BIRTHS.uniqueFields, ['personalId']);
});

test('every enum value has a label in both languages', () => {
  for (const d of DATASETS) {
    for (const [field, p] of Object.entries(schemaOf(d.schema).properties)) {
      if (!Array.isArray(p['enum'])) continue;
      for (const v of p['enum'] as string[]) {
        assert.notEqual(describeEnumValue(d, field, v, 'vi'), v, `${d.name}.${field}=${v}`);
        assert.notEqual(describeEnumValue(d, field, v, 'en'), v, `${d.name}.${field}=${v}`);
      }
    }
  }
});

test('describeField names a field in the asked language and falls back to its key', () => {
  assert.equal(describeField(BIRTHS, 'personalId', 'vi'), 'Số định danh cá nhân');
  assert.equal(describeField(BIRTHS, 'personalId', 'en'), 'Personal ID number');
  assert.equal(describeField(BIRTHS, 'noSuchField', 'en'), 'noSuchField');
});

test('the shared descriptors cannot be modified by a caller', () => {
  assert.throws(() => {
    (BIRTHS.fieldPolicies as Record<string, string>)['fullName'] = 'local-wins';
  }, TypeError);
});

test("a new record's form defaults (x-default): today on the registration and reception dates, the last-used name on registrar and handler, and nowhere else", () => {
  const defaults = Object.fromEntries(
    DATASETS.map((d) => [d.name, Object.fromEntries(Object.entries(schemaOf(d.schema).properties).flatMap(([f, p]) => ('x-default' in p ? [[f, p['x-default']]] : [])))]),
  );
  assert.deepEqual(defaults, {
    'admin-units': {},
    'civil-status-births': { registrationDate: 'today', registrar: 'last-used' },
    'procedure-dossiers': { receivedAt: 'today', handler: 'last-used' },
    'business-households': { registeredAt: 'today' },
  });
  for (const d of DATASETS) {
    const personalIds = new Set((d.schema['x-rules'] as Array<{ rule: string; field?: string }>).filter((r) => r.rule === 'personalId').map((r) => r.field));
    for (const [f, p] of Object.entries(schemaOf(d.schema).properties)) {
      if (p['x-default'] === 'today') assert.ok(p['format'] === 'date' || p['format'] === 'date-time', `${d.name}.${f}: today on a date`);
      if (p['x-default'] !== 'last-used') continue;
      // A staff member's name, never a citizen's data.
      assert.ok(!personalIds.has(f) && !d.uniqueFields.includes(f) && d.display.titleField !== f && d.scopeField !== f, `${d.name}.${f}`);
    }
  }
});

test('x-default is an annotation: a validator of a release that does not know it compiles the schemas, and a record without the defaulted fields is still refused', () => {
  const older = new Ajv2020({ allErrors: true, strict: false });
  formatsModule.default(older);
  older.addVocabulary(['x-title', 'x-pattern', 'x-enumTitles', 'x-lookup', 'x-rules']);
  assert.equal(schemaOf(BIRTHS.schema).properties['registrationDate']?.['x-default'], 'today', 'the schemas carry the keyword');
  for (const d of DATASETS) assert.doesNotThrow(() => older.compile(d.schema), d.name);
  // Neither records put nor the CSV import fills what the window's form would: a blank stays missing.
  const { registrationDate: _date, registrar: _registrar, ...withoutDefaults } = validBirth();
  const problems = validateRecordData(BIRTHS, withoutDefaults).map((e) => `${e.path} ${e.code}`);
  assert.deepEqual(problems.sort(), ['/registrar required', '/registrationDate required']);
});

test("the Records list's filters (x-filter, x-due): status and commune of dossiers and households, the births' registering commune, the dossiers' appointment as a deadline met once completed, returned or cancelled", () => {
  const marked = (key: string) =>
    Object.fromEntries(DATASETS.map((d) => [d.name, Object.entries(schemaOf(d.schema).properties).flatMap(([f, p]) => (key in p ? [[f, p[key]]] : []))]));
  assert.deepEqual(marked('x-filter'), {
    'admin-units': [],
    'civil-status-births': [['communeCode', true]],
    'procedure-dossiers': [['status', true], ['communeCode', true]],
    'business-households': [['communeCode', true], ['status', true]],
  });
  assert.deepEqual(marked('x-due'), {
    'admin-units': [],
    'civil-status-births': [],
    'procedure-dossiers': [['appointmentAt', { statusField: 'status', doneValues: ['completed', 'returned', 'cancelled'] }]],
    'business-households': [],
  });
  for (const d of DATASETS) {
    for (const [f, p] of Object.entries(schemaOf(d.schema).properties)) {
      if ('x-filter' in p) assert.ok(Array.isArray(p['enum']) || p['x-lookup'] === 'commune' || p['x-lookup'] === 'province', `${d.name}.${f}: an enum or an admin-unit code`);
      if (!('x-due' in p)) continue;
      const due = p['x-due'] as { statusField: string; doneValues: string[] };
      assert.equal(p['format'], 'date-time', `${d.name}.${f}`);
      const status = schemaOf(d.schema).properties[due.statusField]!;
      for (const v of due.doneValues) assert.ok((status['enum'] as string[]).includes(v), `${d.name}.${f}: ${v}`);
    }
  }
});

test('x-filter and x-due are annotations: a validator of a release that does not know them compiles the schemas and checks records as before', () => {
  const older = new Ajv2020({ allErrors: true, strict: false });
  formatsModule.default(older);
  older.addVocabulary(['x-title', 'x-pattern', 'x-enumTitles', 'x-lookup', 'x-rules', 'x-default']);
  for (const d of DATASETS) assert.doesNotThrow(() => older.compile(d.schema), d.name);
  const strictOlder = new Ajv2020({ allErrors: true, strict: true });
  formatsModule.default(strictOlder);
  strictOlder.addVocabulary(['x-title', 'x-pattern', 'x-enumTitles', 'x-lookup', 'x-rules', 'x-default']);
  assert.throws(() => strictOlder.compile(datasetByName('procedure-dossiers')!.schema), /x-filter|x-due/, 'a strict validator must be told them (SCHEMA_KEYWORDS)');
});

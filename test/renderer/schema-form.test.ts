import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldsOf, valueOf } from '../../renderer/src/model/schema-form.js';
import { DATASETS } from '../../sync-engine/src/protocol/datasets/index.js';

// The form reads a personal ID number typed with spaces or dots as its 12 digits. Which fields those are, the schema's
// `x-rules` say (schema-vocabulary.ts); the form read a `rules` keyword no schema has, and found them only by their
// pattern's message code.
test('a field a personalId rule of the schema checks is read as a personal ID number, whatever its pattern says', () => {
  const schema = {
    type: 'object',
    properties: { ownerId: { type: 'string', pattern: '^[0-9]{12}$' } },
    'x-rules': [{ rule: 'personalId', field: 'ownerId' }],
  };
  const [spec] = fieldsOf(schema);
  assert.equal(spec?.personalId, true);
  assert.equal(valueOf(spec!, '001 325 000 123', 'vi'), '001325000123');
});

test("every field a shipped dataset's personalId rule checks is a personal ID field of the form", () => {
  for (const descriptor of DATASETS) {
    const rules = (descriptor.schema['x-rules'] ?? []) as Array<{ rule: string; field?: string }>;
    const checked = rules.filter((r) => r.rule === 'personalId').map((r) => r.field);
    const specs = new Map(fieldsOf(descriptor.schema).map((s) => [s.name, s]));
    for (const field of checked) assert.equal(specs.get(field!)?.personalId, true, `${descriptor.name}.${field}`);
  }
});

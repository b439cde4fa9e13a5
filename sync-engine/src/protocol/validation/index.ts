import type { DatasetDescriptor } from '../catalog.js';
import type { RecordError } from '../push.js';
import type { AdminUnitsIndex } from '../reference-data/admin-units-index.js';
import { bundledAdminUnits } from '../reference-data/admin-units-index.js';
import { RuleRun, rulesOf } from './record-rules.js';
import { SchemaCache } from './schema-compiler.js';
import { translateSchemaErrors } from './schema-errors.js';

export { describeEnumValue, describeField, fieldTitles, pointerOf } from './field-titles.js';
export type { Language } from './field-titles.js';
export { checkPersonalId, genderCenturyDigit, PERSONAL_ID_PATTERN } from './personal-id.js';
export type { PersonalIdFacts, PersonalIdProblem } from './personal-id.js';
export { createSchemaValidator, SchemaCache } from './schema-compiler.js';
export { rulesOf } from './record-rules.js';

export interface ValidationContext {
  /** The administrative units in force; the bundled 2025-07 table when absent. */
  adminUnits?: AdminUnitsIndex;
}

const schemas = new SchemaCache();

/**
 * Validates a record's `data` against its dataset: the JSON Schema first, then the
 * schema's `x-rules`. Returns every problem as a RecordError with Vietnamese and
 * English texts (`message` is the English one), or [] when the data is valid.
 * Uniqueness and scope are not checked here: they need the store and the site.
 */
export function validateRecordData(descriptor: DatasetDescriptor, data: unknown, ctx: ValidationContext = {}): RecordError[] {
  const validate = schemas.validatorFor(descriptor);
  const schemaErrors = validate(data) ? [] : translateSchemaErrors(descriptor, validate.errors ?? []);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return schemaErrors;
  const rules = rulesOf(descriptor);
  if (rules.length === 0) return schemaErrors;
  const run = new RuleRun(descriptor, data as Record<string, unknown>, ctx.adminUnits ?? bundledAdminUnits(), schemaErrors);
  return [...schemaErrors, ...run.run(rules)];
}

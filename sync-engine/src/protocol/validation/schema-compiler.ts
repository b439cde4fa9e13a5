import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { DatasetDescriptor } from '../catalog.js';
import { SCHEMA_KEYWORDS } from '../datasets/schema-vocabulary.js';

/**
 * Ajv options shared by every dataset schema. `allErrors` so staff see every
 * wrong field at once; `verbose` so an error carries its schema (for `x-pattern`).
 * `strict: false`: catalog schemas come from the platform and may carry keywords a
 * newer release knows; an unknown annotation must not stop validation.
 */
export function createSchemaValidator(options: { strict?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: options.strict ?? false, allowUnionTypes: true });
  formatsModule.default(ajv);
  ajv.addVocabulary([...SCHEMA_KEYWORDS]);
  return ajv;
}

interface CompiledSchema {
  schema: Record<string, unknown>;
  fingerprint: string;
  validate: ValidateFunction;
}

/**
 * Compiles each (dataset, version) once. A descriptor parsed again from the
 * catalog is a new object with the same content: the fingerprint recognises it
 * without recompiling; a changed schema under the same version is recompiled
 * rather than validated against stale rules.
 */
export class SchemaCache {
  private readonly ajv = createSchemaValidator();
  private readonly byKey = new Map<string, CompiledSchema>();
  private readonly byObject = new WeakMap<object, ValidateFunction>();

  validatorFor(descriptor: Pick<DatasetDescriptor, 'name' | 'version' | 'schema'>): ValidateFunction {
    const fast = this.byObject.get(descriptor.schema);
    if (fast) return fast;
    const key = `${descriptor.name}@${descriptor.version}`;
    const fingerprint = JSON.stringify(descriptor.schema);
    let entry = this.byKey.get(key);
    if (!entry || entry.fingerprint !== fingerprint) {
      let validate: ValidateFunction;
      try {
        validate = this.ajv.compile(descriptor.schema);
      } catch (err) {
        throw new Error(`dataset ${key}: schema does not compile: ${(err as Error).message}`, { cause: err });
      }
      if (entry) this.ajv.removeSchema(entry.schema);
      entry = { schema: descriptor.schema, fingerprint, validate };
      this.byKey.set(key, entry);
    }
    this.byObject.set(descriptor.schema, entry.validate);
    return entry.validate;
  }
}

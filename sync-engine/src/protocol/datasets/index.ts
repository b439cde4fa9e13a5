import type { DatasetDescriptor } from '../catalog.js';
import { adminUnitsDataset } from './admin-units.js';
import { businessHouseholdsDataset } from './business-households.js';
import { civilStatusBirthsDataset } from './civil-status-births.js';
import { procedureDossiersDataset } from './procedure-dossiers.js';

export { adminUnitsDataset, adminUnitRecordData, adminUnitRecordsOf, adminUnitsIndexFromRecords, heldAdminUnits } from './admin-units.js';
export type { AdminUnitRecordData } from './admin-units.js';
export { civilStatusBirthsDataset } from './civil-status-births.js';
export type { CivilStatusBirthData } from './civil-status-births.js';
export { procedureDossiersDataset, DOSSIER_STATUSES } from './procedure-dossiers.js';
export type { DossierStatus, ProcedureDossierData } from './procedure-dossiers.js';
export { businessHouseholdsDataset, HOUSEHOLD_STATUSES } from './business-households.js';
export type { BusinessHouseholdData, HouseholdStatus } from './business-households.js';
export { FIELD_DEFAULTS, SCHEMA_KEYWORDS } from './schema-vocabulary.js';
export type { DueSpec, FieldDefault, Gender, JsonSchema, PatternMessage, XRule, XRuleName } from './schema-vocabulary.js';

/** Frozen all the way down: descriptors are shared by the platform, the agent and tests. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** The sample datasets the reference platform ships, in catalog order. */
export const DATASETS: readonly DatasetDescriptor[] = deepFreeze([
  adminUnitsDataset,
  civilStatusBirthsDataset,
  procedureDossiersDataset,
  businessHouseholdsDataset,
]);

export function datasetByName(name: string): DatasetDescriptor | undefined {
  return DATASETS.find((d) => d.name === name);
}

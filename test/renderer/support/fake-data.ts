/**
 * Realistic Vietnamese sample data for the fake agent behind the renderer's
 * browser tests: generated deterministically (a seeded PRNG), shaped exactly
 * like the AgentApi views, with codes taken from the real reference tables.
 * One import for the tests; each concept lives in its own module.
 */
export { ADMIN_UNITS, BIRTHS, DOSSIERS, fakeId, HOUSEHOLDS, OTHER_SYNCER, XSS } from './fake-ids.js';
export { communeOf, personalId, personName } from './fake-people.js';
export { adminUnitRecords, birthRecord, dossierRecord, householdRecord } from './fake-records.js';
export { latencyPoints, outboxEntries, syncRuns } from './fake-activity.js';
export { conflictViews } from './fake-conflict-data.js';

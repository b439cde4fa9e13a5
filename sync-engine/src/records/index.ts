/** Local writes and reads of cached records. */
export { LocalWrites, fieldChanges } from './local-writes.js';
export type { PutOptions, WriteOptions, WriteResult } from './local-writes.js';
export { RecordReads } from './record-reads.js';
export type { ListOptions, RecordPage } from './record-reads.js';
export { LocalWriteRefused, ValidationFailed } from './write-errors.js';
export type { WriteRefusalCode } from './write-errors.js';
export { RECORD_STATES } from './record-row.js';
export type { RecordState, RecordView } from './record-row.js';
export { recordProblems } from './record-checks.js';
export { scopeErrors } from './site-scope.js';

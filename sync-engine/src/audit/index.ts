/** The hash-chained audit log. */
export { AuditLog, AUDIT_ACTIONS, GENESIS_HASH } from './audit-log.js';
export type { AuditAction, AuditEvent, AuditEventInput, AuditVerification } from './audit-log.js';
export { canonicalJson } from './canonical-json.js';

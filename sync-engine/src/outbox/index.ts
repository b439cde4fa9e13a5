/** The durable queue of local changes. */
export { Outbox } from './outbox.js';
export type { OutboxBatch, OutboxStats } from './outbox.js';
export { PushAnswerMismatch } from './apply-results.js';
export type { ApplySummary } from './apply-results.js';
export { OUTBOX_STATUSES } from './outbox-entries.js';
export type { OutboxEntry, OutboxStatus } from './outbox-entries.js';

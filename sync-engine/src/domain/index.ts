/** The edge agent's pure domain logic: no I/O, no clocks, no randomness of its own. */
export * from './merge.js';
export * from './backoff.js';
export * from './search-fold.js';
export * from './health.js';
export * from './outbox-coalesce.js';
export * from './lease.js';
export * from './splay.js';

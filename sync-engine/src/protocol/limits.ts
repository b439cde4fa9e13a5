/** Caps the reference platform enforces; agents read them from SYNC-PROTOCOL.md's minimums. */
export const PROTOCOL_VERSION = 1 as const;
/** Largest `limit` a pull may ask for; larger values are capped, not refused. */
export const MAX_PULL_LIMIT = 5000;
export const DEFAULT_PULL_LIMIT = 1000;
/** Largest number of mutations in one push. */
export const MAX_PUSH_BATCH = 500;
/** Largest request body, after gzip decoding. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Largest serialized `data` of one record. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** Allowed difference between a signature's `created` and the platform clock. */
export const CLOCK_SKEW_SECONDS = 300;

/**
 * Caps the reference platform enforces, and advertises in its catalog answer
 * (`limits`, docs/protocol.md), and the protocol's guaranteed minimums an agent
 * assumes where a platform advertises nothing.
 */
export const PROTOCOL_VERSION = 1 as const;
/** Largest `limit` a pull may ask for; larger values are capped, not refused. */
export const MAX_PULL_LIMIT = 5000;
export const DEFAULT_PULL_LIMIT = 1000;
/**
 * The batch every platform accepts (SYNC-PROTOCOL.md: the cap is at least 500):
 * what an agent sends when a platform advertises no larger one.
 */
export const GUARANTEED_PUSH_BATCH = 500;
/** Largest number of mutations in one push the reference platform accepts, advertised in its catalog answer (`limits.pushBatch`). */
export const MAX_PUSH_BATCH = 2000;
/** Largest request body, after gzip decoding. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Largest serialized `data` of one record. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** Allowed difference between a signature's `created` and the platform clock. */
export const CLOCK_SKEW_SECONDS = 300;

/** Accent-insensitive search over the local cache. */
export { RecordSearch } from './record-search.js';
export type { SearchOptions } from './record-search.js';
export { ftsMatchExpression } from './fts-query.js';

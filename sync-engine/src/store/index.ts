/** The agent's SQLite store and the small table gateways every module shares. */
export { AgentStore, openAgentStore, StoreBusyError, StoreCorruptedError, AGENT_DB_FILE } from './agent-store.js';
export type { OpenStoreOptions } from './agent-store.js';
export { StoreNewerError } from './migrate.js';
export { REDOABLE, type TransactionOptions } from './durability.js';
export { Sql } from './sql.js';
export { CatalogCache, searchFieldsOf } from './catalog-cache.js';
export { Settings, Credentials } from './key-value.js';
export type { AgentIdentity } from './key-value.js';
export { LeaseStore } from './lease-store.js';
export { HealthSamples } from './health-samples.js';
export type { HealthSample } from './health-samples.js';
export { createEngineContext, isoNow } from './engine-context.js';
export type { EngineContext, EngineContextOptions } from './engine-context.js';

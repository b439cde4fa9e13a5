/**
 * The sync engine's public entry: what the Electron shell, the CLI and other
 * hosts may use. Everything else under src/ is internal.
 */
export { AgentService, createAgentService } from './service/agent-service.js';
export type { AgentServiceOptions, PlatformClientConfig, StartOptions } from './service/agent-service.js';
export { isLeaseHeldByOther, leaseHolder } from './service/lease-keeper.js';
export { adminApiUrl, readServiceFile, SERVICE_FILE } from './service/service-file.js';
export type { ServiceFile } from './service/service-file.js';
export { defaultDataDir, DATA_FOLDER_NAME } from './service/data-dir.js';
export { DEFAULT_ADMIN_PORT, DEFAULT_SETTINGS } from './service/agent-settings.js';
export { DEFAULT_SCHEDULE, InvalidSchedule } from './schedule/sync-schedule.js';
export * from './api/index.js';
export { startAdminApi, newAdminToken, saveAdminToken, readAdminToken, createAdminApiClient, consoleUrl, ADMIN_TOKEN_FILE } from './admin-api/index.js';
export type { AdminApi, AdminApiOptions, AdminApiClient, AdminApiClientOptions } from './admin-api/index.js';
export type { KeyStore, PlatformClient, Enroll, HealthProbe } from './sync/ports.js';
export { PlatformError } from './sync/platform-error.js';
export { FileKeyStore } from './adapters/file-key-store.js';
export { networkAwareServiceOptions } from './ops/network-aware-client.js';

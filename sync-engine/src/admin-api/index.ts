export { startAdminApi, type AdminApi, type AdminApiOptions } from './server.js';
export { createAdminApiClient, type AdminApiClient, type AdminApiClientOptions } from './client.js';
export { proveService, CHALLENGE_HEADER } from './service-proof.js';
export { loadOrCreateAdminToken, readAdminToken, consoleUrl, ADMIN_TOKEN_FILE } from './token.js';
export { CONSOLE_CSP } from './responses.js';
export { MAX_COMMAND_BODY_BYTES } from './command-route.js';
export { HEARTBEAT_MS } from './event-stream.js';

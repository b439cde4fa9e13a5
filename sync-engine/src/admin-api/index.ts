export { startAdminApi, type AdminApi, type AdminApiOptions } from './server.js';
export { createAdminApiClient, type AdminApiClient, type AdminApiClientOptions } from './client.js';
export { proveService, provenToken, CHALLENGE_HEADER } from './service-proof.js';
export { newAdminToken, saveAdminToken, readAdminToken, adminTokenAccess, consoleUrl, consoleAddress, ADMIN_TOKEN_FILE, type AdminTokenAccess } from './token.js';
export { CONSOLE_CSP } from './responses.js';
export { MAX_COMMAND_BODY_BYTES } from './command-route.js';
export { HEARTBEAT_MS } from './event-stream.js';

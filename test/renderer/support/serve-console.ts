/**
 * Serves a built renderer (renderer/dist by default) with the fake admin API,
 * to look at the screens by hand:
 *   npm run build:renderer && node --import tsx test/renderer/support/serve-console.ts
 * then open the printed address. Stops on Ctrl+C.
 */
import { join } from 'node:path';
import { ROOT } from './browser.js';
import { startFakeAdminServer } from './fake-admin-server.js';

const server = await startFakeAdminServer({ staticDir: process.argv[2] ?? join(ROOT, 'renderer', 'dist') });
console.log(`web console: ${server.consoleUrl}`);
process.on('SIGINT', () => void server.close().then(() => process.exit(0)));

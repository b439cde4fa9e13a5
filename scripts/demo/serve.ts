import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { consoleUrl, DEFAULT_ADMIN_PORT, newAdminToken, saveAdminToken, startAdminApi, type AdminApi } from '../../sync-engine/src/index.js';
import type { Narrator } from './narrator.js';
import type { DemoWorld } from './world.js';

const RENDERER_DIST = fileURLToPath(new URL('../../renderer/dist/', import.meta.url));

/**
 * `npm run demo -- --serve`: leaves the agent running as a service (schedule,
 * health probe) with its web console on 127.0.0.1 until Ctrl-C, with the
 * platform still up so the console shows a live connection.
 */
export async function serveConsole(world: DemoWorld, say: Narrator): Promise<void> {
  await world.agent.start({ background: true, syncAtStart: false });
  const token = newAdminToken();
  const staticDir = existsSync(RENDERER_DIST) ? RENDERER_DIST : undefined;
  let admin: AdminApi;
  try {
    admin = await startAdminApi({ api: world.agent, port: DEFAULT_ADMIN_PORT, token, ...(staticDir ? { staticDir } : {}) });
  } catch {
    // The usual port is taken (another agent?): any free one will do for a demo.
    admin = await startAdminApi({ api: world.agent, port: 0, token, ...(staticDir ? { staticDir } : {}) });
  }
  // As `edge-agent run` does: the CLI's commands find the running agent's token in its folder.
  saveAdminToken(world.agentDir, token);
  say.heading('Bảng điều khiển web', 'Web console');
  say.plain(consoleUrl(admin.port, token));
  if (!staticDir) say.say('Chưa build giao diện: chạy npm run build:renderer để có trang web.', 'The UI is not built: run npm run build:renderer for the web pages.');
  say.say('Nhấn Ctrl-C để dừng.', 'Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await admin.close();
}

import { homedir } from 'node:os';
import { join } from 'node:path';

/** The folder name under the OS's per-user data location. */
export const DATA_FOLDER_NAME = 'ndxp-edge-agent';

/**
 * Where the agent keeps its data when nobody says (`--home`, EDGE_AGENT_HOME):
 * the OS's per-user application data folder. Windows: %LOCALAPPDATA%
 * (machine-local, not roamed: the store is large and tied to this computer);
 * macOS: ~/Library/Application Support; elsewhere $XDG_DATA_HOME or
 * ~/.local/share (XDG Base Directory).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (env['EDGE_AGENT_HOME']) return env['EDGE_AGENT_HOME'];
  if (platform === 'win32') return join(env['LOCALAPPDATA'] ?? join(home, 'AppData', 'Local'), DATA_FOLDER_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', DATA_FOLDER_NAME);
  return join(env['XDG_DATA_HOME'] || join(home, '.local', 'share'), DATA_FOLDER_NAME);
}

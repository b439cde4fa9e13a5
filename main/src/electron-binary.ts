import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The Electron executable, or null when none is installed. The `electron` npm
 * package's index.js *downloads* the binary when it is missing, so it is only
 * required once its path.txt says a binary was installed. scripts/start.mjs
 * holds the same check in plain JavaScript (it runs before any build).
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const packageDir = join(root, 'node_modules', 'electron');
  let relative: string | null = null;
  try {
    relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
  } catch {
    relative = null;
  }
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const overridden = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(overridden) ? overridden : null;
  }
  if (!relative || !existsSync(join(packageDir, 'dist', relative))) return null;
  const resolved: unknown = createRequire(join(root, 'package.json'))('electron');
  return typeof resolved === 'string' && existsSync(resolved) ? resolved : null;
}

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The built web console (renderer/dist) of the installation `from` lies in:
 * beside the nearest ndxp-edge-agent package.json upwards, found the way the
 * agent's version is. That one search covers the source tree run by tsx, the
 * headless .deb's /opt tree, the CLI bundle in dist/cli/bin, and the desktop
 * package, where both sit inside app.asar (Electron's Node, run with
 * ELECTRON_RUN_AS_NODE, reads inside the archive). Undefined when that
 * installation has no built console.
 */
export function findConsoleFiles(from: string): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (isAgentPackage(dir)) {
      const dist = join(dir, 'renderer', 'dist');
      return hasConsoleIndex(dist) ? dist : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** True when `dir` holds a built console (its index.html). */
export function hasConsoleIndex(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

function isAgentPackage(dir: string): boolean {
  const file = join(dir, 'package.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'ndxp-edge-agent';
  } catch {
    return false;
  }
}

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where the built pieces live, from the project (or packaged app) root:
 * scripts/build-main.mjs writes dist/electron/{main.mjs,preload.cjs}; the
 * renderer's build writes renderer/dist/.
 */
export type AppPaths = { root: string; preload: string; rendererIndex: string; appUrl: string };

export function resolveAppPaths(root: string): AppPaths {
  const rendererIndex = join(root, 'renderer', 'dist', 'index.html');
  return {
    root,
    preload: join(root, 'dist', 'electron', 'preload.cjs'),
    rendererIndex,
    appUrl: pathToFileURL(rendererIndex).href,
  };
}

/** `--data-dir=<path>` or `--data-dir <path>` on the command line, else null. */
export function dataDirArgument(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--data-dir=')) return arg.slice('--data-dir='.length) || null;
    if (arg === '--data-dir') return argv[i + 1] ?? null;
  }
  return null;
}

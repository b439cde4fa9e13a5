import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const OUT_DIR = join(ROOT, '.tmp', 'bench', 'bundles');
const built = new Map<string, Promise<string>>();

/**
 * Bundles a bench child script into plain JavaScript (ESM, npm packages left
 * external, like installers/build-cli.mjs and the Electron main bundle), once
 * per bench process. The agent side then runs as users run it: plain node on
 * built code, not TypeScript compiled on the fly through tsx, whose loader
 * thread and caches would count in the agent's RSS (about 60 MB).
 */
export function bundled(entry: string): Promise<string> {
  let out = built.get(entry);
  if (!out) {
    out = (async () => {
      mkdirSync(OUT_DIR, { recursive: true });
      const name = entry.replace(/^.*\//, '').replace(/\.ts$/, '');
      const outfile = join(OUT_DIR, `${name}.mjs`);
      await build({
        absWorkingDir: ROOT,
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        logLevel: 'warning',
      });
      return outfile;
    })();
    built.set(entry, out);
  }
  return out;
}

/** node's arguments for a CPU profile of the process's whole life in `dir` (`--profile`); none without a folder. */
export function cpuProfArgs(dir: string | undefined): string[] {
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

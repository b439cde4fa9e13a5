import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The figures of a restart or restore scenario, printed and kept in .tmp/reliability for docs/reliability.md. */
export function reportRestart(result: Record<string, unknown> & { scenario: string; seed: number }): void {
  console.log(`[reliability] ${JSON.stringify(result)}`);
  const out = resolve(import.meta.dirname, '../../../.tmp/reliability');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, `${result.scenario}-seed-${result.seed}.json`), `${JSON.stringify(result, null, 2)}\n`);
}

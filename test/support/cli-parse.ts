import type { Command } from 'commander';
import { buildProgram } from '../../sync-engine/src/cli/program.js';

/**
 * Why `edge-agent …words` does not parse with the real CLI parser, or null
 * when it does. Every action is replaced by a no-op first: nothing is run.
 */
export async function parseProblem(words: string[]): Promise<string | null> {
  let said = '';
  const program = buildProgram({ env: {}, streams: { out: () => undefined, err: (t) => void (said += t) } }, () => undefined);
  const quiet = (command: Command): void => {
    for (const sub of command.commands) {
      if (sub.commands.length === 0) sub.action(() => undefined);
      quiet(sub);
    }
  };
  quiet(program);
  try {
    // In English: commander's own words, which the callers match.
    await program.parseAsync(['node', 'edge-agent', '--lang', 'en', ...words]);
    return null;
  } catch (error) {
    return said.split('\n')[0] || String(error);
  }
}

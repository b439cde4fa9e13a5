import type { CliIo } from '../../national-platform/src/cli/context.js';
import type { Lang } from '../../national-platform/src/cli/language.js';
import { runCli } from '../../national-platform/src/cli/program.js';

/**
 * Runs the platform's operator CLI in-process against `db`, capturing what it
 * prints. It speaks English (`--lang en`), the words the tests assert, unless
 * `lang` says otherwise; null passes no --lang (Vietnamese, the default).
 * `io`: what the process would say of its terminal (and answer when asked) and environment.
 */
export async function platformCli(
  db: string,
  args: string[],
  stdin = '',
  lang: Lang | null = 'en',
  io: Pick<CliIo, 'outIsTerminal' | 'env' | 'terminal'> = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const full: CliIo = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readStdin: async () => stdin,
    stopSignal: () => new Promise(() => undefined),
    ...io,
  };
  const code = await runCli(['--db', db, ...(lang === null ? [] : ['--lang', lang]), ...args], full);
  return { code, out, err };
}

import type { CliIo } from '../../national-platform/src/cli/context.js';
import { runCli } from '../../national-platform/src/cli/program.js';

/** Runs the platform's operator CLI in-process against `db`, capturing what it prints. */
export async function platformCli(db: string, args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readStdin: async () => stdin,
    stopSignal: () => new Promise(() => undefined),
  };
  const code = await runCli(['--db', db, ...args], io);
  return { code, out, err };
}

import { Command, CommanderError } from 'commander';
import { isPlatformError } from '../services/platform-error.js';
import { RecordRejectedError } from '../services/national-records.js';
import { agentsCommand, tokensCommand } from './agents.js';
import { CliError, DEFAULT_DB, type CliIo } from './context.js';
import { messagesCommand } from './messages.js';
import { operationsCommands } from './operations.js';
import { recordsCommand } from './records.js';
import { serveCommand } from './serve.js';
import { sitesCommand } from './sites.js';

export function buildProgram(io: CliIo): Command {
  const program = new Command('national-platform')
    .description('Reference national data exchange platform for NDXP edge agents (sync protocol v1)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL', DEFAULT_DB)
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 done; 1 anything else: a usage error, a refusal or a failure',
        '(one line on stderr that starts with "error:"), or "messages verify" that',
        'cannot show the signature.',
        'Only "sites add" and "seed" make a new platform database; every other',
        'command refuses a --db that holds none, and every command refuses a',
        'database a newer build of the platform upgraded.',
        '',
      ].join('\n'),
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  serveCommand(program, io);
  sitesCommand(program, io);
  tokensCommand(program, io);
  agentsCommand(program, io);
  recordsCommand(program, io);
  messagesCommand(program, io);
  operationsCommands(program, io);
  for (const command of program.commands) applyOverrides(command, io);
  return program;
}

function applyOverrides(command: Command, io: CliIo): void {
  command.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const sub of command.commands) applyOverrides(sub, io);
}

/** The one sentence an operator sees for a failure. */
export function describeFailure(err: unknown): string {
  if (err instanceof RecordRejectedError) return `the record was refused: ${err.message}`;
  if (isPlatformError(err)) return `${err.message} (${err.code})`;
  if (err instanceof CliError) return err.message;
  const message = err instanceof Error ? err.message : String(err);
  if (/ECONNREFUSED|connect/i.test(message)) return `cannot reach the database: ${message}`;
  return message;
}

/** Runs the CLI with user arguments (no node/script prefix); resolves to the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are exits with code 0; usage errors were already printed by commander.
      return err.exitCode;
    }
    io.err(`error: ${describeFailure(err)}\n`);
    return 1;
  }
}

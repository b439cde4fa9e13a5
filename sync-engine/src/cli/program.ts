import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { handBackToFolderOwner } from '../ops/data-ownership.js';
import type { ApiError } from '../api/contract.js';
import { dataDirOf, storeRefusal, type CliEnvironment, type GlobalOptions } from './cli-session.js';
import { Transcript } from './command-log.js';
import { registerConflictCommands } from './commands/conflicts.js';
import { registerConsoleCommand } from './commands/console.js';
import { registerOperationsCommands } from './commands/operations.js';
import { registerOutboxCommands } from './commands/outbox.js';
import { registerRecordCommands } from './commands/records.js';
import { registerRunCommand } from './commands/run.js';
import { registerRunsCommands } from './commands/runs.js';
import { registerSetupCommands } from './commands/setup.js';
import { registerSyncCommands } from './commands/sync.js';
import { EXIT, exitCodeOf, type ExitCode } from './exit-codes.js';
import { fileSystemFailure } from './file-errors.js';
import { Printer, type Lang } from './output.js';
import { usageErrorMessages } from './usage-errors.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Builds the `edge-agent` program and runs it on `argv` (node, script, ...args).
 * Returns the exit code instead of exiting, so tests run it in-process.
 */
export async function runCli(argv: readonly string[], env: CliEnvironment): Promise<number> {
  let exitCode: number = EXIT.ok;
  const transcript = new Transcript(env.streams);
  const local: CliEnvironment = { ...env, streams: transcript.streams };
  const program = buildProgram(local, (code) => {
    exitCode = code;
  });
  let command = 'edge-agent';
  program.hook('preAction', (_program, action) => {
    command = commandPath(action);
  });
  let crashed = false;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    const options = program.opts<GlobalOptions>();
    const refused = error instanceof CommanderError ? null : await refusalOf(error, dataDirOf(options, local.env));
    if (refused) {
      new Printer(options.json === true, options.lang ?? 'vi', local.streams).failure(refused.error);
      exitCode = refused.exit;
    } else if (!(error instanceof CommanderError)) {
      crashed = true;
      transcript.record(`${String((error as Error).stack ?? error)}\n`);
      throw error;
    } else exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } finally {
    handBack(program.opts<GlobalOptions>(), local);
    const log = program.opts<GlobalOptions>().log;
    const problem = log === undefined ? null : transcript.appendTo(log, command, crashed ? 'stopped by an unexpected error' : `exit code ${exitCode}`);
    if (problem !== null) env.streams.err(`--log ${log}: ${problem}\n`);
  }
  return exitCode;
}

/**
 * What stopped a command, when it is something a person can act on and the
 * command left it uncaught: the file system (a path, the rights the command
 * runs with, a full disk: file-errors.ts), or the folder's data file, damaged
 * (at open or at a later read) or kept locked by another process, said in the
 * words and with the exit code (4) of `run` (storeRefusal). Null for anything
 * else, which stays an unexpected error.
 */
async function refusalOf(error: unknown, dataDir: string): Promise<{ error: ApiError; exit: ExitCode } | null> {
  const file = fileSystemFailure(error);
  if (file) return file;
  const store = await storeRefusal(dataDir, error);
  return store === null ? null : { error: store, exit: exitCodeOf(store) };
}

/** `edge-agent service install`, from the command an action belongs to. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Run as root (`edge-agent --home /var/lib/ndxp-edge-agent provision …`,
 * `restore`, `network set`…), a command leaves root-owned files in a folder
 * the service's account owns, which the service then cannot open: they go
 * back to the folder's owner, whatever the command was.
 */
function handBack(options: GlobalOptions, env: CliEnvironment): void {
  const dataDir = dataDirOf(options, env.env);
  const { owner, failures } = handBackToFolderOwner(dataDir);
  if (!owner || failures.length === 0) return;
  const fix = `chown -R ${owner.uid}:${owner.gid} '${dataDir}'`;
  const head =
    options.lang === 'en'
      ? `Could not give ${failures.length} file(s) in ${dataDir} back to the folder's owner (uid ${owner.uid}); the service cannot open them. Run: ${fix}`
      : `Không trả được ${failures.length} tệp trong ${dataDir} về tài khoản sở hữu thư mục (uid ${owner.uid}); dịch vụ sẽ không mở được chúng. Hãy chạy: ${fix}`;
  env.streams.err([head, ...failures.map((f) => `  ${f.path}: ${f.message}`)].join('\n') + '\n');
}

/**
 * The `edge-agent` command tree with its options and arguments; each action
 * reports its exit code through `done`. Usage errors throw CommanderError.
 * Also used to check that the commands the window and the docs show parse.
 */
export function buildProgram(env: CliEnvironment, done: (code: number) => void): Command {
  const program = new Command('edge-agent')
    .description('NDXP edge agent: offline cache, outbox and sync with the national platform')
    .version(VERSION, '-V, --version')
    .option('--home <dir>', 'data folder (default: EDGE_AGENT_HOME, else the OS user data folder)')
    .option('--json', 'print one machine-readable JSON document')
    .addOption(new Option('--lang <lang>', 'language of messages: vi or en (default: settings, vi)').argParser(parseLang))
    .option('--log <file>', 'also append what the command prints, and its exit code, to FILE')
    .showHelpAfterError()
    .exitOverride();
  const globals = () => program.opts<GlobalOptions>();
  program.configureOutput(outputOf(env, globals));

  registerSetupCommands(program, env, globals, done);
  registerSyncCommands(program, env, globals, done);
  registerRunsCommands(program, env, globals, done);
  registerRunCommand(program, env, globals, done);
  registerConsoleCommand(program, env, globals, done);
  registerRecordCommands(program, env, globals, done);
  registerOutboxCommands(program, env, globals, done);
  registerConflictCommands(program, env, globals, done);
  registerOperationsCommands(program, env, globals, done);
  for (const command of program.commands) inheritBehaviour(command, env, globals);
  return program;
}

/** Subcommands report usage errors the same way as the program (exit code, not process.exit). */
function inheritBehaviour(command: Command, env: CliEnvironment, globals: () => GlobalOptions): void {
  command.exitOverride().showHelpAfterError().configureOutput(outputOf(env, globals));
  for (const sub of command.commands) inheritBehaviour(sub, env, globals);
}

/**
 * Where commander writes: the CLI's streams. A usage error is said in the
 * person's language (`--lang`, else Vietnamese: the settings are not read
 * for a command line that does not parse), and with `--json` as the one
 * `{ "error": … }` document on stdout (the help still goes to stderr).
 */
function outputOf(env: CliEnvironment, globals: () => GlobalOptions) {
  return {
    writeOut: (text: string) => env.streams.out(text),
    writeErr: (text: string) => env.streams.err(text),
    outputError: (text: string, write: (text: string) => void) => {
      const { json, lang } = globals();
      const messages = usageErrorMessages(text);
      if (json) env.streams.out(JSON.stringify({ error: { code: 'invalid_input', messages } }, null, 2) + '\n');
      else write(`${messages[lang ?? 'vi']}\n`);
    },
  };
}

function parseLang(value: string): Lang {
  if (value !== 'vi' && value !== 'en') throw new InvalidArgumentError('expected vi or en');
  return value;
}

import { Command, CommanderError, Option } from 'commander';
import { agentsCommand, tokensCommand } from './agents.js';
import { DEFAULT_DB, type CliIo } from './context.js';
import { copyCommand } from './copy.js';
import { datasetsCommand } from './datasets.js';
import { defaultLang, LANG_ENV, parseLang, speakerOf, type Lang } from './language.js';
import { messagesCommand } from './messages.js';
import { operationsCommands } from './operations.js';
import { failureText } from './refusals.js';
import { recordsCommand } from './records.js';
import { serveCommand } from './serve.js';
import { sitesCommand } from './sites.js';
import { usageErrorMessages } from './usage-errors.js';

/**
 * The program; `lang` is --lang's default (defaultLang: NATIONAL_PLATFORM_LANG,
 * else Vietnamese). Help stays English, as the agent's. `beforeSpeaking` runs
 * once the options are read, before an action or a usage error is printed
 * (runCli's warning about NATIONAL_PLATFORM_LANG, in the language chosen).
 */
export function buildProgram(io: CliIo, lang: Lang = 'vi', beforeSpeaking: () => void = () => undefined): Command {
  const program = new Command('national-platform')
    .description('Reference national data exchange platform for NDXP edge agents (sync protocol v1)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL', DEFAULT_DB)
    .addOption(new Option('--lang <lang>', 'language of messages: vi or en').argParser(parseLang).default(lang, `${LANG_ENV}, else vi`))
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 done; 1 anything else: a usage error, a refusal or a failure',
        '(one line on stderr that starts with "lỗi:", or "error:" with --lang en),',
        'or "messages verify" that cannot show the signature.',
        '"epoch new", "purge" and "datasets publish" cannot be undone: they say what they will do and',
        'ask for their words to be typed on a terminal (anything else cancels, exit 1);',
        'elsewhere they refuse without --yes. --dry-run says it and changes nothing.',
        'Only "sites add" and "seed" make a new platform database ("copy" makes',
        'its --to); every other command refuses a --db that holds none, and',
        'every command refuses a database a newer build of the platform upgraded.',
        '',
      ].join('\n'),
    )
    .showHelpAfterError()
    .exitOverride();
  const globals = (): Lang => program.opts<{ lang: Lang }>().lang;
  program.configureOutput(outputOf(io, globals, beforeSpeaking)).hook('preAction', beforeSpeaking);
  serveCommand(program, io);
  sitesCommand(program, io);
  tokensCommand(program, io);
  agentsCommand(program, io);
  recordsCommand(program, io);
  messagesCommand(program, io);
  operationsCommands(program, io);
  copyCommand(program, io);
  datasetsCommand(program, io);
  for (const command of program.commands) applyOverrides(command, io, globals, beforeSpeaking);
  return program;
}

function applyOverrides(command: Command, io: CliIo, lang: () => Lang, beforeSpeaking: () => void): void {
  command.exitOverride().configureOutput(outputOf(io, lang, beforeSpeaking));
  for (const sub of command.commands) applyOverrides(sub, io, lang, beforeSpeaking);
}

/** Where commander writes: the CLI's streams; a usage error in the operator's language (as the agent CLI, program.ts outputOf). */
function outputOf(io: CliIo, lang: () => Lang, beforeSpeaking: () => void) {
  return {
    writeOut: (text: string) => io.out(text),
    writeErr: (text: string) => io.err(text),
    outputError: (text: string, write: (text: string) => void) => {
      beforeSpeaking();
      const chosen = lang();
      write(`${chosen === 'en' ? 'error' : 'lỗi'}: ${usageErrorMessages(text)[chosen]}\n`);
    },
  };
}

/**
 * Runs the CLI with user arguments (no node/script prefix); resolves to the
 * exit code. It speaks `--lang`, else NATIONAL_PLATFORM_LANG from `io.env`
 * (a value other than vi or en is named in a warning and not used), else
 * Vietnamese. The warning waits until the options are read, so that it is
 * in the language finally chosen: `--lang en` with a mistyped variable warns in English.
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const chosen = defaultLang(io.env);
  let warned = chosen.ignored === undefined;
  const warn = (): void => {
    if (warned) return;
    warned = true;
    io.err(
      `${speakerOf(lang())(
        `cảnh báo: ${LANG_ENV}=${chosen.ignored} không phải vi hoặc en nên không được dùng`,
        `warning: ${LANG_ENV}=${chosen.ignored} is not vi or en, so it is not used`,
      )}\n`,
    );
  };
  const program = buildProgram(io, chosen.lang, warn);
  const lang = (): Lang => program.opts<{ lang?: Lang }>().lang ?? chosen.lang;
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are exits with code 0; usage errors were already printed by commander.
      return err.exitCode;
    }
    warn();
    io.err(`${lang() === 'en' ? 'error' : 'lỗi'}: ${failureText(err, lang())}\n`);
    return 1;
  } finally {
    // Help, or a command with no action of its own, never reached an action.
    warn();
  }
}

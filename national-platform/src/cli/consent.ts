import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { CliError, type CliIo, type Terminal } from './context.js';
import type { Speak } from './language.js';

/**
 * The operator's consent to a command that cannot be undone and reaches every
 * office (`epoch new`, `purge`): they ran at once, so a command recalled from
 * the shell's history, or a `purge --older-than 0` meant for a test database,
 * sent every office back to download all its data. Now the command says what
 * it will do, with the figures read from the database, then:
 * - with --yes it goes on (a script that has read it);
 * - on a terminal it asks for the word to be typed (not just "y"); anything
 *   else cancels and nothing is changed;
 * - elsewhere (a script, a pipe) it refuses and says to add --yes.
 * Either refusal is the CLI's one line on stderr and exit code 1.
 */
export interface Consent {
  /** What it will do, one or more lines, no newline at the end. */
  summary: string;
  /** What the operator types to go on: the command's own words. */
  word: string;
}

/** The options every such command has: --yes, and --dry-run (say what it would do, change nothing). */
export function withConsentOptions(command: Command): Command {
  return command
    .option('--dry-run', 'say what it would do, with the figures, and change nothing')
    .option('--yes', 'do it without asking (scripts): read what it does first, with --dry-run');
}

/**
 * Resolves when the operator agreed (--yes, or `word` typed on the terminal);
 * throws CliError (nothing changed) otherwise. The summary and the question go
 * to stderr, so that stdout keeps only the result (--json stays JSON).
 */
export async function askConsent(io: CliIo, t: Speak, yes: boolean | undefined, consent: Consent): Promise<void> {
  if (yes === true) return;
  io.err(`${consent.summary}\n`);
  if (!io.terminal) {
    throw new CliError({
      vi: `không có gì bị thay đổi: lệnh này không thể hoàn tác và không chạy trên một terminal để hỏi xác nhận; hãy đọc những gì nó sẽ làm (ở trên), rồi chạy lại với --yes`,
      en: `nothing was changed: this cannot be undone, and it is not run on a terminal that could ask for confirmation; read what it will do (above), then run it again with --yes`,
    });
  }
  const answer = await io.terminal.ask(t(`Gõ "${consent.word}" để tiếp tục (gõ gì khác là hủy): `, `Type "${consent.word}" to go on (anything else cancels): `));
  if (answer?.trim() !== consent.word) {
    throw new CliError({
      vi: `đã hủy, không có gì bị thay đổi (cần gõ đúng "${consent.word}")`,
      en: `cancelled, nothing was changed (it takes "${consent.word}", typed exactly)`,
    });
  }
}

/** The process's terminal (main.ts): present only when standard input is one; the question is written on stderr. */
export function processTerminal(): Terminal | undefined {
  if (process.stdin.isTTY !== true) return undefined;
  return {
    ask: (question) =>
      new Promise((resolve) => {
        const line = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
        let answered = false;
        line.on('SIGINT', () => line.close());
        line.on('close', () => {
          if (answered) return;
          process.stderr.write('\n');
          resolve(null);
        });
        line.question(question, (answer) => {
          answered = true;
          line.close();
          resolve(answer);
        });
      }),
  };
}

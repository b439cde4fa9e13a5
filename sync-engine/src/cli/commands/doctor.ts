import { InvalidArgumentError, type Command } from 'commander';
import { FileKeyStore } from '../../adapters/file-key-store.js';
import { readAgentSnapshot } from '../../ops/agent-snapshot.js';
import { doctorForSnapshot, type DoctorReport } from '../../ops/doctor.js';
import { StoreCorruptedError } from '../../store/agent-store.js';
import type { ApiError } from '../../api/contract.js';
import { dataDirOf, openFailure, refuseWithoutAgent, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT, exitCodeOf, UNAUTHORIZED_RUN_CODES, type ExitCode } from '../exit-codes.js';
import { fileSystemFailure } from '../file-errors.js';
import { Printer } from '../output.js';

const MARK = { ok: '✓', warn: '!', fail: '✗', skipped: '-' } as const;

/** `doctor`: why the agent cannot reach or use the platform, step by step. */
export function registerDoctorCommand(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('doctor')
    .description('check DNS, network, TLS, platform health, clock and credentials; say what to fix')
    .option('--timeout <ms>', 'per-step timeout in milliseconds (default 5000)', parseMilliseconds)
    .action(async (opts: { timeout?: number }) => {
      const options = globals();
      const dataDir = dataDirOf(options, env.env);
      const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
      // A folder holding no agent (a mistyped --home) is said as such, not checked as an agent that is not set up.
      const missing = refuseWithoutAgent(options, env, printer);
      if (missing !== null) return done(missing);
      const report = await diagnose(dataDir, env, opts.timeout);
      printer.result(report, () => [
        ...report.checks.map((c) => `${MARK[c.status]} ${c.id.padEnd(11)} ${c.messages[printer.lang]}`),
        report.ok ? printer.t('Không phát hiện vấn đề.', 'No problem found.') : printer.t('Có vấn đề cần xử lý (xem dòng ✗).', 'Problems found (see the ✗ lines).'),
      ]);
      done(exitCodeOfReport(report));
    });
}

function parseMilliseconds(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) throw new InvalidArgumentError('expected a whole number of milliseconds, e.g. 5000');
  return ms;
}

/**
 * Runs the doctor on a data folder (also used by the diagnostics bundle).
 * Never throws: a data file that cannot be opened or read (damaged, at open or
 * at a later read; in use; refused by the file system) is one failing
 * `database` check saying what the other commands say about it (openFailure:
 * for a damaged file, how to restore the latest backup), whose `detail.code`
 * is the AgentApi code that picks the exit code.
 */
export async function diagnose(dataDir: string, env: CliEnvironment, timeoutMs?: number): Promise<DoctorReport> {
  let snapshot: Awaited<ReturnType<typeof readAgentSnapshot>>;
  try {
    // Every page of the file is read, so a damaged page outside the few settings read here fails too;
    // whatever a clean close's note says (`run` may skip the check on its word; the doctor is asked when in doubt).
    snapshot = await readAgentSnapshot(dataDir, { integrityCheck: 'read-only', trustCleanClose: false });
  } catch (error) {
    const failure = fileSystemFailure(error)?.error ?? (await openFailure(dataDir, error));
    const problems = error instanceof StoreCorruptedError ? { problems: error.problems } : {};
    return { ok: false, platformUrl: null, checks: [{ id: 'database', status: 'fail', detail: { code: failure.code, ...problems }, messages: failure.messages }] };
  }
  return doctorForSnapshot(snapshot, {
    keyStore: env.service?.keyStore ?? new FileKeyStore(dataDir),
    now: env.service?.now ?? Date.now,
    env: env.env,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}

/**
 * The exit code of a report, as `sync` exits for the same cause (docs/cli.md, "Exit codes"): 0 when nothing fails;
 * a data file that cannot be read, as the other commands exit for it (4 when damaged or in use); 3 when the platform
 * answers but refuses this agent (revoked, awaiting approval, unknown, its signature or clock refused) or the agent is
 * not set up or not enrolled; 1 for a CA file of the network settings that cannot be used; else 2.
 */
function exitCodeOfReport(report: DoctorReport): ExitCode {
  if (report.ok) return EXIT.ok;
  const code = report.checks.find((c) => c.id === 'database' && c.status === 'fail')?.detail?.['code'] as ApiError['code'] | undefined;
  if (code !== undefined) return exitCodeOf({ code });
  // No platform address: the agent is not set up, as `sync` says it (not_enrolled).
  if (report.platformUrl === null) return EXIT.unauthorized;
  // A CA file of the network settings that cannot be used: exit 1, as the sync it stops (exitCodeOfRun).
  if (report.checks.some((c) => c.id === 'settings' && c.status === 'fail' && c.detail?.['code'] === 'ca_file')) return EXIT.usage;
  const credentials = report.checks.find((c) => c.id === 'credentials' && c.status === 'fail');
  // Failed without a platform error: the folder holds no enrollment (the step's own refusal).
  const refused = credentials !== undefined && (credentials.detail === undefined || UNAUTHORIZED_RUN_CODES.has(String(credentials.detail['code'] ?? '')));
  return refused ? EXIT.unauthorized : EXIT.unreachable;
}

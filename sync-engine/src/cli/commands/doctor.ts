import { InvalidArgumentError, type Command } from 'commander';
import { FileKeyStore } from '../../adapters/file-key-store.js';
import { readAgentSnapshot } from '../../ops/agent-snapshot.js';
import { doctorForSnapshot, type DoctorReport } from '../../ops/doctor.js';
import { StoreCorruptedError } from '../../store/agent-store.js';
import { dataDirOf, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
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
      const report = await diagnose(dataDir, env, opts.timeout);
      const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
      printer.result(report, () => [
        ...report.checks.map((c) => `${MARK[c.status]} ${c.id.padEnd(11)} ${c.messages[printer.lang]}`),
        report.ok ? printer.t('Không phát hiện vấn đề.', 'No problem found.') : printer.t('Có vấn đề cần xử lý (xem dòng ✗).', 'Problems found (see the ✗ lines).'),
      ]);
      done(report.ok ? EXIT.ok : EXIT.unreachable);
    });
}

function parseMilliseconds(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 1) throw new InvalidArgumentError('expected a whole number of milliseconds, e.g. 5000');
  return ms;
}

/** Runs the doctor on a data folder (also used by the diagnostics bundle). */
export async function diagnose(dataDir: string, env: CliEnvironment, timeoutMs?: number): Promise<DoctorReport> {
  let snapshot: Awaited<ReturnType<typeof readAgentSnapshot>>;
  try {
    snapshot = await readAgentSnapshot(dataDir);
  } catch (error) {
    if (!(error instanceof StoreCorruptedError)) throw error;
    return {
      ok: false,
      platformUrl: null,
      checks: [
        {
          id: 'settings',
          status: 'fail',
          detail: { problems: error.problems },
          messages: { vi: 'Cơ sở dữ liệu của tác tử bị hỏng: khôi phục bản sao lưu gần nhất (edge-agent restore TỆP).', en: "The agent's database is damaged: restore the latest backup (edge-agent restore FILE)." },
        },
      ],
    };
  }
  return doctorForSnapshot(snapshot, {
    keyStore: env.service?.keyStore ?? new FileKeyStore(dataDir),
    now: env.service?.now ?? Date.now,
    env: env.env,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
}

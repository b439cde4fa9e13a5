import { arch, release } from 'node:os';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { AgentStatusView, SyncRunView } from '../../api/views.js';
import { AGENT_VERSION } from '../../ops/agent-version.js';
import { readAgentSnapshot } from '../../ops/agent-snapshot.js';
import { collectDiagnostics, DIAGNOSTICS_SYNC_RUNS, writeDiagnosticsFile } from '../../ops/diagnostics.js';
import { appendAuditEventToFolder, diagnosticsExportedEvent } from '../../ops/maintenance-audit.js';
import { localUserName } from '../../service/local-user.js';
import { DEFAULT_OPERATIONS_SETTINGS } from '../../ops/operations-settings.js';
import { DEFAULT_SETTINGS } from '../../service/agent-settings.js';
import { StoreCorruptedError } from '../../store/agent-store.js';
import { call, dataDirOf, refuseWithoutAgent, withSession, type CliEnvironment, type GlobalOptions } from '../cli-session.js';
import { EXIT } from '../exit-codes.js';
import { Printer } from '../output.js';
import { diagnose } from './doctor.js';

/** `diagnostics FILE`: one redacted JSON bundle for the support desk. */
export function registerDiagnosticsCommand(program: Command, env: CliEnvironment, globals: () => GlobalOptions, done: (code: number) => void): void {
  program
    .command('diagnostics <file>')
    .description('write a diagnostics bundle (JSON; secrets removed, personal data masked) for the support desk')
    .action(async (file: string) => {
      const options = globals();
      const printer = new Printer(options.json ?? false, options.lang ?? 'vi', env.streams);
      // A bundle of a folder holding no agent (a mistyped --home) would describe an empty agent, made there for it.
      const missing = refuseWithoutAgent(options, env, printer);
      if (missing !== null) return done(missing);
      const dataDir = dataDirOf(options, env.env);
      let status: AgentStatusView | null = null;
      let syncRuns: SyncRunView[] = [];
      await withSession({ ...options, json: true }, { ...env, streams: { out: () => undefined, err: () => undefined } }, async (s) => {
        status = await call(s, 'status.get', {});
        syncRuns = await call(s, 'syncRuns.list', DIAGNOSTICS_SYNC_RUNS);
        return EXIT.ok;
      });
      const bundle = await collectDiagnostics({
        dataDir,
        snapshot: await readAgentSnapshot(dataDir).catch((error: unknown) => {
          // A damaged store still gets a bundle: its integrity section says what is wrong.
          if (error instanceof StoreCorruptedError) return { settings: { ...DEFAULT_SETTINGS }, operations: { ...DEFAULT_OPERATIONS_SETTINGS, caFiles: [] }, identity: null };
          throw error;
        }),
        status,
        syncRuns,
        doctor: await diagnose(dataDir, env),
        agentVersion: AGENT_VERSION,
        os: { platform: process.platform, release: release(), arch: arch(), node: process.version },
        now: env.service?.now ?? Date.now,
      });
      const bytes = await writeDiagnosticsFile(bundle, resolve(file));
      // Best effort: the bundle masks personal data, and it must come out of a damaged store too.
      await appendAuditEventToFolder(dataDir, diagnosticsExportedEvent(localUserName(), 'cli', resolve(file), bytes), env.service?.now ?? Date.now).catch(() => undefined);
      printer.result({ file: resolve(file), database: bundle.database.integrity }, () => printer.t(`Đã ghi gói chẩn đoán ${resolve(file)}.`, `Diagnostics bundle written to ${resolve(file)}.`));
      done(EXIT.ok);
    });
}

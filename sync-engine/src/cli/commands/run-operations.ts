import { join } from 'node:path';
import type { Command } from 'commander';
import { nodeCronSource } from '../../adapters/cron-node.js';
import { RotatingLog } from '../../adapters/log-file.js';
import type { SyncRunView } from '../../api/views.js';
import { AGENT_VERSION } from '../../ops/agent-version.js';
import { readAgentSnapshot } from '../../ops/agent-snapshot.js';
import { startAutomaticBackups } from '../../ops/backup-schedule.js';
import type { CronTask } from '../../schedule/ports.js';
import { dataDirOf, type CliEnvironment, type GlobalOptions } from '../cli-session.js';

/**
 * What `edge-agent run` does besides the service itself: the structured log
 * (logs/agent.log, JSON lines, rotated) and the automatic backups (settings
 * backupSchedule, backupRetention). Attached as hooks around the `run` action.
 */
export function attachRunOperations(program: Command, env: CliEnvironment, globals: () => GlobalOptions): void {
  const run = program.commands.find((c) => c.name() === 'run');
  if (!run) return;
  let task: CronTask | null = null;
  let log: RotatingLog | null = null;
  run.hook('preAction', async () => {
    const dataDir = dataDirOf(globals(), env.env);
    const now = env.service?.now ?? Date.now;
    const current = new RotatingLog({ dir: join(dataDir, 'logs'), now });
    log = current;
    const snapshot = await readAgentSnapshot(dataDir);
    current.info('service.start', { version: AGENT_VERSION, pid: process.pid, settings: snapshot.settings, operations: snapshot.operations, agentId: snapshot.identity?.agentId ?? null });
    // The service's background errors (failed runs, probe errors) go to the log as well.
    const previous = env.service?.onError;
    env.service = {
      ...env.service,
      onError: (error) => {
        current.error('service.error', { error });
        previous?.(error);
      },
    };
    // Every sync run gets a line: local IT reads here that the service syncs, and why a run failed.
    const started = env.serviceStarted;
    env.serviceStarted = (service) => {
      service.on('sync.finished', (run) => logSyncRun(current, run));
      started?.(service);
    };
    task = startAutomaticBackups({
      dataDir,
      schedule: snapshot.operations.backupSchedule,
      retention: snapshot.operations.backupRetention,
      cron: env.service?.cron ?? nodeCronSource,
      now,
      agentVersion: AGENT_VERSION,
      onDone: (file) => current.info('backup.done', { file }),
      onError: (error) => current.error('backup.failed', { error }),
    });
  });
  run.hook('postAction', () => {
    task?.stop();
    task = null;
    log?.info('service.stop', { pid: process.pid });
    log = null;
  });
}

/** One line per finished run: `info` when it went through, `warn` when it stopped or left work for a person. */
function logSyncRun(log: RotatingLog, run: SyncRunView): void {
  const fields = {
    runId: run.id,
    trigger: run.trigger,
    status: run.status,
    pushed: run.pushed,
    pulled: run.pulled,
    conflicts: run.conflicts,
    rejected: run.rejected,
    durationMs: run.finishedAt ? Date.parse(run.finishedAt) - Date.parse(run.startedAt) : null,
    ...(run.error ? { error: { code: run.error.code, message: run.error.messages.en } } : {}),
  };
  if (run.status === 'ok') log.info('sync.finished', fields);
  else log.warn('sync.finished', fields);
}

import { join } from 'node:path';
import type { Command } from 'commander';
import { nodeCronSource } from '../../adapters/cron-node.js';
import { RotatingLog } from '../../adapters/log-file.js';
import type { SyncRunView } from '../../api/views.js';
import { AGENT_VERSION } from '../../ops/agent-version.js';
import { snapshotOfStore } from '../../ops/agent-snapshot.js';
import { startAutomaticBackups } from '../../ops/backup-schedule.js';
import type { CronTask } from '../../schedule/ports.js';
import { dataDirOf, type CliEnvironment, type GlobalOptions } from '../cli-session.js';

/**
 * What `edge-agent run` does besides the service itself: the structured log
 * (logs/agent.log, JSON lines, rotated) and the automatic backups (settings
 * backupSchedule, backupRetention). Attached as hooks around the `run` action;
 * both begin only once the service has opened its store (env.serviceStarted),
 * so a refused run (data file in use or damaged, admin port taken) logs no
 * start or stop and schedules no backup, and nothing here opens the store.
 */
export function attachRunOperations(program: Command, env: CliEnvironment, globals: () => GlobalOptions): void {
  const run = program.commands.find((c) => c.name() === 'run');
  if (!run) return;
  let task: CronTask | null = null;
  let log: RotatingLog | null = null;
  run.hook('preAction', () => {
    const dataDir = dataDirOf(globals(), env.env);
    const now = env.service?.now ?? Date.now;
    // The service's background errors (failed runs, probe errors) go to the log as well, once it started.
    const previous = env.service?.onError;
    env.service = {
      ...env.service,
      onError: (error) => {
        log?.error('service.error', { error });
        previous?.(error);
      },
    };
    const started = env.serviceStarted;
    env.serviceStarted = async (service) => {
      const snapshot = await snapshotOfStore(service.store);
      const current = new RotatingLog({ dir: join(dataDir, 'logs'), now });
      log = current;
      current.info('service.start', { version: AGENT_VERSION, pid: process.pid, settings: snapshot.settings, operations: snapshot.operations, agentId: snapshot.identity?.agentId ?? null });
      // Every sync run gets a line: local IT reads here that the service syncs, and why a run failed.
      service.on('sync.finished', (run) => logSyncRun(current, run));
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
      await started?.(service);
    };
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

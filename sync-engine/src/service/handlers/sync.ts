import { resolve } from 'node:path';
import { CaFileError } from '../../adapters/network-transport.js';
import type { SyncRunView } from '../../api/views.js';
import { syncRunById } from '../sync-run-view.js';
import { syncRunDetail, syncRunPage } from '../sync-run-pages.js';
import { refusals } from '../service-errors.js';
import { shellWord } from '../shell-word.js';
import type { HandlerTable, ServiceCore } from '../service-core.js';

type SyncCommands = 'status.get' | 'sync.now' | 'syncRuns.list' | 'syncRuns.get';

/** The Overview, "Sync now" and the sync history. */
export const syncHandlers: HandlerTable<SyncCommands> = {
  'status.get': async (core) => core.status(),

  /**
   * Runs one sync now and answers when it has finished (the window follows its
   * progress through events). Refused while another process syncs the folder.
   * While a run is in progress here (a retry, the schedule), it waits for that
   * one and then runs: a run that began before the request may not see what
   * the person changed just before asking (the network settings, say).
   * `started: false` only when the service stopped meanwhile. The history
   * records the run as the caller says it asked (`trigger`: the command line
   * through a running service), else as this service's (the window's button).
   */
  'sync.now': async (core, args) => {
    // A refusal (not set up, not enrolled) answers at once; an unusable CA file is a failed run the history keeps (sync-loop.ts).
    await core.loop.clientForRun().catch((error: unknown) => {
      if (!(error instanceof CaFileError)) throw error;
    });
    await ensureSyncer(core);
    const outcome = await core.scheduler.requestRunAfterCurrent(args.trigger ?? core.manualTrigger);
    if (!outcome) return { started: false, run: await latestRun(core) };
    // No run id: the run failed before its first step; say why instead of answering with nothing.
    if (outcome.runId === undefined) throw core.loop.lastError ?? new Error('the sync run did not start');
    return { started: true, run: await syncRunById(core.ctx.store.sql, outcome.runId, homeOf(core)) };
  },

  'syncRuns.list': async (core, args) => syncRunPage(core.ctx.store.sql, args, homeOf(core)),
  'syncRuns.get': async (core, args) => syncRunDetail(core.ctx.store.sql, args.id, homeOf(core)),
};

/** Only the lease holder syncs; a process that lost it tries to take it first (the holder may have stopped). */
async function ensureSyncer(core: ServiceCore): Promise<void> {
  if (core.lease.holds() || (await core.lease.acquire())) return;
  throw refusals.leaseHeld((await core.lease.otherHolder()) ?? 'unknown');
}

async function latestRun(core: ServiceCore): Promise<SyncRunView | null> {
  return (await syncRunPage(core.ctx.store.sql, { limit: 1, group: false }, homeOf(core)))[0] ?? null;
}

/** The data folder as one shell word, for the commands a run's error gives. */
function homeOf(core: ServiceCore): string {
  return shellWord(resolve(core.dataDir));
}

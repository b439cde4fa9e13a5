import { checkSchedule } from '../../schedule/sync-schedule.js';
import { refreshCatalog } from '../../sync/catalog-refresh.js';
import { normalisePlatformUrl } from '../agent-settings.js';
import { enrollAgent } from '../enrollment.js';
import type { HandlerTable } from '../service-core.js';

type SettingsCommands = 'settings.get' | 'settings.update' | 'enrollment.enroll';

/** Settings (platform address, schedule, proxy, language, admin port) and enrollment. */
export const settingsHandlers: HandlerTable<SettingsCommands> = {
  'settings.get': async (core) => core.settings.read(),

  'settings.update': async (core, args) => {
    const changes = { ...args };
    // A bad schedule is refused here, with the reason, before anything is written.
    if (changes.schedule !== undefined) changes.schedule = checkSchedule(changes.schedule, core.cron);
    if (changes.platformUrl) changes.platformUrl = normalisePlatformUrl(changes.platformUrl);
    const updated = await core.settings.write(changes);
    await core.configurationChanged();
    core.bus.emit('settings.changed', updated);
    return updated;
  },

  'enrollment.enroll': async (core, args) => {
    const enrolled = await enrollAgent(
      {
        ctx: core.ctx,
        settings: core.settings,
        keyStore: core.keyStore,
        enroll: core.enroll,
        agentName: core.agentName,
        dataDir: core.dataDir,
        otherHolder: () => core.lease.otherHolder(),
        standing: () => core.monitor.refusal,
      },
      { token: args.token, platformUrl: args.platformUrl, siteCode: args.siteCode },
    );
    await core.monitor.noteEnrollment(enrolled.status);
    await core.configurationChanged();
    if (enrolled.status === 'active') {
      // The catalog at once, so the office can record offline from the start. Not fatal: the first sync fetches it too.
      await refreshCatalog(core.ctx, await core.loop.clientForRun()).catch(() => undefined);
      core.statusChanged();
    }
    return { status: enrolled.status, agentId: enrolled.agentId };
  },
};

import type { HandlerTable } from '../service-core.js';

type MaintenanceCommands = 'backup.create' | 'diagnostics.export';

/** Settings' "Back up now" and "Export diagnostics": files into the data folder, never a path from the caller. */
export const maintenanceHandlers: HandlerTable<MaintenanceCommands> = {
  'backup.create': async (core, _args, caller) => core.maintenance.backupNow(caller.user),
  'diagnostics.export': async (core, _args, caller) => core.maintenance.exportDiagnostics(caller.user),
};

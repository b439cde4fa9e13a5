import type { CommandName } from '../api/contract.js';
import { conflictHandlers } from './handlers/conflicts.js';
import { historyHandlers } from './handlers/history.js';
import { exportHandlers } from './handlers/record-export.js';
import { importHandlers } from './handlers/record-import.js';
import { maintenanceHandlers } from './handlers/maintenance.js';
import { outboxHandlers } from './handlers/outbox.js';
import { recordHandlers } from './handlers/records.js';
import { settingsHandlers } from './handlers/settings.js';
import { syncHandlers } from './handlers/sync.js';
import type { HandlerTable } from './service-core.js';

/**
 * Every AgentApi command and its handler. Typed as the full table, so a
 * command added to the contract without a handler is a compile error.
 */
export const commandHandlers: HandlerTable<CommandName> = {
  ...syncHandlers,
  ...recordHandlers,
  ...importHandlers,
  ...exportHandlers,
  ...historyHandlers,
  ...outboxHandlers,
  ...conflictHandlers,
  ...settingsHandlers,
  ...maintenanceHandlers,
};

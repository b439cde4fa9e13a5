/**
 * The AgentApi's types as the screens use them. Only `import type` crosses into
 * sync-engine (the layer map enforces it): the renderer carries no engine code.
 */
export type {
  AgentApi,
  ApiError,
  ApiResult,
  CommandInput,
  CommandName,
  CommandOutput,
  EventName,
  EventPayload,
} from '../../../sync-engine/src/api/contract.js';
export type {
  AgentStatusView,
  ConflictView,
  DatasetStatus,
  DatasetView,
  FieldError,
  HealthStateView,
  Localized,
  OutboxEntryView,
  RecordState,
  RecordView,
  Settings,
  SyncRunView,
} from '../../../sync-engine/src/api/views.js';
export type { HealthTones } from '../../../sync-engine/src/api/health-display.js';
export type { CurrentVersionView, RecordEventView } from '../../../sync-engine/src/api/record-history.js';
export type { SyncRunDetail } from '../../../sync-engine/src/api/sync-run-detail.js';

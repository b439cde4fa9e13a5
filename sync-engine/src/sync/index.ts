/** One sync run and the ports it talks through. */
export { SyncRun } from './sync-run.js';
export { recordUnstartedRun } from './unstarted-run.js';
export type { SyncRunDeps, SyncRunOptions } from './sync-run.js';
export type { SyncPhase, SyncProgress, SyncRunError, SyncSummary, SyncTrigger } from './sync-events.js';
export { PlatformError, isPlatformError } from './platform-error.js';
export type { PlatformErrorInfo, PlatformErrorKind } from './platform-error.js';
export type { Enroll, HealthProbe, KeyStore, PlatformClient } from './ports.js';
export { hasUnsettledChanges, localDigest, storedDigests } from './digest-check.js';
export type { DigestOutcome, DigestStatus } from './digest-check.js';
export { allCursorStates, beginResync, cursorState } from './cursor-store.js';
export type { CursorState } from './cursor-store.js';
export { refreshCatalog } from './catalog-refresh.js';
export { startResync } from './pull-phase.js';

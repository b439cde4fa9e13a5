/** Conflicts a person settles, and the merge the engine applies on its own. */
export { Conflicts } from './conflicts.js';
export type { ConflictResolution, ResolveOutcome } from './conflicts.js';
export { CONFLICT_KINDS } from './conflict-rows.js';
export type { ConflictDetails, ConflictKind, ConflictRecord } from './conflict-rows.js';
export { reconcileWithRemote } from './reconcile.js';
export type { ReconcileOutcome, RemoteVersion } from './reconcile.js';

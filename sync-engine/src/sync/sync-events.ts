import type { DigestOutcome } from './digest-check.js';
import type { PlatformErrorInfo } from './platform-error.js';

/** What started a run (shown in Sync history). */
export type SyncTrigger = 'schedule' | 'manual' | 'startup' | 'cli' | 'test' | (string & {});

export type SyncPhase = 'catalog' | 'push' | 'pull' | 'digest';

export interface SyncRunError {
  phase: SyncPhase | 'run';
  dataset?: string;
  /** ca_file: a CA file of the network settings could not be used (`cause`: its errno code, null when it holds no PEM certificate); the run did not start. */
  error: PlatformErrorInfo | { kind: 'internal'; message: string } | { kind: 'ca_file'; file: string; cause: string | null; message: string };
  /**
   * A change the platform answered 500 alone, set aside for a later run (push-phase.ts): its record and faults in a row (null: not counted);
   * `outcome` at the last of HOLD_AFTER_PLATFORM_FAULTS: held back for a person, or superseded by a newer edit already queued.
   */
  setAside?: { recordId: string; faults: number | null; outcome?: 'held' | 'superseded' };
}

export interface SyncSummary {
  runId: string;
  trigger: SyncTrigger;
  startedAt: string;
  finishedAt: string;
  /**
   * ok: everything done; partial: done with some per-dataset errors, or with a
   * change the platform answered 500 alone set aside for a later run (push-phase.ts);
   * failed: stopped early.
   */
  status: 'ok' | 'partial' | 'failed';
  /** Mutations the platform applied (or had applied: duplicate). */
  pushed: number;
  /** Pulled changes applied to the cache. */
  pulled: number;
  /** Conflicts opened or refreshed (incl. possible duplicates). */
  conflicts: number;
  /** Mutations quarantined (or superseded) after the platform refused them; not those held back after its failures (platform_fault: in `errors`). */
  rejected: number;
  /** Merged automatically and re-queued. */
  autoMerged: number;
  /**
   * Changes of this office the platform had accepted and lost (restored from an older backup),
   * found by a resync and sent again in this run (sync/lost-changes.ts); in `pushed` too once applied.
   */
  resent: number;
  /**
   * Synced records taken off this computer by this run's resyncs (410 resync_required: purge horizon, scope
   * change, platform restored; or a digest mismatch): the platform's snapshot no longer held them for this
   * office (pull-page.ts, the sweep). Records with a pending change are kept, not counted.
   */
  swept: number;
  /** Datasets pulled again from the beginning (410 or digest mismatch). */
  resynced: string[];
  digests: Record<string, DigestOutcome>;
  errors: SyncRunError[];
  /** The platform asked to wait (429/503 Retry-After); the scheduler honours it. */
  retryAfterMs?: number;
}

/** Progress of a run, for AgentService to turn into UI events. Handlers must not throw (errors are ignored). */
export type SyncProgress =
  | { type: 'run-started'; runId: string; trigger: SyncTrigger }
  | { type: 'phase'; runId: string; phase: SyncPhase }
  | { type: 'pushed'; runId: string; applied: number; conflicts: number; rejected: number; hasMore: boolean }
  | { type: 'pulled'; runId: string; dataset: string; changes: number; conflicts: number; hasMore: boolean }
  | { type: 'resync'; runId: string; dataset: string; reason: 'resync_required' | 'digest_mismatch' }
  | { type: 'digest'; runId: string; dataset: string; outcome: DigestOutcome }
  | { type: 'error'; runId: string; error: SyncRunError }
  | { type: 'run-finished'; runId: string; summary: SyncSummary };

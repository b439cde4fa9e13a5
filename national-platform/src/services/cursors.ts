import { decodeCursor, encodeCursor, type CursorPayload } from '../../../sync-engine/src/protocol/cursor.js';
import type { PlatformStateRow } from '../store/entities/platform-state.js';
import { PlatformError } from './platform-error.js';

/** A rescope pass under way (CursorPayload `rs`): see FeedReader.rescope in pull.ts. */
export interface RescopePass {
  oldSv: number;
  /** The head when the pass began: the feed goes on from there after it. */
  from: number;
  /** The last record id the pass visited ('' before the first). */
  afterId: string;
}

export interface CursorPosition {
  seq: number;
  sv: number;
  rs?: RescopePass;
}

/**
 * The pass a cursor carries. One of the earlier seq-ordered passes (`after`,
 * `upTo`) starts again from the first record as an id-ordered one: the agent may
 * get again what that pass sent it, all of which it applies as the latest state.
 */
export function rescopePassOf(rs: CursorPayload['rs'], headSeq: number): RescopePass | undefined {
  if (!rs) return undefined;
  return 'upTo' in rs ? { oldSv: rs.oldSv, from: headSeq, afterId: '' } : rs;
}

/**
 * A cursor of the current epoch, sealed with this platform's key, at a position
 * beyond the head: this database went back in time (restored from a backup, or
 * a replica that lagged) and `epoch new` was not run. Answered as any
 * `resync_required`, `platform_restored` with the head time of the missed epoch
 * the pull service starts (epoch.ts, pull.ts).
 */
export class CursorAheadError extends PlatformError {
  constructor(
    readonly epoch: string,
    readonly headSeq: number,
    readonly cursorSeq: number,
  ) {
    super('resync_required', 'the cursor is ahead of the platform (restored from a backup): pull from the beginning');
  }
}

/** Seals a pull cursor for one agent and dataset with the platform's key and epoch. */
export function issueCursor(state: PlatformStateRow, dataset: string, agentId: string, position: CursorPosition): string {
  const payload: CursorPayload = { v: 1, ds: dataset, ag: agentId, seq: position.seq, sv: position.sv, ep: state.epoch };
  if (position.rs) payload.rs = position.rs;
  return encodeCursor(payload, Buffer.from(state.cursorKey, 'hex'));
}

/**
 * Opens a cursor the agent sent back. A cursor that is not ours, or was issued for
 * another dataset or agent, is `bad_cursor`; one the platform can no longer serve
 * (another epoch, older than the purge horizon, or ahead of the head after a
 * restore from backup) is `resync_required`.
 */
export function openCursor(state: PlatformStateRow, cursor: string, dataset: string, agentId: string): CursorPayload {
  const payload = decodeCursor(cursor, Buffer.from(state.cursorKey, 'hex'));
  if (!payload) throw new PlatformError('bad_cursor', 'the cursor is not one this platform issued');
  if (payload.ds !== dataset) throw new PlatformError('bad_cursor', 'the cursor belongs to another dataset');
  if (payload.ag !== agentId) throw new PlatformError('bad_cursor', 'the cursor was issued to another agent');
  if (payload.ep !== state.epoch) {
    // `reason: platform_restored` (docs/protocol.md, Pull): the agent sends again what it created after headAt.
    throw new PlatformError('resync_required', 'the platform began a new epoch (restored from a backup, or its store re-created): pull from the beginning', {
      restored: { headAt: state.epochHeadAt },
    });
  }
  const passHead = payload.rs ? ('upTo' in payload.rs ? payload.rs.upTo : payload.rs.from) : 0;
  if (payload.seq > state.headSeq || passHead > state.headSeq) throw new CursorAheadError(state.epoch, state.headSeq, Math.max(payload.seq, passHead));
  if (payload.seq < state.purgeHorizonSeq) {
    throw new PlatformError('resync_required', 'deletes after this cursor have been purged: pull from the beginning');
  }
  return payload;
}

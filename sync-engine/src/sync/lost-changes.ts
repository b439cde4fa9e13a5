import type { RemoteVersion } from '../conflicts/reconcile.js';
import { valuesEqual } from '../domain/json-equal.js';
import { queueChange } from '../outbox/outbox-entries.js';
import { writeRecords, type RecordRow } from '../records/record-row.js';
import type { EngineContext } from '../store/engine-context.js';
import type { Sql } from '../store/sql.js';

/**
 * Changes of this office that the platform had accepted and then lost: it was
 * restored from an older backup (docs/reliability.md, "The platform is
 * restored from an older backup"). Revs of a record never go down on the
 * platform but through a restore, so a resync snapshot that holds a record at
 * a LOWER rev than the synced version this agent holds proves the platform
 * went back; when that version was written by this office (updatedBy.siteCode,
 * as the local write stored it and the platform echoes it), this agent is the
 * only place that still has it. It is not taken backwards: it is queued again
 * as a new change on the snapshot's version (baseRev = the snapshot's rev, base
 * = its data), so the ordinary push, merge and conflict flow judges it, and the
 * audit says why ('sync.resent').
 *
 * A version written by someone else (national, another office) is taken from
 * the snapshot: the office that wrote it re-sends its own. A record the
 * snapshot lacks is not re-sent (absence also means "left this office's
 * scope"), nor a delete whose record this agent no longer holds.
 */
export interface LostChange {
  row: RecordRow;
  remote: RemoteVersion;
}

/** This office's site code, read once per page and only when a rev went backwards. */
export class ThisOffice {
  private site: string | null | undefined;

  constructor(
    private readonly tx: Sql,
    private readonly ctx: EngineContext,
  ) {}

  /** The synced version the agent holds, newer than the snapshot's, was written here and differs from the snapshot's. */
  async lostHere(local: RecordRow, remote: RemoteVersion): Promise<boolean> {
    if (local.deleted === remote.deleted && (local.deleted || valuesEqual(local.data, remote.data))) return false;
    const by = local.updatedBy;
    if (!by || !('siteCode' in by) || typeof by.siteCode !== 'string') return false;
    this.site ??= (await this.ctx.credentials.identity(this.tx))?.siteCode ?? null;
    return this.site !== null && by.siteCode === this.site;
  }
}

/** Queues each lost change again on the snapshot's version; the record waits. Returns how many. */
export async function resendLostChanges(tx: Sql, ctx: EngineContext, lost: readonly LostChange[], pullGen: number, now: string): Promise<number> {
  for (const { row, remote } of lost) {
    const target = { dataset: row.dataset, recordId: row.id };
    const change = row.deleted ? { op: 'delete' as const, baseRev: remote.rev, data: null } : { op: 'upsert' as const, baseRev: remote.rev, data: row.data };
    const outbox = await queueChange(tx, target, change, ctx.newId, now);
    await writeRecords(tx, [
      { ...row, rev: remote.rev, baseData: remote.deleted ? null : remote.data, baseDeleted: remote.deleted, state: 'waiting', pullGen },
    ]);
    await ctx.audit.append(tx, {
      action: 'sync.resent',
      actor: 'sync',
      dataset: row.dataset,
      recordId: row.id,
      details: { reason: 'platform_went_back', op: change.op, platformRev: remote.rev, lostRev: row.rev, outbox },
    });
  }
  return lost.length;
}

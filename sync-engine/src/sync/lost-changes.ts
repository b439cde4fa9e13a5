import type { RemoteVersion } from '../conflicts/reconcile.js';
import { valuesEqual } from '../domain/json-equal.js';
import { markRestored, queueChange } from '../outbox/outbox-entries.js';
import { fromDb, RECORD_COLUMNS, writeRecords, type DbRecordRow, type RecordRow } from '../records/record-row.js';
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
 * the snapshot: the office that wrote it re-sends its own. A delete whose
 * record this agent no longer holds is not re-sent.
 *
 * A record the snapshot lacks may have left this office's scope, or been
 * deleted and its tombstone purged; it is re-sent only when the platform said
 * it went back (410 `reason: platform_restored`, `headAt`) and the version this
 * agent holds was written here after the newest change the restored platform
 * held: the platform never had that record since the restore, so nothing else
 * can have happened to it there (resendLostCreates).
 *
 * In that same resync, a synced version this office wrote after `headAt` is
 * lost for certain too; when the snapshot holds the record at a rev NOT below
 * it, other data, written by someone else (the restored platform changed the
 * record before this office synced: after `epoch new` its rev skips the gap),
 * the newer rev must not silently win. Nor can it be merged: the version the
 * platform's change was made on (the restored one) never reached this agent.
 * So a person decides (ThisOffice.lostUnder; pull-page.ts opens the conflict
 * through reconcileWithRemote with the base unknown, marked restored).
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
    return this.wrote(local);
  }

  /**
   * The synced version the agent holds was written by this office after the
   * restored platform's head time (`headAt`: lost by the restore for certain),
   * and the platform's version, other data, was written by someone else: the
   * platform changed the record since the restore, on a version this agent
   * never held. The caller checks the rev did not go down (that is lostHere's).
   */
  async lostUnder(local: RecordRow, remote: RemoteVersion, headAt: string): Promise<boolean> {
    if (local.updatedAt <= headAt) return false;
    if (local.deleted === remote.deleted && (local.deleted || valuesEqual(local.data, remote.data))) return false;
    return (await this.wrote(local)) && !(await this.isThisOffice(remote.updatedBy));
  }

  /** The version the agent holds was written by this office (updatedBy.siteCode). */
  async wrote(local: RecordRow): Promise<boolean> {
    return this.isThisOffice(local.updatedBy);
  }

  private async isThisOffice(by: RecordRow['updatedBy']): Promise<boolean> {
    if (!by || !('siteCode' in by) || typeof by.siteCode !== 'string') return false;
    this.site ??= (await this.ctx.credentials.identity(this.tx))?.siteCode ?? null;
    return this.site !== null && by.siteCode === this.site;
  }
}

/**
 * Queues each lost change again on the snapshot's version; the record waits.
 * `headAt`: the restored platform's head time, when its 410 said it was
 * restored (else null: a resync for another reason found a rev gone back).
 * Returns how many.
 */
export async function resendLostChanges(
  tx: Sql,
  ctx: EngineContext,
  lost: readonly LostChange[],
  pullGen: number,
  headAt: string | null,
  now: string,
): Promise<number> {
  for (const { row, remote } of lost) {
    const target = { dataset: row.dataset, recordId: row.id };
    const change = row.deleted ? { op: 'delete' as const, baseRev: remote.rev, data: null } : { op: 'upsert' as const, baseRev: remote.rev, data: row.data };
    const outbox = await queueChange(tx, target, change, ctx.newId, now);
    await markRestored(tx, target, { headAt });
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

/**
 * At the end of a resync begun because the platform was restored
 * (`headAt`: the time of the newest change it held), before the sweep: the
 * synced live records the snapshot lacked whose version was written by this
 * office after `headAt` are queued again as creates (baseRev null) instead of
 * swept; the record waits. Times on both sides are the platform's (a pull
 * stores the platform's updatedAt). Returns how many.
 */
export async function resendLostCreates(tx: Sql, ctx: EngineContext, dataset: string, generation: number, headAt: string, now: string): Promise<number> {
  const rows = await tx.all<DbRecordRow>(
    `SELECT ${RECORD_COLUMNS} FROM "records" WHERE "dataset" = ? AND "pull_gen" < ? AND "state" = 'synced' AND "deleted" = 0 AND "updated_at" > ?`,
    [dataset, generation, headAt],
  );
  const office = new ThisOffice(tx, ctx);
  let count = 0;
  for (const row of rows.map(fromDb)) {
    if (!(await office.wrote(row))) continue;
    const target = { dataset, recordId: row.id };
    const outbox = await queueChange(tx, target, { op: 'upsert', baseRev: null, data: row.data }, ctx.newId, now);
    await markRestored(tx, target, { headAt });
    await writeRecords(tx, [{ ...row, rev: null, baseData: null, baseDeleted: false, state: 'waiting', pullGen: generation }]);
    await ctx.audit.append(tx, {
      action: 'sync.resent',
      actor: 'sync',
      dataset,
      recordId: row.id,
      details: { reason: 'platform_went_back', op: 'create', platformHeadAt: headAt, lostRev: row.rev, outbox },
    });
    count += 1;
  }
  return count;
}

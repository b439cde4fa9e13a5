/**
 * Revs after a restore. A platform restored from a backup lost the history
 * between the backup and the restore, and with it the revs that history gave
 * out: counting on from the restored rev would give the same numbers again to
 * other versions. An office's edit still to be sent, made on a lost version,
 * would then match the new version's rev and be applied over it without a
 * conflict (docs/reliability.md). So the first change of a record after an
 * epoch began (`epoch new`, a required step of a restore) skips REV_GAP revs
 * for each epoch begun since the record's last change: every rev the lost
 * history could have given it lies in the gap, so a base made on one of them
 * differs from the record's rev and is answered `conflict`.
 *
 * The gap holds as long as no record changed REV_GAP times or more between a
 * backup and its restore. Agents compare revs and never assume `+1`
 * (docs/protocol.md).
 */
export const REV_GAP = 1_000_000;

/**
 * The rev of a record's next version: 1 for a new record, else its rev + 1,
 * plus REV_GAP for each epoch that began at or after the seq of its current
 * version. `epochHeadSeqs`: the head seq at which each epoch began.
 */
export function nextRev(current: { rev: number; seq: number } | null, epochHeadSeqs: readonly number[]): number {
  if (!current) return 1;
  let epochsSince = 0;
  for (const head of epochHeadSeqs) if (head >= current.seq) epochsSince += 1;
  return current.rev + 1 + epochsSince * REV_GAP;
}

/** The stored form ('' or ascending seqs joined by commas) as numbers. */
export function parseEpochHeadSeqs(stored: string | null | undefined): number[] {
  if (!stored) return [];
  return stored
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isSafeInteger(n) && n >= 0);
}

/** The stored form with `head` added. */
export function withEpochHead(stored: string | null | undefined, head: number): string {
  return [...parseEpochHeadSeqs(stored), head].join(',');
}

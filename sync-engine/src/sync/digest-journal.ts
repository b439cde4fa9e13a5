import { DigestAccumulator, recordDigestPart } from '../protocol/digest.js';
import type { Sql } from '../store/sql.js';

/** Journal rows read per statement while folding. */
const FOLD_PAGE = 5000;

export interface LocalDigest {
  count: number;
  digest: string;
}

/**
 * Folds a dataset's digest journal (store migration 0003: the changes to its
 * live set since the stored digest was valid) into `stored`, and empties it.
 * Costs one sha256 per journaled change, however large the cache.
 */
export async function foldDigestJournal(tx: Sql, dataset: string, stored: LocalDigest): Promise<{ digest: LocalDigest; folded: number }> {
  const acc = new DigestAccumulator().xor(stored.digest);
  let count = stored.count;
  let folded = 0;
  let after = 0;
  for (;;) {
    const rows = await tx.all<{ seq: number; id: string; rev: number; delta: number }>(
      `SELECT "seq", "id", "rev", "delta" FROM "digest_journal" WHERE "dataset" = ? AND "seq" > ? ORDER BY "seq" LIMIT ${FOLD_PAGE}`,
      [dataset, after],
    );
    for (const row of rows) {
      acc.xor(recordDigestPart(row.id, row.rev));
      count += row.delta;
    }
    folded += rows.length;
    if (rows.length < FOLD_PAGE) break;
    after = rows.at(-1)?.seq ?? after;
  }
  if (folded > 0) await clearDigestJournal(tx, dataset);
  return { digest: { count, digest: acc.hex() }, folded };
}

/** Drops a dataset's journal: its digest was just recomputed from the records, or is about to be. */
export async function clearDigestJournal(tx: Sql, dataset: string): Promise<void> {
  await tx.run('DELETE FROM "digest_journal" WHERE "dataset" = ?', [dataset]);
}

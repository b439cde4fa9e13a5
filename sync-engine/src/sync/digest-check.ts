import { DigestAccumulator } from '../protocol/digest.js';
import type { DigestResponse } from '../protocol/pull.js';
import type { Sql } from '../store/sql.js';
import { clearDigestJournal, foldDigestJournal, type LocalDigest } from './digest-journal.js';

export type DigestStatus = 'match' | 'mismatch' | 'pending';

export interface DigestOutcome {
  status: DigestStatus;
  localCount: number | null;
  localDigest: string | null;
  platformCount: number | null;
  platformDigest: string | null;
  checkedAt: string;
}

/**
 * The agent's side of the convergence check (SYNC-PROTOCOL.md, Digest): XOR over
 * the live records it holds of sha256(id:rev). Streams rows by id in pages of
 * 5000, so memory stays flat.
 */
export async function localDigest(db: Sql, dataset: string): Promise<{ count: number; digest: string }> {
  const acc = new DigestAccumulator();
  let after = '';
  for (;;) {
    // Keyset on (dataset, id): the unique index serves both the filter and the order.
    const rows = await db.all<{ id: string; rev: number | null; base_deleted: number }>(
      `SELECT "id", "rev", "base_deleted" FROM "records" WHERE "dataset" = ? AND "id" > ? ORDER BY "id" LIMIT 5000`,
      [dataset, after],
    );
    if (rows.length === 0) break;
    for (const row of rows) if (row.rev !== null && row.base_deleted === 0) acc.add(row.id, row.rev);
    after = rows.at(-1)?.id ?? after;
  }
  return { count: acc.count, digest: acc.hex() };
}

/**
 * Whether the dataset has changes not yet settled with the platform: queued or
 * quarantined outbox entries, or records waiting, rejected or in conflict.
 * While any exist the two sides are not expected to agree, so the digest is
 * 'pending'. Two index probes (ix_outbox_record, ix_records_pending), cheap
 * enough for every status the window asks for.
 */
export async function hasUnsettledChanges(db: Sql, dataset: string): Promise<boolean> {
  const row = await db.get<{ n: number }>(
    `SELECT EXISTS (SELECT 1 FROM "outbox" WHERE "dataset" = ?) OR EXISTS (SELECT 1 FROM "records" WHERE "dataset" = ? AND "state" <> 'synced') AS n`,
    [dataset, dataset],
  );
  return (row?.n ?? 0) !== 0;
}

/**
 * The local digest when the dataset is settled, else null (run inside one
 * transaction so no write slips in between the check and the computation).
 * While the stored digest is valid it is brought up to date from the digest
 * journal (the changes since, recorded by triggers); only a stale one (never
 * computed, or after a resync) is recomputed from every record.
 */
export async function settledLocalDigest(tx: Sql, dataset: string, now: string): Promise<LocalDigest | null> {
  if (await hasUnsettledChanges(tx, dataset)) return null;
  const cached = await tx.get<{ local_digest: string | null; local_count: number | null; local_stale: number }>(
    'SELECT "local_digest", "local_count", "local_stale" FROM "digests" WHERE "dataset" = ?',
    [dataset],
  );
  if (cached && cached.local_stale === 0 && cached.local_digest !== null && cached.local_count !== null) {
    const { digest, folded } = await foldDigestJournal(tx, dataset, { count: cached.local_count, digest: cached.local_digest });
    if (folded > 0) {
      await tx.run('UPDATE "digests" SET "local_digest" = ?, "local_count" = ? WHERE "dataset" = ?', [digest.digest, digest.count, dataset]);
    }
    return digest;
  }
  const computed = await localDigest(tx, dataset);
  await clearDigestJournal(tx, dataset);
  await tx.run(
    `INSERT INTO "digests" ("dataset", "local_digest", "local_count", "local_stale", "status", "checked_at") VALUES (?, ?, ?, 0, 'pending', ?)
     ON CONFLICT ("dataset") DO UPDATE SET "local_digest" = excluded."local_digest", "local_count" = excluded."local_count", "local_stale" = 0`,
    [dataset, computed.digest, computed.count, now],
  );
  return computed;
}

export function compareDigests(local: { count: number; digest: string }, platform: DigestResponse, checkedAt: string): DigestOutcome {
  const matched = local.count === platform.count && local.digest === platform.digest;
  return {
    status: matched ? 'match' : 'mismatch',
    localCount: local.count,
    localDigest: local.digest,
    platformCount: platform.count,
    platformDigest: platform.digest,
    checkedAt,
  };
}

export function pendingDigest(checkedAt: string): DigestOutcome {
  return { status: 'pending', localCount: null, localDigest: null, platformCount: null, platformDigest: null, checkedAt };
}

/**
 * Stores a comparison's outcome. A 'pending' outcome carries no local digest;
 * the stored one is kept then, since the journal continues from it (readers see
 * no local digest while the status is pending: storedDigests).
 */
export async function saveDigest(tx: Sql, dataset: string, outcome: DigestOutcome): Promise<void> {
  await tx.run(
    `INSERT INTO "digests" ("dataset", "local_digest", "local_count", "platform_digest", "platform_count", "status", "checked_at")
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("dataset") DO UPDATE SET
       "local_digest" = COALESCE(excluded."local_digest", "digests"."local_digest"),
       "local_count" = COALESCE(excluded."local_count", "digests"."local_count"),
       "platform_digest" = excluded."platform_digest", "platform_count" = excluded."platform_count",
       "status" = excluded."status", "checked_at" = excluded."checked_at"`,
    [dataset, outcome.localDigest, outcome.localCount, outcome.platformDigest, outcome.platformCount, outcome.status, outcome.checkedAt],
  );
}

export async function storedDigests(db: Sql): Promise<Record<string, DigestOutcome>> {
  const rows = await db.all<{
    dataset: string;
    local_digest: string | null;
    local_count: number | null;
    platform_digest: string | null;
    platform_count: number | null;
    status: DigestStatus;
    checked_at: string;
  }>('SELECT * FROM "digests" ORDER BY "dataset"');
  return Object.fromEntries(
    rows.map((r) => [
      r.dataset,
      {
        status: r.status,
        localCount: r.status === 'pending' ? null : r.local_count,
        localDigest: r.status === 'pending' ? null : r.local_digest,
        platformCount: r.platform_count,
        platformDigest: r.platform_digest,
        checkedAt: r.checked_at,
      },
    ]),
  );
}

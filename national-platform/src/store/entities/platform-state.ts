import { EntitySchema } from 'typeorm';
import { bigintAsNumber } from '../columns.js';

/**
 * The single row of platform-wide state. `headSeq` is the last seq handed out:
 * every change-writing transaction updates this row first, which serialises
 * writers (row lock on PostgreSQL, the write lock on SQLite) so seq grows in
 * commit order and a puller never skips a change that commits late.
 */
export interface PlatformStateRow {
  id: number;
  headSeq: number;
  /** Changes when the store is created from scratch: cursors of another store are refused. */
  epoch: string;
  /** Hex HMAC key sealing pull cursors. */
  cursorKey: string;
  /**
   * The head seq at which each `epoch new` began, ascending, comma-separated
   * ('' when none has): a record last changed at or before one of them skips
   * revs on its next change (services/rev-gap.ts).
   */
  epochHeadSeqs: string;
  /**
   * When the current epoch began, the time of the newest change the platform
   * held (null: none, or an epoch begun before this was kept). A restore's
   * lost history lies after it (services/epoch.ts).
   */
  epochHeadAt: string | null;
  /** Highest seq of a purged tombstone: cursors below it may have missed a delete. */
  purgeHorizonSeq: number;
  maintenance: boolean;
  maintenanceRetryAfter: number;
  /**
   * Bumped by every `datasets publish` (services/dataset-versions.ts): serve
   * reads it with the row it locks for every push, and loads the published
   * catalog again only when it moved.
   */
  catalogVersion: number;
  /**
   * Bumped by every transaction that changes an `admin-units` record
   * (services/change-set.ts): serve reads it with the row it locks for every
   * push, and reads the units it validates by again only when it moved.
   */
  adminUnitsVersion: number;
  createdAt: string;
}

export const PlatformStateEntity = new EntitySchema<PlatformStateRow>({
  name: 'PlatformState',
  tableName: 'platform_state',
  columns: {
    id: { type: 'integer', primary: true },
    headSeq: { name: 'head_seq', type: 'bigint', transformer: bigintAsNumber },
    epoch: { type: 'varchar', length: 36 },
    cursorKey: { name: 'cursor_key', type: 'varchar', length: 64 },
    epochHeadSeqs: { name: 'epoch_head_seqs', type: 'text', default: '' },
    epochHeadAt: { name: 'epoch_head_at', type: 'varchar', length: 30, nullable: true },
    purgeHorizonSeq: { name: 'purge_horizon_seq', type: 'bigint', transformer: bigintAsNumber },
    maintenance: { type: 'boolean' },
    maintenanceRetryAfter: { name: 'maintenance_retry_after', type: 'integer' },
    catalogVersion: { name: 'catalog_version', type: 'integer', default: 0 },
    adminUnitsVersion: { name: 'admin_units_version', type: 'integer', default: 0 },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

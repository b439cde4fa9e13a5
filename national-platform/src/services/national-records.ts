import type { RecordError } from '../../../sync-engine/src/protocol/push.js';
import type { RecordData, WireRecord } from '../../../sync-engine/src/protocol/records.js';
import { uuidSchema } from '../../../sync-engine/src/protocol/records.js';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { RecordEntity } from '../store/entities/record.js';
import type { PlatformStore } from '../store/platform-store.js';
import { AdminUnitsInForce } from './admin-units-in-force.js';
import type { Catalog } from './catalog.js';
import { ChangeSet } from './change-set.js';
import { checkRecordData } from './data-checks.js';
import { PlatformError } from './platform-error.js';
import { fromRow, toWire } from './stored-record.js';

/** A national write refused for its data; `errors` say why, as a push would. */
export class RecordRejectedError extends PlatformError {
  constructor(
    readonly errors: RecordError[],
    readonly existingId?: string,
    readonly index?: number,
  ) {
    super('validation_failed', `${index !== undefined ? `record #${index + 1}: ` : ''}${errors.map((e) => `${e.path || '(record)'} ${e.code}: ${e.message}`).join('; ')}`, {
      details: errors.map((e) => ({ path: e.path, code: e.code, message: e.message })),
    });
    this.name = 'RecordRejectedError';
  }
}

export interface NationalPut {
  /** The record's id; a new UUID v7 when absent. */
  id?: string | undefined;
  data: RecordData;
  /** When given, the write applies only on this rev (as an agent's would); otherwise it overwrites. */
  baseRev?: number | undefined;
}

export interface WriteOutcome {
  id: string;
  rev: number;
  seq: number;
}

export interface ListOptions {
  province?: string | undefined;
  includeDeleted?: boolean | undefined;
  limit?: number | undefined;
}

/**
 * The national side's own writes (updatedBy `{ national: true }`): judged like
 * pushes (schema, rules, uniqueness) but with no scope and no access limits, and
 * fed to every agent through the same seq and change feed.
 */
export class NationalRecords {
  constructor(
    private readonly store: PlatformStore,
    private readonly catalog: Catalog,
    private readonly now: () => Date,
    private readonly units: AdminUnitsInForce = new AdminUnitsInForce(),
  ) {}

  async put(dataset: string, data: RecordData, options: { id?: string | undefined; baseRev?: number | undefined } = {}): Promise<WriteOutcome> {
    const [outcome] = await this.putMany(dataset, [{ ...options, data }]);
    if (!outcome) throw new Error('unreachable: one record in, one outcome out');
    return outcome;
  }

  /** Writes many records in one transaction: all are applied, or none (the first refusal is thrown). */
  async putMany(dataset: string, records: NationalPut[]): Promise<WriteOutcome[]> {
    this.catalog.get(dataset);
    for (const r of records) {
      if (r.id !== undefined && !uuidSchema.safeParse(r.id).success) throw new PlatformError('bad_request', `record id must be a lower-case UUID: ${r.id}`);
      if (typeof r.data !== 'object' || r.data === null || Array.isArray(r.data)) throw new PlatformError('bad_request', 'record data must be a JSON object');
    }
    const at = this.now();
    return this.store.write(
      async (em, seq) => {
        // Judged by the newest published version, as a push is (catalog.ts).
        await this.catalog.sync(em, seq.catalogVersion);
        await this.units.sync(em, seq.adminUnitsVersion);
        const descriptor = this.catalog.get(dataset);
        const changes = new ChangeSet(em, seq, at.toISOString());
        const ids = records.map((r) => r.id ?? uuidv7(at.getTime()));
        await changes.preload(ids.map((id) => ({ dataset, id })));
        await changes.preloadUniques(descriptor, records.map((r) => r.data));
        const out: WriteOutcome[] = [];
        for (const [index, r] of records.entries()) {
          const id = ids[index] ?? uuidv7();
          const current = await changes.current(dataset, id);
          if (r.baseRev !== undefined && current?.rev !== r.baseRev) {
            throw new PlatformError('bad_request', `record ${id} is at rev ${current?.rev ?? 'none'}, not ${r.baseRev}`);
          }
          const verdict = await checkRecordData(changes, descriptor, id, r.data, null, this.units.validation());
          if (verdict.errors.length > 0) throw new RecordRejectedError(verdict.errors, verdict.existingId, records.length > 1 ? index : undefined);
          const record = changes.put(descriptor, id, current, { deleted: false, data: r.data }, { national: true });
          out.push({ id, rev: record.rev, seq: record.seq });
        }
        await changes.flush();
        return out;
      },
      { sequenced: true },
    );
  }

  /** Deletes a record (a tombstone); deleting a tombstone changes nothing. */
  async delete(dataset: string, id: string): Promise<WriteOutcome> {
    const descriptor = this.catalog.get(dataset);
    return this.store.write(
      async (em, seq) => {
        const changes = new ChangeSet(em, seq, this.now().toISOString());
        const current = await changes.current(dataset, id);
        if (!current) throw new PlatformError('not_found', `no record ${id} in ${dataset}`);
        if (current.deleted) return { id, rev: current.rev, seq: current.seq };
        const record = changes.put(descriptor, id, current, { deleted: true, data: null }, { national: true });
        await changes.flush();
        return { id, rev: record.rev, seq: record.seq };
      },
      { sequenced: true },
    );
  }

  async get(dataset: string, id: string): Promise<WireRecord | null> {
    this.catalog.get(dataset);
    const row = await this.store.read((em) => em.getRepository(RecordEntity).findOneBy({ dataset, id }));
    return row ? toWire(fromRow(row)) : null;
  }

  /** Records of a dataset in seq order (live ones unless asked), optionally of one province. */
  async list(dataset: string, options: ListOptions = {}): Promise<(WireRecord & { seq: number })[]> {
    const descriptor = this.catalog.get(dataset);
    // Province datasets keep the province in a column; national ones (admin-units) only in their data.
    const byColumn = options.province !== undefined && descriptor.scope === 'province';
    const rows = await this.store.read((em) => {
      const qb = em.getRepository(RecordEntity).createQueryBuilder('r').where('r.dataset = :dataset', { dataset });
      if (!options.includeDeleted) qb.andWhere('r.deleted = :deleted', { deleted: false });
      if (byColumn) qb.andWhere('r.province_code = :province', { province: options.province });
      qb.orderBy('r.seq', 'ASC');
      if (options.limit !== undefined && options.province === undefined) qb.take(options.limit);
      return qb.getMany();
    });
    let out = rows.map((row) => ({ seq: row.seq, ...toWire(fromRow(row)) }));
    if (options.province !== undefined && !byColumn) out = out.filter((r) => r.data?.['provinceCode'] === options.province);
    return options.limit !== undefined ? out.slice(0, options.limit) : out;
  }
}

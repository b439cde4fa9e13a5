import type { EntityManager } from 'typeorm';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { DigestAccumulator, EMPTY_DIGEST, recordDigestPart } from '../../../sync-engine/src/protocol/digest.js';
import type { RecordData, UpdatedBy } from '../../../sync-engine/src/protocol/records.js';
import { MessageLogEntity, MutationResultEntity, type MessageLogRow, type MutationResultRow } from '../store/entities/mutation-log.js';
import { DigestBucketEntity, RecordEntity, RecordScopeHistoryEntity, UniqueKeyEntity, type RecordScopeHistoryRow } from '../store/entities/record.js';
import type { SeqCounter } from '../store/platform-store.js';
import { placeOf, type RecordPlace } from './scope.js';
import { fromRow, toRow, type StoredRecord } from './stored-record.js';
import { uniqueValue, uniqueValuesOf } from './unique-values.js';

/** Rows per multi-row statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const CHUNK = 400;

interface BucketDelta {
  dataset: string;
  provinceCode: string;
  communeCode: string;
  acc: DigestAccumulator;
  count: number;
}

interface UniqueClaim {
  dataset: string;
  field: string;
  value: string;
  recordId: string | null;
}

export interface UniqueClash {
  field: string;
  value: string;
  recordId: string;
}

const key = (dataset: string, id: string) => `${dataset}\u0000${id}`;
const uniqueKey = (dataset: string, field: string, value: string) => `${dataset}\u0000${field}\u0000${value}`;

/**
 * The record changes of one sequenced write transaction (a push batch, a
 * national write, a seed page). Judging reads through it, so a later mutation of
 * the batch sees the earlier ones; writes are kept in memory and flushed with a
 * few multi-row statements at the end: records, scope history, unique keys,
 * digest buckets, mutation results and the message log.
 */
export class ChangeSet {
  private readonly records = new Map<string, StoredRecord | null>();
  private readonly touched = new Map<string, StoredRecord>();
  /** Unique values claimed (record id) or released (null) by this change set. */
  private readonly uniques = new Map<string, UniqueClaim>();
  /** Holders of unique values as stored before this change set, looked up in bulk. */
  private readonly storedUniques = new Map<string, string | null>();
  private readonly history = new Map<string, RecordScopeHistoryRow>();
  private readonly buckets = new Map<string, BucketDelta>();
  private readonly results: MutationResultRow[] = [];
  private readonly logs: MessageLogRow[] = [];

  constructor(
    private readonly em: EntityManager,
    private readonly seq: SeqCounter,
    private readonly now: string,
  ) {}

  /** Loads the current state of many records in a few queries. */
  async preload(keys: { dataset: string; id: string }[]): Promise<void> {
    const wanted = new Map<string, Set<string>>();
    for (const k of keys) {
      if (this.records.has(key(k.dataset, k.id))) continue;
      const ids = wanted.get(k.dataset) ?? new Set<string>();
      ids.add(k.id);
      wanted.set(k.dataset, ids);
    }
    for (const [dataset, idSet] of wanted) {
      const ids = [...idSet];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const slice = ids.slice(i, i + CHUNK);
        const rows = await this.em
          .getRepository(RecordEntity)
          .createQueryBuilder('r')
          .where('r.dataset = :dataset AND r.id IN (:...ids)', { dataset, ids: slice })
          .getMany();
        for (const id of slice) this.records.set(key(dataset, id), null);
        for (const row of rows) this.records.set(key(dataset, row.id), fromRow(row));
      }
    }
  }

  async current(dataset: string, id: string): Promise<StoredRecord | null> {
    const k = key(dataset, id);
    if (!this.records.has(k)) await this.preload([{ dataset, id }]);
    return this.records.get(k) ?? null;
  }

  /** Looks up, in a few queries, who holds the unique values of many records' data. */
  async preloadUniques(descriptor: DatasetDescriptor, datas: (RecordData | null | undefined)[]): Promise<void> {
    for (const field of descriptor.uniqueFields) {
      const values = [...new Set(datas.map((d) => (d ? uniqueValue(d[field]) : null)).filter((v): v is string => v !== null))].filter(
        (v) => !this.storedUniques.has(uniqueKey(descriptor.name, field, v)),
      );
      for (let i = 0; i < values.length; i += CHUNK) {
        const slice = values.slice(i, i + CHUNK);
        const rows = await this.em
          .getRepository(UniqueKeyEntity)
          .createQueryBuilder('u')
          .where('u.dataset = :dataset AND u.field = :field AND u.value IN (:...values)', { dataset: descriptor.name, field, values: slice })
          .getMany();
        for (const v of slice) this.storedUniques.set(uniqueKey(descriptor.name, field, v), null);
        for (const row of rows) this.storedUniques.set(uniqueKey(descriptor.name, field, row.value), row.recordId);
      }
    }
  }

  /** The first unique field of `data` whose value another live record of the dataset holds. */
  async uniqueClash(descriptor: DatasetDescriptor, data: RecordData, id: string): Promise<UniqueClash | null> {
    for (const field of descriptor.uniqueFields) {
      const value = uniqueValue(data[field]);
      if (value === null) continue;
      const k = uniqueKey(descriptor.name, field, value);
      let holder: string | null;
      const claim = this.uniques.get(k);
      if (claim) holder = claim.recordId;
      else if (this.storedUniques.has(k)) holder = this.storedUniques.get(k) ?? null;
      else {
        const row = await this.em.getRepository(UniqueKeyEntity).findOneBy({ dataset: descriptor.name, field, value });
        holder = row?.recordId ?? null;
        this.storedUniques.set(k, holder);
      }
      if (holder !== null && holder !== id) return { field, value, recordId: holder };
    }
    return null;
  }

  /**
   * Records the next state of a record: rev + 1 and a fresh seq, with its digest
   * part, unique keys, scope history and digest bucket deltas. The caller has
   * judged the change (base rev, rules, scope, uniqueness).
   */
  put(descriptor: DatasetDescriptor, id: string, current: StoredRecord | null, next: { deleted: boolean; data: RecordData | null }, updatedBy: UpdatedBy): StoredRecord {
    const rev = (current?.rev ?? 0) + 1;
    const record: StoredRecord = {
      dataset: descriptor.name,
      id,
      rev,
      deleted: next.deleted,
      data: next.deleted ? null : next.data,
      updatedAt: this.now,
      updatedBy,
      seq: this.seq.next(),
      // A tombstone keeps the last place, so the delete reaches the agents that held the record.
      place: next.deleted ? (current?.place ?? placeOf(descriptor, null)) : placeOf(descriptor, next.data),
      digestPart: recordDigestPart(id, rev).toString('hex'),
    };
    if (current && !current.deleted) {
      const old = this.bucket(descriptor.name, current.place);
      old.acc.xor(current.digestPart);
      old.count -= 1;
      for (const [field, value] of uniqueValuesOf(descriptor, current.data)) this.claim(descriptor.name, field, value, null);
    }
    if (!record.deleted) {
      const bucket = this.bucket(descriptor.name, record.place);
      bucket.acc.xor(record.digestPart);
      bucket.count += 1;
      for (const [field, value] of uniqueValuesOf(descriptor, record.data)) this.claim(descriptor.name, field, value, id);
    }
    if (descriptor.scope === 'province' && record.place.provinceCode) {
      const row = { dataset: descriptor.name, recordId: id, provinceCode: record.place.provinceCode, communeCode: record.place.communeCode ?? '' };
      this.history.set(`${key(descriptor.name, id)}\u0000${row.provinceCode}\u0000${row.communeCode}`, row);
    }
    this.records.set(key(descriptor.name, id), record);
    this.touched.set(key(descriptor.name, id), record);
    return record;
  }

  /** Remembers an accepted mutation's result, for `duplicate` answers to its replays. */
  acceptResult(row: MutationResultRow): void {
    this.results.push(row);
  }

  log(row: MessageLogRow): void {
    this.logs.push(row);
  }

  private claim(dataset: string, field: string, value: string, recordId: string | null): void {
    this.uniques.set(uniqueKey(dataset, field, value), { dataset, field, value, recordId });
  }

  private bucket(dataset: string, place: RecordPlace): BucketDelta {
    const provinceCode = place.provinceCode ?? '';
    const communeCode = place.communeCode ?? '';
    const k = `${dataset}\u0000${provinceCode}\u0000${communeCode}`;
    let b = this.buckets.get(k);
    if (!b) {
      b = { dataset, provinceCode, communeCode, acc: new DigestAccumulator(), count: 0 };
      this.buckets.set(k, b);
    }
    return b;
  }

  /** Writes everything in a few multi-row statements. Call once, inside the transaction. */
  async flush(): Promise<void> {
    const records = [...this.touched.values()];
    const columns = ['rev', 'deleted', 'data', 'updatedAt', 'updatedBy', 'seq', 'provinceCode', 'communeCode', 'digestPart'];
    // Each touched record appears once, at a seq newer than any stored one, so
    // the upsert never collides on the unique seq index.
    for (let i = 0; i < records.length; i += CHUNK) {
      const rows = records.slice(i, i + CHUNK).map(toRow);
      await this.em
        .createQueryBuilder()
        .insert()
        .into(RecordEntity)
        .values(rows)
        .orUpdate(
          columns.map((c) => this.column(RecordEntity, c)),
          ['dataset', 'id'],
        )
        .updateEntity(false)
        .execute();
    }
    await this.insertAll(RecordScopeHistoryEntity, [...this.history.values()], true);
    await this.flushUniques(records);
    await this.flushBuckets();
    await this.insertAll(MutationResultEntity, this.results, false);
    await this.insertAll(MessageLogEntity, this.logs, false);
  }

  private column(entity: typeof RecordEntity, property: string): string {
    return this.em.connection.getMetadata(entity).findColumnWithPropertyName(property)?.databaseName ?? property;
  }

  private async flushUniques(records: StoredRecord[]): Promise<void> {
    const byDataset = new Map<string, StoredRecord[]>();
    for (const r of records) byDataset.set(r.dataset, [...(byDataset.get(r.dataset) ?? []), r]);
    for (const [dataset, rows] of byDataset) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
        await this.em.createQueryBuilder().delete().from(UniqueKeyEntity).where('dataset = :dataset AND record_id IN (:...ids)', { dataset, ids }).execute();
      }
    }
    const held = [...this.uniques.values()].flatMap((c) => (c.recordId === null ? [] : [{ ...c, recordId: c.recordId }]));
    await this.insertAll(UniqueKeyEntity, held, false);
  }

  private async flushBuckets(): Promise<void> {
    for (const b of this.buckets.values()) {
      if (b.count === 0 && b.acc.hex() === EMPTY_DIGEST) continue;
      const repo = this.em.getRepository(DigestBucketEntity);
      const where = { dataset: b.dataset, provinceCode: b.provinceCode, communeCode: b.communeCode };
      const row = await repo.findOneBy(where);
      const digest = new DigestAccumulator().xor(row?.digest ?? EMPTY_DIGEST).xor(b.acc.hex()).hex();
      const liveCount = (row?.liveCount ?? 0) + b.count;
      if (row) {
        await this.em
          .createQueryBuilder()
          .update(DigestBucketEntity)
          .set({ digest, liveCount })
          .where('dataset = :dataset AND province_code = :provinceCode AND commune_code = :communeCode', where)
          .execute();
      } else {
        await this.em.createQueryBuilder().insert().into(DigestBucketEntity).values({ ...where, digest, liveCount }).updateEntity(false).execute();
      }
    }
  }

  private async insertAll<T extends object>(entity: Parameters<EntityManager['getRepository']>[0], rows: T[], ignoreExisting: boolean): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const qb = this.em.createQueryBuilder().insert().into(entity).values(rows.slice(i, i + CHUNK)).updateEntity(false);
      await (ignoreExisting ? qb.orIgnore() : qb).execute();
    }
  }
}

import type { EntityManager } from 'typeorm';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { adminUnitsDataset } from '../../../sync-engine/src/protocol/datasets/admin-units.js';
import { DigestAccumulator, EMPTY_DIGEST, recordDigestPart } from '../../../sync-engine/src/protocol/digest.js';
import type { RecordData, UpdatedBy } from '../../../sync-engine/src/protocol/records.js';
import { MessageLogEntity, type MessageLogRow } from '../store/entities/mutation-log.js';
import { PlatformStateEntity } from '../store/entities/platform-state.js';
import { DigestBucketEntity, RecordEntity, RecordScopeHistoryEntity, UniqueKeyEntity, type DigestBucketRow, type RecordScopeHistoryRow } from '../store/entities/record.js';
import type { SeqCounter } from '../store/platform-store.js';
import { insertRows } from '../store/row-insert.js';
import { insertSignedRequests, type SignedRequest } from './signed-requests.js';
import { nextRev } from './rev-gap.js';
import { placeOf, type RecordPlace } from './scope.js';
import { fromRow, toRow, type StoredRecord } from './stored-record.js';
import { uniqueValue, uniqueValuesOf } from './unique-values.js';

/** Keys per `IN (...)` lookup (one query for a full push batch): well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const CHUNK = 1000;
/** A stored record's columns an upsert replaces (all but its key). */
const RECORD_UPDATE_COLUMNS = ['rev', 'deleted', 'data', 'updated_at', 'updated_by', 'seq', 'province_code', 'commune_code', 'digest_part'];

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
const bucketKey = (dataset: string, provinceCode: string, communeCode: string) => `${dataset}\u0000${provinceCode}\u0000${communeCode}`;

/**
 * The record changes of one sequenced write transaction (a push batch, a
 * national write, a seed page). Judging reads through it, so a later mutation of
 * the batch sees the earlier ones; writes are kept in memory and flushed with a
 * few multi-row statements at the end: records, scope history, unique keys,
 * digest buckets, the signed requests and the message log.
 */
export class ChangeSet {
  private readonly records = new Map<string, StoredRecord | null>();
  private readonly touched = new Map<string, StoredRecord>();
  /** Touched records that had a state before (stored or earlier in this change set). */
  private readonly replaced = new Set<string>();
  /** Unique values claimed (record id) or released (null) by this change set. */
  private readonly uniques = new Map<string, UniqueClaim>();
  /** Holders of unique values as stored before this change set, looked up in bulk. */
  private readonly storedUniques = new Map<string, string | null>();
  /** Scope history rows to write; `moved`: the record entered or left the place here, so the row's left_seq is set. */
  private readonly history = new Map<string, { row: RecordScopeHistoryRow; moved: boolean }>();
  private readonly buckets = new Map<string, BucketDelta>();
  private readonly logs: MessageLogRow[] = [];
  /** The signed requests the logged mutations came in, each once. */
  private readonly requests = new Map<string, SignedRequest>();

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
   * Records the next state of a record: the next rev (rev + 1, and a gap after a
   * restore: rev-gap.ts) and a fresh seq, with its digest
   * part, unique keys, scope history and digest bucket deltas. The caller has
   * judged the change (base rev, rules, scope, uniqueness).
   */
  put(descriptor: DatasetDescriptor, id: string, current: StoredRecord | null, next: { deleted: boolean; data: RecordData | null }, updatedBy: UpdatedBy): StoredRecord {
    const rev = nextRev(current, this.seq.epochHeadSeqs);
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
    if (descriptor.scope === 'province') {
      const moved = !current || !samePlace(current.place, record.place);
      // The place it leaves: agents whose cursor is before this seq may hold it there, and get `removed` once.
      if (current && moved) this.placed(descriptor.name, id, current.place, record.seq, true);
      this.placed(descriptor.name, id, record.place, null, moved);
    }
    this.records.set(key(descriptor.name, id), record);
    this.touched.set(key(descriptor.name, id), record);
    if (current) this.replaced.add(key(descriptor.name, id));
    return record;
  }

  log(row: MessageLogRow, request: SignedRequest): void {
    this.logs.push(row);
    this.requests.set(request.id, request);
  }

  private placed(dataset: string, recordId: string, place: RecordPlace, leftSeq: number | null, moved: boolean): void {
    if (!place.provinceCode) return;
    const row = { dataset, recordId, provinceCode: place.provinceCode, communeCode: place.communeCode ?? '', leftSeq };
    const k = `${key(dataset, recordId)}\u0000${row.provinceCode}\u0000${row.communeCode}`;
    this.history.set(k, { row, moved: moved || (this.history.get(k)?.moved ?? false) });
  }

  private claim(dataset: string, field: string, value: string, recordId: string | null): void {
    this.uniques.set(uniqueKey(dataset, field, value), { dataset, field, value, recordId });
  }

  private bucket(dataset: string, place: RecordPlace): BucketDelta {
    const provinceCode = place.provinceCode ?? '';
    const communeCode = place.communeCode ?? '';
    const k = bucketKey(dataset, provinceCode, communeCode);
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
    // Each touched record appears once, at a seq newer than any stored one, so
    // the upsert never collides on the unique seq index.
    await insertRows(this.em, RecordEntity, records.map(toRow), { update: { target: ['dataset', 'id'], columns: RECORD_UPDATE_COLUMNS } });
    // A record edited where it was only makes sure its row is there; one that moved sets left_seq on both places.
    const history = [...this.history.values()];
    await insertRows(this.em, RecordScopeHistoryEntity, history.filter((h) => !h.moved).map((h) => h.row), { ignore: true });
    await insertRows(
      this.em,
      RecordScopeHistoryEntity,
      history.filter((h) => h.moved).map((h) => h.row),
      { update: { target: ['dataset', 'record_id', 'province_code', 'commune_code'], columns: ['left_seq'] } },
    );
    await this.flushUniques(records);
    await this.flushBuckets();
    await insertSignedRequests(this.em, [...this.requests.values()]);
    await insertRows(this.em, MessageLogEntity, this.logs);
    // The units validation checks codes against changed: every process reads them again at its next transaction (admin-units-in-force.ts).
    if (records.some((r) => r.dataset === adminUnitsDataset.name)) {
      await this.em.createQueryBuilder().update(PlatformStateEntity).set({ adminUnitsVersion: () => 'admin_units_version + 1' }).where('id = 1').execute();
    }
  }

  private async flushUniques(records: StoredRecord[]): Promise<void> {
    // Only records that existed before can hold stored keys: a batch of new records deletes nothing.
    const byDataset = new Map<string, string[]>();
    for (const r of records) {
      if (!this.replaced.has(key(r.dataset, r.id))) continue;
      const ids = byDataset.get(r.dataset) ?? [];
      ids.push(r.id);
      byDataset.set(r.dataset, ids);
    }
    for (const [dataset, all] of byDataset) {
      for (let i = 0; i < all.length; i += CHUNK) {
        const ids = all.slice(i, i + CHUNK);
        await this.em.createQueryBuilder().delete().from(UniqueKeyEntity).where('dataset = :dataset AND record_id IN (:...ids)', { dataset, ids }).execute();
      }
    }
    const held = [...this.uniques.values()].flatMap((c) => (c.recordId === null ? [] : [{ ...c, recordId: c.recordId }]));
    await insertRows(this.em, UniqueKeyEntity, held);
  }

  /**
   * Folds the deltas into the stored buckets: one read of the touched
   * provinces' buckets and one multi-row upsert, not a read and a write per
   * bucket (a push of 500 births in one province touched ~120 communes: ~250
   * statements). The transaction is sequenced, so no other writer changes a
   * bucket between the read and the write.
   */
  private async flushBuckets(): Promise<void> {
    const changed = [...this.buckets.values()].filter((b) => b.count !== 0 || b.acc.hex() !== EMPTY_DIGEST);
    const stored = new Map<string, DigestBucketRow>();
    const provincesOf = new Map<string, Set<string>>();
    for (const b of changed) provincesOf.set(b.dataset, (provincesOf.get(b.dataset) ?? new Set()).add(b.provinceCode));
    for (const [dataset, provinces] of provincesOf) {
      const rows = await this.em
        .getRepository(DigestBucketEntity)
        .createQueryBuilder('b')
        .where('b.dataset = :dataset AND b.province_code IN (:...provinces)', { dataset, provinces: [...provinces] })
        .getMany();
      for (const row of rows) stored.set(bucketKey(row.dataset, row.provinceCode, row.communeCode), row);
    }
    const next = changed.map((b): DigestBucketRow => {
      const row = stored.get(bucketKey(b.dataset, b.provinceCode, b.communeCode));
      return {
        dataset: b.dataset,
        provinceCode: b.provinceCode,
        communeCode: b.communeCode,
        digest: new DigestAccumulator().xor(row?.digest ?? EMPTY_DIGEST).xor(b.acc.hex()).hex(),
        liveCount: (row?.liveCount ?? 0) + b.count,
      };
    });
    await insertRows(this.em, DigestBucketEntity, next, { update: { target: ['dataset', 'province_code', 'commune_code'], columns: ['digest', 'live_count'] } });
  }
}

function samePlace(a: RecordPlace, b: RecordPlace): boolean {
  return a.provinceCode === b.provinceCode && (a.communeCode ?? '') === (b.communeCode ?? '');
}

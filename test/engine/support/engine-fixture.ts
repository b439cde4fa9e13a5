import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditLog } from '../../../sync-engine/src/audit/audit-log.js';
import { Conflicts } from '../../../sync-engine/src/conflicts/conflicts.js';
import { Outbox } from '../../../sync-engine/src/outbox/outbox.js';
import { DATASETS } from '../../../sync-engine/src/protocol/datasets/index.js';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import type { SiteScope } from '../../../sync-engine/src/protocol/records.js';
import { uuidv7 } from '../../../sync-engine/src/protocol/uuid.js';
import { buildSearchText } from '../../../sync-engine/src/domain/search-fold.js';
import { LocalWrites } from '../../../sync-engine/src/records/local-writes.js';
import { writeRecord } from '../../../sync-engine/src/records/record-row.js';
import { searchFieldsOf } from '../../../sync-engine/src/store/catalog-cache.js';
import { RecordReads } from '../../../sync-engine/src/records/record-reads.js';
import { RecordSearch } from '../../../sync-engine/src/search/record-search.js';
import { openAgentStore, type AgentStore } from '../../../sync-engine/src/store/agent-store.js';
import { createEngineContext, type EngineContext } from '../../../sync-engine/src/store/engine-context.js';

/** A controllable clock: tests move time, nothing reads the wall clock. */
export class TestClock {
  constructor(public ms = Date.parse('2025-10-01T02:00:00Z')) {}
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface EngineFixture {
  dir: string;
  store: AgentStore;
  ctx: EngineContext;
  clock: TestClock;
  writes: LocalWrites;
  reads: RecordReads;
  outbox: Outbox;
  conflicts: Conflicts;
  search: RecordSearch;
  audit: AuditLog;
  count(table: string): Promise<number>;
  /** Closes the store and opens it again from the same folder (a restart). */
  reopen(): Promise<EngineFixture>;
  close(): Promise<void>;
}

export const HANOI_SCOPE: SiteScope = { provinceCode: '01' };

export interface FixtureOptions {
  dir?: string;
  scope?: SiteScope;
  catalog?: readonly DatasetDescriptor[];
  /** Skip seeding identity and catalog (a fresh, unenrolled agent). */
  bare?: boolean;
  clock?: TestClock;
}

/** An agent store in a temp folder, enrolled for Hà Nội with the sample catalog cached. */
export async function openEngineFixture(options: FixtureOptions = {}): Promise<EngineFixture> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'engine-'));
  const clock = options.clock ?? new TestClock();
  const store = await openAgentStore(dir);
  const ctx = createEngineContext(store, { now: clock.now, newId: () => uuidv7(clock.now()) });
  if (!options.bare) {
    await store.transaction(async (tx) => {
      const existing = await ctx.credentials.identity(tx);
      if (!existing) {
        await ctx.credentials.saveIdentity(tx, {
          agentId: uuidv7(clock.now()),
          siteCode: 'HN-PHUCXA',
          scope: options.scope ?? HANOI_SCOPE,
          status: 'active',
          platformUrl: 'http://127.0.0.1:1',
          keyRef: 'file:agent-key.pem',
        });
        await ctx.catalog.replace(tx, options.catalog ?? DATASETS, new Date(clock.now()).toISOString());
      }
    });
  }
  const fixture: EngineFixture = {
    dir,
    store,
    ctx,
    clock,
    writes: new LocalWrites(ctx),
    reads: new RecordReads(ctx),
    outbox: new Outbox(ctx),
    conflicts: new Conflicts(ctx),
    search: new RecordSearch(ctx),
    audit: ctx.audit,
    count: async (table) => (await store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`))?.n ?? 0,
    reopen: async () => {
      await store.close();
      return openEngineFixture({ ...options, dir, clock });
    },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Puts a record in the cache as if pulled: synced at `rev`, base = data. */
export async function seedSynced(f: EngineFixture, dataset: string, id: string, data: Record<string, unknown>, rev: number): Promise<void> {
  const descriptor = await f.ctx.catalog.get(f.store.sql, dataset);
  await f.store.transaction((tx) =>
    writeRecord(tx, {
      dataset,
      id,
      data,
      deleted: false,
      rev,
      baseData: data,
      baseDeleted: false,
      state: 'synced',
      searchText: descriptor ? buildSearchText(data, searchFieldsOf(descriptor)) : '',
      updatedAt: new Date(f.clock.now()).toISOString(),
      updatedBy: { national: true },
      pullGen: 0,
    }),
  );
}

/** A platform record as a push `conflict` answer or a pull carries it. */
export function wireRecord(id: string, rev: number, data: Record<string, unknown> | null, deleted = false) {
  return { id, rev, deleted, data, updatedAt: '2025-10-01T03:00:00Z', updatedBy: { national: true as const } };
}

import type { EntityManager } from 'typeorm';
import { datasetDescriptorSchema, type DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { DATASETS } from '../../../sync-engine/src/protocol/datasets/index.js';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';
import { validateRecordData, type ValidationContext } from '../../../sync-engine/src/protocol/validation/index.js';
import { AgentEntity } from '../store/entities/agent.js';
import { DatasetVersionEntity } from '../store/entities/dataset-version.js';
import { PlatformStateEntity } from '../store/entities/platform-state.js';
import { RecordEntity } from '../store/entities/record.js';
import type { PlatformStore } from '../store/platform-store.js';
import { checkPublishable } from './dataset-checks.js';
import { PlatformError } from './platform-error.js';

/**
 * The dataset versions the national operator publishes (`datasets publish`):
 * kept in dataset_versions, the newest of each dataset served as the catalog
 * and used to judge pushes (catalog.ts). A dataset never published is the
 * version the build ships.
 */

/** A dataset as `datasets list` shows it. */
export interface DatasetVersionView {
  name: string;
  title: { vi: string; en: string };
  /** The version in force. */
  version: number;
  /** When it was published; null for the version the build ships. */
  publishedAt: string | null;
  /** Versions published on this database (the shipped one not counted). */
  published: number;
}

export async function catalogVersionOf(em: EntityManager): Promise<number> {
  const row = await em.getRepository(PlatformStateEntity).findOne({ select: { catalogVersion: true }, where: { id: 1 } });
  return row?.catalogVersion ?? 0;
}

/** The newest published version of each dataset that has one. */
export async function newestPublished(em: EntityManager): Promise<Map<string, DatasetDescriptor>> {
  const rows = (await em.query(
    `SELECT v.dataset, v.descriptor FROM dataset_versions v
     WHERE v.version = (SELECT max(w.version) FROM dataset_versions w WHERE w.dataset = v.dataset)`,
  )) as { dataset: string; descriptor: string }[];
  return new Map(rows.map((r) => [r.dataset, parseStored(r.descriptor)]));
}

/** A stored descriptor: it was checked when published, so one that does not parse is a damaged row. */
function parseStored(text: string): DatasetDescriptor {
  return datasetDescriptorSchema.parse(JSON.parse(text));
}

/** Every dataset with the version in force. */
export async function listDatasetVersions(store: PlatformStore): Promise<DatasetVersionView[]> {
  return store.read(async (em) => {
    const rows = await em.getRepository(DatasetVersionEntity).find({ select: { dataset: true, version: true, publishedAt: true }, order: { version: 'ASC' } });
    const newest = await newestPublished(em);
    return DATASETS.map((shipped) => {
      const mine = rows.filter((r) => r.dataset === shipped.name);
      const last = mine.at(-1);
      const current = newest.get(shipped.name) ?? shipped;
      return { name: shipped.name, title: current.title, version: current.version, publishedAt: last?.publishedAt ?? null, published: mine.length };
    });
  });
}

/** A dataset's descriptor: the version in force, or version `version` (published here, or the shipped one); null: no such version. */
export async function showDatasetVersion(store: PlatformStore, name: string, version?: number): Promise<DatasetDescriptor | null> {
  const shipped = DATASETS.find((d) => d.name === name);
  if (!shipped) throw new PlatformError('unknown_dataset', `no dataset is called ${JSON.stringify(name.slice(0, 64))}`);
  return store.read(async (em) => {
    if (version === undefined) return (await newestPublished(em)).get(name) ?? shipped;
    const row = await em.getRepository(DatasetVersionEntity).findOneBy({ dataset: name, version });
    if (row) return parseStored(row.descriptor);
    return version === shipped.version ? shipped : null;
  });
}

/** The version in force of a dataset, read in `em`. */
async function inForce(em: EntityManager, name: string): Promise<DatasetDescriptor | undefined> {
  return (await newestPublished(em)).get(name) ?? DATASETS.find((d) => d.name === name);
}

/** What publishing `descriptor` would do, from the database; nothing here writes. */
export interface PublishImpact {
  dataset: string;
  fromVersion: number;
  toVersion: number;
  /** Live records of the dataset. */
  liveRecords: number;
  /** Of those, the ones the new version's schema and rules refuse: they stay as they are; an edit of one must meet the new version. */
  refused: number;
  /** Why, by error path and code, most frequent first (at most 10). */
  reasons: { path: string; code: string; count: number }[];
  /** Up to 5 of the refused records' ids. */
  examples: string[];
  /** Active agents (every one receives the new version at its next sync) and their sites. */
  activeAgents: number;
  sites: number;
}

const PAGE = 1000;

/**
 * Checks `candidate` against the version in force (dataset-checks.ts) and
 * reads what publishing it would do: throws PublishRefusedError when it may
 * not be published.
 */
export async function publishImpact(store: PlatformStore, candidate: unknown, validation: ValidationContext = {}): Promise<{ descriptor: DatasetDescriptor; impact: PublishImpact }> {
  return store.read(async (em) => {
    const name = (candidate as { name?: unknown } | null)?.name;
    const current = typeof name === 'string' ? await inForce(em, name) : undefined;
    const check = checkPublishable(candidate, current);
    if (!check.ok) throw new PublishRefusedError(check.problems);
    const descriptor = check.descriptor;
    let liveRecords = 0;
    const refusedIds: string[] = [];
    const reasons = new Map<string, { path: string; code: string; count: number }>();
    let after = -1;
    for (;;) {
      const rows = await em
        .getRepository(RecordEntity)
        .createQueryBuilder('r')
        .select(['r.id', 'r.seq', 'r.data'])
        .where('r.dataset = :dataset AND r.deleted = :deleted AND r.seq > :after', { dataset: descriptor.name, deleted: false, after })
        .orderBy('r.seq', 'ASC')
        .limit(PAGE)
        .getMany();
      for (const row of rows) {
        liveRecords += 1;
        const errors = validateRecordData(descriptor, JSON.parse(row.data ?? '{}') as RecordData, validation);
        if (errors.length === 0) continue;
        refusedIds.push(row.id);
        for (const e of errors) {
          const key = `${e.path}\u0000${e.code}`;
          const seen = reasons.get(key) ?? { path: e.path, code: e.code, count: 0 };
          seen.count += 1;
          reasons.set(key, seen);
        }
      }
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]?.seq ?? after;
    }
    const agents = await em.getRepository(AgentEntity).find({ select: { siteCode: true }, where: { status: 'active' } });
    const impact: PublishImpact = {
      dataset: descriptor.name,
      fromVersion: current?.version ?? 0,
      toVersion: descriptor.version,
      liveRecords,
      refused: refusedIds.length,
      reasons: [...reasons.values()].sort((a, b) => b.count - a.count).slice(0, 10),
      examples: refusedIds.slice(0, 5),
      activeAgents: agents.length,
      sites: new Set(agents.map((a) => a.siteCode)).size,
    };
    return { descriptor, impact };
  });
}

/** A descriptor `datasets publish` may not publish; `problems` say why, in both languages. */
export class PublishRefusedError extends PlatformError {
  constructor(readonly problems: { vi: string; en: string }[]) {
    super('validation_failed', problems.map((p) => p.en).join('; '));
    this.name = 'PublishRefusedError';
  }
}

/**
 * Publishes `descriptor` as its dataset's version in force: checked again
 * against the version in force inside the transaction (another publish may
 * have come between), stored, and platform_state.catalog_version bumped so a
 * running serve reads it for the next push and the next catalog answer. A
 * sequenced write: no push is judged half under the old version.
 */
export async function publishDatasetVersion(store: PlatformStore, descriptor: DatasetDescriptor, at: Date): Promise<{ dataset: string; version: number; publishedAt: string }> {
  return store.write(
    async (em, seq) => {
      const check = checkPublishable(descriptor, await inForce(em, descriptor.name));
      if (!check.ok) throw new PublishRefusedError(check.problems);
      const publishedAt = at.toISOString();
      await em.getRepository(DatasetVersionEntity).insert({ dataset: descriptor.name, version: descriptor.version, descriptor: JSON.stringify(check.descriptor), publishedAt });
      await em.createQueryBuilder().update(PlatformStateEntity).set({ catalogVersion: seq.catalogVersion + 1 }).where('id = 1').execute();
      return { dataset: descriptor.name, version: descriptor.version, publishedAt };
    },
    { sequenced: true },
  );
}

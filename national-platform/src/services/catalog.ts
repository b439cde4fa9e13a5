import type { EntityManager } from 'typeorm';
import type { CatalogResponse, DatasetDescriptor, PlatformLimits } from '../../../sync-engine/src/protocol/catalog.js';
import { DATASETS } from '../../../sync-engine/src/protocol/datasets/index.js';
import { MAX_BODY_BYTES, MAX_PULL_LIMIT, MAX_PUSH_BATCH } from '../../../sync-engine/src/protocol/limits.js';
import { SiteAccessEntity } from '../store/entities/site.js';
import { PlatformError } from './platform-error.js';
import type { DatasetAccess } from './sites.js';

/**
 * The caps this platform enforces, sent with every catalog answer (the
 * `limits` extension, docs/protocol.md): an agent that reads them may push up
 * to MAX_PUSH_BATCH mutations instead of the protocol's guaranteed 500. Agents
 * fetch the catalog at the start of every sync run, so this costs no request.
 */
export const PLATFORM_LIMITS: Required<PlatformLimits> = { pushBatch: MAX_PUSH_BATCH, pullLimit: MAX_PULL_LIMIT, bodyBytes: MAX_BODY_BYTES };

/**
 * The datasets the platform declares and what each site may do with them. A
 * dataset's own access is the ceiling (admin-units is read-only for everyone); a
 * site's override can only lower a read-write dataset to read.
 */
export class Catalog {
  private readonly byName: ReadonlyMap<string, DatasetDescriptor>;

  constructor(readonly datasets: readonly DatasetDescriptor[] = DATASETS) {
    this.byName = new Map(datasets.map((d) => [d.name, d]));
  }

  find(name: string): DatasetDescriptor | undefined {
    return this.byName.get(name);
  }

  /** The dataset, or `unknown_dataset` (404). */
  get(name: string): DatasetDescriptor {
    const descriptor = this.byName.get(name);
    if (!descriptor) throw new PlatformError('unknown_dataset', `no dataset is called ${JSON.stringify(name.slice(0, 64))}`);
    return descriptor;
  }

  /** The per-dataset access overrides of a site. */
  async overrides(em: EntityManager, siteCode: string): Promise<Map<string, DatasetAccess>> {
    const rows = await em.getRepository(SiteAccessEntity).findBy({ siteCode });
    return new Map(rows.map((r) => [r.dataset, r.access]));
  }

  static effectiveAccess(descriptor: DatasetDescriptor, override: DatasetAccess | undefined): DatasetAccess {
    return descriptor.access === 'read' || override === 'read' ? 'read' : 'read-write';
  }

  /** The catalog one site sees: every dataset, with the access that site has. */
  async forSite(em: EntityManager, siteCode: string): Promise<DatasetDescriptor[]> {
    const overrides = await this.overrides(em, siteCode);
    return this.datasets.map((d) => ({ ...d, access: Catalog.effectiveAccess(d, overrides.get(d.name)) }));
  }

  /** The answer to `GET /v1/datasets`: the site's catalog and the platform's caps. */
  async answer(em: EntityManager, siteCode: string): Promise<CatalogResponse> {
    return { datasets: await this.forSite(em, siteCode), limits: PLATFORM_LIMITS };
  }
}

import type { EntityManager } from 'typeorm';
import type { DatasetDescriptor } from '../../../sync-engine/src/protocol/catalog.js';
import { DATASETS } from '../../../sync-engine/src/protocol/datasets/index.js';
import { SiteAccessEntity } from '../store/entities/site.js';
import { PlatformError } from './platform-error.js';
import type { DatasetAccess } from './sites.js';

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
}

import type { EntityManager } from 'typeorm';
import type { CatalogResponse, DatasetDescriptor, PlatformLimits } from '../../../sync-engine/src/protocol/catalog.js';
import { DATASETS } from '../../../sync-engine/src/protocol/datasets/index.js';
import { MAX_BODY_BYTES, MAX_PULL_LIMIT, MAX_PUSH_BATCH } from '../../../sync-engine/src/protocol/limits.js';
import { SiteAccessEntity } from '../store/entities/site.js';
import { catalogVersionOf, newestPublished } from './dataset-versions.js';
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
 *
 * Each dataset is its newest version the operator published (`datasets
 * publish`, dataset-versions.ts), else the one the build ships. The published
 * ones are read by sync(): a push reads platform_state's catalog_version with
 * the row it locks anyway, so the descriptors are read again only in the
 * transaction after a publish, and never per mutation; the catalog answer
 * reads it too. A serve that runs picks a publish up without a restart.
 */
export class Catalog {
  private byName: ReadonlyMap<string, DatasetDescriptor>;
  private current: readonly DatasetDescriptor[];
  /** The platform_state.catalog_version the datasets were read at; -1 before the first sync(). */
  private loadedVersion = -1;

  constructor(private readonly shipped: readonly DatasetDescriptor[] = DATASETS) {
    this.current = shipped;
    this.byName = new Map(shipped.map((d) => [d.name, d]));
  }

  /** The datasets in catalog order, as of the last sync(). */
  get datasets(): readonly DatasetDescriptor[] {
    return this.current;
  }

  /**
   * Brings the datasets up to the published ones in `em`'s view of the store.
   * `catalogVersion`: platform_state.catalog_version when the caller read it
   * already (a sequenced write's lock); otherwise it is read here (one query).
   * The descriptors are read only when it moved since the last call.
   */
  async sync(em: EntityManager, catalogVersion?: number): Promise<void> {
    const version = catalogVersion ?? (await catalogVersionOf(em));
    if (version === this.loadedVersion) return;
    const published = await newestPublished(em);
    // Two transactions may sync at once: the one that read the older version must not win.
    if (version < this.loadedVersion) return;
    this.current = this.shipped.map((d) => published.get(d.name) ?? d);
    this.byName = new Map(this.current.map((d) => [d.name, d]));
    this.loadedVersion = version;
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

  /** The answer to `GET /v1/datasets`: the site's catalog (its newest published versions) and the platform's caps. */
  async answer(em: EntityManager, siteCode: string): Promise<CatalogResponse> {
    await this.sync(em);
    return { datasets: await this.forSite(em, siteCode), limits: PLATFORM_LIMITS };
  }
}

import type { EntityManager } from 'typeorm';
import { adminUnitsDataset, heldAdminUnits } from '../../../sync-engine/src/protocol/datasets/admin-units.js';
import { bundledAdminUnits, type AdminUnitsIndex } from '../../../sync-engine/src/protocol/reference-data/admin-units-index.js';
import type { ValidationContext } from '../../../sync-engine/src/protocol/validation/index.js';
import { PlatformStateEntity } from '../store/entities/platform-state.js';
import { RecordEntity } from '../store/entities/record.js';
import type { PlatformStore } from '../store/platform-store.js';

/**
 * The administrative units the platform validates by (pushes, national
 * writes, site scopes, a publish's impact): its own live `admin-units`
 * records, which are what it publishes to every agent, so a reform the
 * operator writes (`records put admin-units`, a seed, a restore) is honoured
 * by the platform and by agents after their next sync, with no new release.
 * The bundled table of 2025-07-01 while it holds none (a new platform), or
 * when they make no table (no province or no commune: heldAdminUnits); an
 * explicit `validation.adminUnits` (startPlatform, tests) is used as given.
 *
 * Never read per push: platform_state.admin_units_version, bumped by every
 * transaction that changes an admin-units record (change-set.ts), comes with
 * the row a sequenced write locks anyway, and the 3,321 records are read
 * again only when it moved, as the Catalog reads published datasets.
 */
export class AdminUnitsInForce {
  private index: AdminUnitsIndex;
  /** The admin_units_version the index was read at; -1 before the first sync(). */
  private loadedVersion = -1;
  private usingHeld = false;
  private toldFallback = false;

  constructor(
    private readonly given?: AdminUnitsIndex,
    private readonly log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
  ) {
    this.index = given ?? bundledAdminUnits();
  }

  /** The units in force as of the last sync(). */
  get current(): AdminUnitsIndex {
    return this.index;
  }

  /** What the shared validation takes. */
  validation(): ValidationContext {
    return { adminUnits: this.index };
  }

  /**
   * Brings the units up to the admin-units records in `em`'s view of the
   * store. `version`: platform_state.admin_units_version when the caller read
   * it already (a sequenced write's lock); otherwise it is read here (one
   * query). The records are read only when it moved since the last call.
   */
  async sync(em: EntityManager, version?: number): Promise<void> {
    if (this.given) return;
    const seen = version ?? (await adminUnitsVersionOf(em));
    if (seen === this.loadedVersion) return;
    const rows = await em.getRepository(RecordEntity).find({ select: { data: true }, where: { dataset: adminUnitsDataset.name, deleted: false } });
    // Two transactions may sync at once: the one that read the older version must not win.
    if (seen < this.loadedVersion) return;
    const held = heldAdminUnits(rows.flatMap((r) => (r.data ? [JSON.parse(r.data) as Record<string, unknown>] : [])));
    if (!held && (rows.length > 0 || this.usingHeld) && !this.toldFallback) {
      this.toldFallback = true;
      this.log(
        `admin-units: the ${rows.length} live records hold no province or no commune; validating by the bundled table of 2025-07-01 until they do`,
      );
    }
    this.index = held ?? bundledAdminUnits();
    this.usingHeld = held !== null;
    this.loadedVersion = seen;
  }

  /** sync() in a read of its own: for what validates outside a sequenced write (site scopes, a publish's impact, serve's start). */
  async refresh(store: PlatformStore): Promise<void> {
    if (this.given) return;
    await store.read((em) => this.sync(em));
  }
}

export async function adminUnitsVersionOf(em: EntityManager): Promise<number> {
  const row = await em.getRepository(PlatformStateEntity).findOne({ select: { adminUnitsVersion: true }, where: { id: 1 } });
  return row?.adminUnitsVersion ?? 0;
}

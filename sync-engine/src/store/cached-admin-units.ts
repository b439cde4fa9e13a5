import { adminUnitsDataset, heldAdminUnits } from '../protocol/datasets/admin-units.js';
import { bundledAdminUnits, type AdminUnitsIndex } from '../protocol/reference-data/admin-units-index.js';
import { fromJson, type Sql } from './sql.js';

/** Said once (the service's background log) when the cached table holds no unit and the bundled one is used instead. */
export class AdminUnitsFallbackNotice extends Error {
  constructor(readonly texts: { vi: string; en: string }) {
    super(`${texts.vi} / ${texts.en}`);
    this.name = 'AdminUnitsFallbackNotice';
  }
}

/**
 * The administrative units this agent validates by (EngineContext.adminUnits:
 * records.put, the import, conflict settling, reconcile): the `admin-units`
 * records it caches, the same ones the window's pickers and the export's
 * unit names read, so a reform the platform publishes is honoured after the
 * next sync, with no new release. The bundled table of 2025-07-01 until the
 * dataset has been pulled to the end of its feed once (a half-pulled first
 * sync holds only some provinces), and whenever the cache holds no province
 * or no commune (a platform that publishes none): an empty table would make
 * every code unknown.
 *
 * Read at open and again after a sync run whose pull changed the dataset
 * (SyncRun), never per record: building it reads 3,355 rows. Records cached
 * before a reform whose codes the new table lacks stay as they are: the
 * table is checked when a record is written (an edit, an import, a conflict
 * settled), so such a record is refused only when next edited, as with any
 * change of validation.
 */
export class CachedAdminUnits {
  private index: AdminUnitsIndex;
  private toldFallback = false;

  constructor(
    private readonly given: AdminUnitsIndex | undefined,
    private readonly notice: (notice: AdminUnitsFallbackNotice) => void = () => undefined,
  ) {
    this.index = given ?? bundledAdminUnits();
  }

  get current(): AdminUnitsIndex {
    return this.index;
  }

  /** Reads the cached records again (one statement each for the cursor and the records). */
  async reload(db: Sql): Promise<void> {
    if (this.given) return;
    const dataset = adminUnitsDataset.name;
    const cursor = await db.get<{ caught_up_at: string | null }>('SELECT "caught_up_at" FROM "cursors" WHERE "dataset" = ?', [dataset]);
    if (!cursor?.caught_up_at) {
      this.index = bundledAdminUnits();
      return;
    }
    const rows = await db.all<{ data: string | null }>(`SELECT "data" FROM "records" WHERE "dataset" = ? AND "deleted" = 0`, [dataset]);
    const held = heldAdminUnits(rows.flatMap((r) => {
      const data = fromJson<Record<string, unknown>>(r.data);
      return data ? [data] : [];
    }));
    if (!held && !this.toldFallback) {
      this.toldFallback = true;
      this.notice(
        new AdminUnitsFallbackNotice({
          vi: `Bảng đơn vị hành chính nhận từ nền tảng (${rows.length} bản ghi) không có tỉnh hoặc xã nào: mã tỉnh, mã xã được kiểm tra theo bảng đi kèm phiên bản (01/7/2025) cho đến khi nền tảng gửi bảng đầy đủ.`,
          en: `The administrative units table received from the platform (${rows.length} records) holds no province or no commune: province and commune codes are checked against the table bundled with this release (1 July 2025) until the platform sends a full one.`,
        }),
      );
    }
    this.index = held ?? bundledAdminUnits();
  }
}

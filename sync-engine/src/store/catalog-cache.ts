import { datasetDescriptorSchema, type DatasetDescriptor } from '../protocol/catalog.js';
import type { Sql } from './sql.js';
import { placeholders } from './sql.js';

/**
 * The platform's catalog as last fetched. Local writes validate against these
 * cached descriptors, which is what lets an office keep working offline.
 */
export class CatalogCache {
  /** Parsed descriptors by their stored text: a local write should not re-parse a JSON Schema. */
  private readonly parsed = new Map<string, DatasetDescriptor>();

  /** Every cached descriptor, in the platform's catalog order. */
  async list(db: Sql): Promise<DatasetDescriptor[]> {
    const rows = await db.all<{ descriptor: string }>('SELECT "descriptor" FROM "catalog" ORDER BY "position"');
    return rows.map((r) => this.parse(r.descriptor));
  }

  async get(db: Sql, dataset: string): Promise<DatasetDescriptor | null> {
    const row = await db.get<{ descriptor: string }>('SELECT "descriptor" FROM "catalog" WHERE "dataset" = ?', [dataset]);
    return row ? this.parse(row.descriptor) : null;
  }

  /** A descriptor from its stored text (a `catalog.descriptor` value read by another query). */
  parse(text: string): DatasetDescriptor {
    let descriptor = this.parsed.get(text);
    if (!descriptor) {
      if (this.parsed.size > 64) this.parsed.clear();
      descriptor = datasetDescriptorSchema.parse(JSON.parse(text));
      this.parsed.set(text, descriptor);
    }
    return descriptor;
  }

  async fetchedAt(db: Sql): Promise<string | null> {
    return (await db.get<{ at: string | null }>('SELECT MAX("fetched_at") AS at FROM "catalog"'))?.at ?? null;
  }

  /**
   * Replaces the cached catalog in the caller's transaction. Returns the names of
   * datasets whose search fields changed (their search text must be rebuilt).
   */
  async replace(tx: Sql, datasets: readonly DatasetDescriptor[], fetchedAt: string): Promise<string[]> {
    const before = new Map((await this.list(tx)).map((d) => [d.name, d]));
    await tx.run('DELETE FROM "catalog"');
    if (datasets.length > 0) {
      await tx.run(
        `INSERT INTO "catalog" ("dataset", "position", "descriptor", "fetched_at") VALUES ${datasets.map(() => placeholders(4)).join(', ')}`,
        datasets.flatMap((d, i) => [d.name, i, JSON.stringify(d), fetchedAt]),
      );
    }
    return datasets
      .filter((d) => {
        const old = before.get(d.name);
        return old !== undefined && JSON.stringify(searchFieldsOf(old)) !== JSON.stringify(searchFieldsOf(d));
      })
      .map((d) => d.name);
  }
}

/**
 * The fields folded into a record's search text: `display.searchFields`, else
 * the title and list fields (a catalog that names none still gets search).
 */
export function searchFieldsOf(descriptor: DatasetDescriptor): string[] {
  return descriptor.display.searchFields ?? [...new Set([descriptor.display.titleField, ...descriptor.display.listFields])];
}

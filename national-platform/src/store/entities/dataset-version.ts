import { EntitySchema } from 'typeorm';

/**
 * A version of a dataset the national operator published (`datasets publish`):
 * the whole catalog descriptor as JSON. The newest version of each dataset is
 * the one agents receive and pushes are judged by; a dataset with no row here
 * is the version the build ships (sync-engine/src/protocol/datasets, version 1).
 * Rows are never changed or removed: an older version stays readable
 * (`datasets show NAME --version N`).
 */
export interface DatasetVersionRow {
  dataset: string;
  version: number;
  /** JSON `DatasetDescriptor`, as published. */
  descriptor: string;
  publishedAt: string;
}

export const DatasetVersionEntity = new EntitySchema<DatasetVersionRow>({
  name: 'DatasetVersion',
  tableName: 'dataset_versions',
  columns: {
    dataset: { type: 'varchar', length: 64, primary: true },
    version: { type: 'integer', primary: true },
    descriptor: { type: 'text' },
    publishedAt: { name: 'published_at', type: 'varchar', length: 30 },
  },
});

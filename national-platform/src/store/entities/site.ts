import { EntitySchema } from 'typeorm';

/** An office that runs one or more agents, with the scope it may see and write. */
export interface SiteRow {
  code: string;
  name: string;
  provinceCode: string;
  /** JSON array of 5-digit commune codes, or null for the whole province. */
  communeCodes: string | null;
  /** Bumped on every scope change; cursors carry the version they were issued under. */
  scopeVersion: number;
  requireApproval: boolean;
  createdAt: string;
}

export const SiteEntity = new EntitySchema<SiteRow>({
  name: 'Site',
  tableName: 'sites',
  columns: {
    code: { type: 'varchar', length: 64, primary: true },
    name: { type: 'varchar', length: 200 },
    provinceCode: { name: 'province_code', type: 'varchar', length: 2 },
    communeCodes: { name: 'commune_codes', type: 'text', nullable: true },
    scopeVersion: { name: 'scope_version', type: 'integer' },
    requireApproval: { name: 'require_approval', type: 'boolean' },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

/** Every scope a site has had, so a cursor issued under an older scope can be rescoped. */
export interface SiteScopeVersionRow {
  siteCode: string;
  version: number;
  /** JSON `SiteScope`. */
  scope: string;
  createdAt: string;
}

export const SiteScopeVersionEntity = new EntitySchema<SiteScopeVersionRow>({
  name: 'SiteScopeVersion',
  tableName: 'site_scope_versions',
  columns: {
    siteCode: { name: 'site_code', type: 'varchar', length: 64, primary: true },
    version: { type: 'integer', primary: true },
    scope: { type: 'text' },
    createdAt: { name: 'created_at', type: 'varchar', length: 30 },
  },
});

/** Per-site override of a dataset's access; absent means the dataset's own access. */
export interface SiteAccessRow {
  siteCode: string;
  dataset: string;
  access: 'read' | 'read-write';
}

export const SiteAccessEntity = new EntitySchema<SiteAccessRow>({
  name: 'SiteAccess',
  tableName: 'site_access',
  columns: {
    siteCode: { name: 'site_code', type: 'varchar', length: 64, primary: true },
    dataset: { type: 'varchar', length: 64, primary: true },
    access: { type: 'varchar', length: 16 },
  },
});

import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import type { AdminUnitsIndex } from '../../../sync-engine/src/protocol/reference-data/admin-units-index.js';
import { communeCodeSchema, provinceCodeSchema, siteCodeSchema, type SiteScope } from '../../../sync-engine/src/protocol/records.js';
import { PlatformStateEntity, type PlatformStateRow } from '../store/entities/platform-state.js';
import { SiteAccessEntity, SiteEntity, SiteScopeVersionEntity, type SiteRow } from '../store/entities/site.js';
import type { PlatformStore } from '../store/platform-store.js';
import { AdminUnitsInForce } from './admin-units-in-force.js';
import { PlatformError, type ErrorDetail } from './platform-error.js';
import { parseScope, sameScope } from './scope.js';
import { NO_SIGNER_CACHE, type SignerChanges } from './signer-directory.js';

export type DatasetAccess = 'read' | 'read-write';

export interface NewSite {
  code: string;
  name: string;
  provinceCode: string;
  communeCodes?: string[] | undefined;
  requireApproval?: boolean | undefined;
}

export interface SiteView {
  code: string;
  name: string;
  scope: SiteScope;
  scopeVersion: number;
  requireApproval: boolean;
  /** Per-dataset overrides; datasets not listed keep their own access. */
  access: Record<string, DatasetAccess>;
  createdAt: string;
}

const newSiteSchema = z.object({
  code: siteCodeSchema,
  name: z.string().min(1).max(200),
  provinceCode: provinceCodeSchema,
  communeCodes: z.array(communeCodeSchema).max(2000).optional(),
  requireApproval: z.boolean().optional(),
});
const scopeSchema = z.object({ provinceCode: provinceCodeSchema, communeCodes: z.array(communeCodeSchema).max(2000).optional() });

function invalid(error: z.ZodError): PlatformError {
  const details = error.issues.map((i) => ({ path: `/${i.path.join('/')}`, code: i.code, message: i.message }));
  return new PlatformError('validation_failed', details.map((d) => `${d.path}: ${d.message}`).join('; '), { details });
}

/**
 * SYNC-PROTOCOL.md: a site's province is one of the list in force (the
 * 34 provinces since 2025-07-01), and its communes are communes of that
 * province. A code that is well formed but not in the table would make a site
 * that sees nothing and may write nothing (every record names a real province).
 */
function unitErrors(scope: { provinceCode: string; communeCodes?: string[] | undefined }, units: AdminUnitsIndex): ErrorDetail[] {
  if (!units.hasProvince(scope.provinceCode)) {
    return [{ path: '/provinceCode', code: 'unknown_province', message: `provinceCode ${scope.provinceCode} is not in the list of provinces in force` }];
  }
  return (scope.communeCodes ?? []).flatMap((code, i): ErrorDetail[] => {
    const province = units.provinceOfCommune(code);
    if (province === scope.provinceCode) return [];
    const why = province === undefined ? 'is not in the list of communes in force' : `belongs to province ${province}, not ${scope.provinceCode}`;
    return [{ path: `/communeCodes/${i}`, code: province === undefined ? 'unknown_commune' : 'commune_not_in_province', message: `communeCodes: ${code} ${why}` }];
  });
}

function checkUnits(scope: { provinceCode: string; communeCodes?: string[] | undefined }, units: AdminUnitsIndex): void {
  const details = unitErrors(scope, units);
  if (details.length > 0) throw new PlatformError('validation_failed', details.map((d) => d.message).join('; '), { details });
}

function communesText(communes: string[] | undefined): string | null {
  return communes && communes.length > 0 ? JSON.stringify([...new Set(communes)].sort()) : null;
}

/** Sites, their scopes (with every past version) and their per-dataset access. */
export class SiteDirectory {
  constructor(
    private readonly store: PlatformStore,
    private readonly now: () => Date,
    private readonly changes: SignerChanges = NO_SIGNER_CACHE,
    /** The administrative units in force: the platform's admin-units records, else the bundled 2025-07 table (admin-units-in-force.ts). */
    private readonly units: AdminUnitsInForce = new AdminUnitsInForce(),
  ) {}

  async add(input: NewSite): Promise<SiteView> {
    const parsed = newSiteSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error);
    const site = parsed.data;
    await this.units.refresh(this.store);
    checkUnits(site, this.units.current);
    const at = this.now().toISOString();
    await this.store.write(async (em) => {
      if (await em.getRepository(SiteEntity).findOneBy({ code: site.code })) {
        throw new PlatformError('bad_request', `site ${site.code} already exists`);
      }
      const row: SiteRow = {
        code: site.code,
        name: site.name,
        provinceCode: site.provinceCode,
        communeCodes: communesText(site.communeCodes),
        scopeVersion: 1,
        requireApproval: site.requireApproval ?? false,
        createdAt: at,
      };
      await em.createQueryBuilder().insert().into(SiteEntity).values(row).updateEntity(false).execute();
      await em
        .createQueryBuilder()
        .insert()
        .into(SiteScopeVersionEntity)
        .values({ siteCode: site.code, version: 1, scope: JSON.stringify(parseScope(row.provinceCode, row.communeCodes)), createdAt: at })
        .updateEntity(false)
        .execute();
    });
    return this.view(site.code);
  }

  /** Changes a site's scope; agents' cursors issued under the old scope are rescoped on their next pull. */
  async setScope(code: string, scope: SiteScope): Promise<SiteView> {
    const parsed = scopeSchema.safeParse(scope);
    if (!parsed.success) throw invalid(parsed.error);
    await this.units.refresh(this.store);
    checkUnits(parsed.data, this.units.current);
    const at = this.now().toISOString();
    await this.store.write(async (em) => {
      const site = await requireSite(em, code);
      const next = parseScope(parsed.data.provinceCode, communesText(parsed.data.communeCodes));
      if (sameScope(next, parseScope(site.provinceCode, site.communeCodes))) return;
      const version = site.scopeVersion + 1;
      await em
        .createQueryBuilder()
        .update(SiteEntity)
        .set({ provinceCode: next.provinceCode, communeCodes: communesText(next.communeCodes), scopeVersion: version })
        .where('code = :code', { code })
        .execute();
      await em
        .createQueryBuilder()
        .insert()
        .into(SiteScopeVersionEntity)
        .values({ siteCode: code, version, scope: JSON.stringify(next), createdAt: at })
        .updateEntity(false)
        .execute();
    });
    this.changes.siteChanged(code);
    return this.view(code);
  }

  async setAccess(code: string, dataset: string, access: DatasetAccess): Promise<SiteView> {
    if (access !== 'read' && access !== 'read-write') throw new PlatformError('bad_request', `access must be read or read-write`);
    await this.store.write(async (em) => {
      await requireSite(em, code);
      await em.createQueryBuilder().delete().from(SiteAccessEntity).where('site_code = :code AND dataset = :dataset', { code, dataset }).execute();
      await em.createQueryBuilder().insert().into(SiteAccessEntity).values({ siteCode: code, dataset, access }).updateEntity(false).execute();
    });
    this.changes.siteChanged(code);
    return this.view(code);
  }

  async view(code: string): Promise<SiteView> {
    const out = await this.store.read(async (em) => {
      const site = await requireSite(em, code);
      return toView(site, await em.getRepository(SiteAccessEntity).findBy({ siteCode: code }));
    });
    return out;
  }

  async list(): Promise<SiteView[]> {
    return this.store.read(async (em) => {
      const sites = await em.getRepository(SiteEntity).find({ order: { code: 'ASC' } });
      const access = await em.getRepository(SiteAccessEntity).find();
      return sites.map((s) => toView(s, access.filter((a) => a.siteCode === s.code)));
    });
  }
}

function toView(site: SiteRow, access: { dataset: string; access: DatasetAccess }[]): SiteView {
  return {
    code: site.code,
    name: site.name,
    scope: parseScope(site.provinceCode, site.communeCodes),
    scopeVersion: site.scopeVersion,
    requireApproval: site.requireApproval,
    access: Object.fromEntries(access.map((a) => [a.dataset, a.access])),
    createdAt: site.createdAt,
  };
}

export async function requireSite(em: EntityManager, code: string): Promise<SiteRow> {
  const site = await em.getRepository(SiteEntity).findOneBy({ code });
  if (!site) throw new PlatformError('not_found', `no site with code ${code}`);
  return site;
}

/**
 * The platform state and a site in one statement: a pull and a digest need
 * both in their snapshot, and each statement is a round trip on PostgreSQL.
 */
export async function readStateAndSite(em: EntityManager, code: string): Promise<{ state: PlatformStateRow; site: SiteRow }> {
  const row = await em
    .getRepository(PlatformStateEntity)
    .createQueryBuilder('p')
    .leftJoinAndMapOne('p.site', SiteEntity.options.name, 's', 's.code = :code', { code })
    .where('p.id = 1')
    .getOne();
  if (!row) throw new Error('platform_state row missing: the store was not initialised');
  const { site, ...state } = row as PlatformStateRow & { site?: SiteRow | null };
  if (!site) throw new PlatformError('not_found', `no site with code ${code}`);
  return { state, site };
}

/** The scope a site had at `version`, or null when that version is unknown. */
export async function scopeAtVersion(em: EntityManager, siteCode: string, version: number): Promise<SiteScope | null> {
  const row = await em.getRepository(SiteScopeVersionEntity).findOneBy({ siteCode, version });
  return row ? (JSON.parse(row.scope) as SiteScope) : null;
}

/** The site's access override for one dataset, if any. */
export async function siteAccessFor(em: EntityManager, siteCode: string, dataset: string): Promise<DatasetAccess | null> {
  const row = await em.getRepository(SiteAccessEntity).findOneBy({ siteCode, dataset });
  return row?.access ?? null;
}

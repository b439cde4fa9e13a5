import { bundledAdminUnits } from '../../../sync-engine/src/protocol/reference-data/index.js';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';
import type { NationalRecords } from '../services/national-records.js';
import type { NewSite, SiteDirectory } from '../services/sites.js';
import { createSampleGenerator } from './samples.js';

/** Provinces that get sample records, and the communes (the first few of each) they are spread over. */
const DEMO_PROVINCES = ['01', '48', '79'];
const COMMUNES_PER_PROVINCE = 6;
const PER_PROVINCE: Record<string, number> = { 'civil-status-births': 200, 'procedure-dossiers': 150, 'business-households': 100 };
const PAGE = 500;
const DEMO_SEED = 20250701;

export const DEMO_SITES: NewSite[] = [
  { code: 'HN-BA-DINH', name: 'UBND phường Ba Đình, Hà Nội', provinceCode: '01', communeCodes: ['00004'] },
  { code: 'HN-SO-TU-PHAP', name: 'Sở Tư pháp Thành phố Hà Nội', provinceCode: '01' },
  { code: 'DN-HAI-VAN', name: 'UBND phường Hải Vân, Đà Nẵng', provinceCode: '48', communeCodes: ['20194'] },
  { code: 'HCM-SO-TU-PHAP', name: 'Sở Tư pháp Thành phố Hồ Chí Minh', provinceCode: '79', requireApproval: true },
];

export interface SeedSummary {
  sites: string[];
  records: Record<string, number>;
}

/**
 * Demo data: every administrative unit, some hundreds of births, dossiers and
 * households in three provinces (deterministic: the same seed gives the same
 * people), and demo sites. Parts already present are left alone, so seeding
 * twice adds nothing.
 */
export async function seedDemo(sites: SiteDirectory, records: NationalRecords): Promise<SeedSummary> {
  const summary: SeedSummary = { sites: [], records: {} };
  const existing = new Set((await sites.list()).map((s) => s.code));
  for (const site of DEMO_SITES) {
    if (existing.has(site.code)) continue;
    await sites.add(site);
    summary.sites.push(site.code);
  }
  const generator = createSampleGenerator(DEMO_SEED);
  // In one transaction: the units are the table pushes are checked by from then on, never half of it (admin-units-in-force.ts).
  await seedDataset(records, 'admin-units', summary, () => generator.adminUnitRecords(), Number.POSITIVE_INFINITY);
  const units = bundledAdminUnits();
  for (const dataset of Object.keys(PER_PROVINCE)) {
    await seedDataset(records, dataset, summary, () =>
      DEMO_PROVINCES.flatMap((province) => {
        const communes = units.communesOf(province).slice(0, COMMUNES_PER_PROVINCE).map((c) => c.code);
        return Array.from({ length: PER_PROVINCE[dataset] ?? 0 }, () => generator.sample(dataset, province, communes));
      }),
    );
  }
  return summary;
}

async function seedDataset(records: NationalRecords, dataset: string, summary: SeedSummary, make: () => RecordData[], page = PAGE): Promise<void> {
  if ((await records.list(dataset, { includeDeleted: true, limit: 1 })).length > 0) return;
  const all = make();
  for (let i = 0; i < all.length; i += page) {
    await records.putMany(
      dataset,
      all.slice(i, i + page).map((data) => ({ data })),
    );
  }
  summary.records[dataset] = all.length;
}

import { DigestAccumulator } from '../../../sync-engine/src/protocol/digest.js';
import type { DigestResponse } from '../../../sync-engine/src/protocol/pull.js';
import { DigestBucketEntity } from '../store/entities/record.js';
import type { PlatformStore } from '../store/platform-store.js';
import type { AuthenticatedAgent } from './auth.js';
import type { Catalog } from './catalog.js';
import { issueCursor } from './cursors.js';
import { parseScope } from './scope.js';
import { readStateAndSite } from './sites.js';

/**
 * The convergence check: count and XOR digest of the live records in the
 * agent's scope, folded from the per-commune digest buckets every write keeps
 * up to date, with a cursor at the head the digest describes.
 */
export class DigestService {
  constructor(
    private readonly store: PlatformStore,
    private readonly catalog: Catalog,
  ) {}

  async digest(auth: AuthenticatedAgent, datasetName: string): Promise<DigestResponse> {
    const descriptor = this.catalog.get(datasetName);
    return this.store.read(async (em) => {
      const { state, site } = await readStateAndSite(em, auth.site.code);
      const scope = parseScope(site.provinceCode, site.communeCodes);
      const qb = em.getRepository(DigestBucketEntity).createQueryBuilder('b').where('b.dataset = :dataset', { dataset: descriptor.name });
      if (descriptor.scope === 'province') {
        qb.andWhere('b.province_code = :province', { province: scope.provinceCode });
        if (descriptor.communeField && scope.communeCodes && scope.communeCodes.length > 0) {
          qb.andWhere('b.commune_code IN (:...communes)', { communes: scope.communeCodes });
        }
      }
      const acc = new DigestAccumulator();
      let count = 0;
      for (const bucket of await qb.getMany()) {
        acc.xor(bucket.digest);
        count += bucket.liveCount;
      }
      const cursor = issueCursor(state, descriptor.name, auth.agent.id, { seq: state.headSeq, sv: site.scopeVersion });
      return { count, digest: acc.hex(), cursor };
    });
  }
}

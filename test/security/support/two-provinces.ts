import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '../../../national-platform/src/index.js';
import { createSampleGenerator } from '../../../national-platform/src/seed/samples.js';
import type { RecordData } from '../../../sync-engine/src/protocol/records.js';
import { enroll, type SignedClient } from '../../support/platform-client.js';

export const DS = 'civil-status-births';

export interface TwoProvinces {
  platform: RunningPlatform;
  /** An agent of Hà Nội (01) and one of Đà Nẵng (48). */
  hanoi: SignedClient;
  danang: SignedClient;
  /** Đà Nẵng's births: what Hà Nội must never see. */
  danangRecords: Array<{ id: string; rev: number; data: RecordData }>;
  hanoiRecords: Array<{ id: string; rev: number; data: RecordData }>;
  /** Every string of Đà Nẵng's records that would give them away if it showed up in an answer to Hà Nội. */
  secrets(): string[];
  close(): Promise<void>;
}

/** A platform with one office in Hà Nội, one in Đà Nẵng, and births in both provinces. */
export async function twoProvinces(seed = 48): Promise<TwoProvinces> {
  const dir = mkdtempSync(join(tmpdir(), 'security-'));
  const platform = await startPlatform({ db: join(dir, 'p.sqlite'), rateLimit: false, log: () => undefined });
  await platform.admin.addSite({ code: 'HN-A', name: 'UBND phường A', provinceCode: '01' });
  await platform.admin.addSite({ code: 'DN-A', name: 'UBND phường Hải Vân', provinceCode: '48' });
  const gen = createSampleGenerator(seed);
  const put = async (province: string) => {
    const out: Array<{ id: string; rev: number; data: RecordData }> = [];
    for (let i = 0; i < 5; i += 1) {
      const data = gen.birth(province);
      const { id, rev } = await platform.admin.putRecord(DS, data);
      out.push({ id, rev, data });
    }
    return out;
  };
  const hanoiRecords = await put('01');
  const danangRecords = await put('48');
  const agentOf = async (site: string) => (await enroll(platform.url, await platform.admin.createToken({ site }), site)).client;
  const hanoi = await agentOf('HN-A');
  const danang = await agentOf('DN-A');
  return {
    platform,
    hanoi,
    danang,
    danangRecords,
    hanoiRecords,
    secrets: () =>
      danangRecords.flatMap((r) => [r.id, String(r.data['personalId']), String(r.data['fullName'])]),
    close: async () => {
      await platform.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

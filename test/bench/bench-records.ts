import { createSampleGenerator } from '../../national-platform/src/seed/samples.js';
import type { RecordData } from '../../sync-engine/src/protocol/records.js';

export const BENCH_DATASET = 'civil-status-births';
/** The site every single-agent scenario enrolls under: all of Hà Nội. */
export const BENCH_SITE = 'BENCH-HN';
/** Hà Nội: every generated record is in the bench site's scope. */
export const BENCH_PROVINCE = '01';
/** Target size of one record's JSON, in bytes (UTF-8). */
export const RECORD_BYTES = 1024;

/** Vietnamese filler for `notes`, so a record weighs about RECORD_BYTES like a real register entry with remarks. */
const FILLER =
  'Ghi chú của cán bộ tư pháp: hồ sơ đã đối chiếu bản chính giấy chứng sinh, giấy tờ tùy thân của cha mẹ và sổ hộ khẩu. ' +
  'Người đi đăng ký cam đoan lời khai đúng sự thật. Đã cấp bản sao trích lục cho gia đình. ';

/**
 * Seeded, reproducible civil-status births of about 1 KB: the platform's sample
 * generator (realistic Vietnamese names, valid personal IDs, communes of Hà Nội)
 * with `notes` padded. Same seed, same sequence of records.
 */
export class BenchRecords {
  private readonly generator;

  constructor(seed: number) {
    this.generator = createSampleGenerator(seed);
  }

  next(provinceCode = BENCH_PROVINCE): RecordData {
    const data = this.generator.birth(provinceCode) as unknown as RecordData;
    const base = Buffer.byteLength(JSON.stringify({ ...data, notes: '' }));
    const room = RECORD_BYTES - base;
    if (room <= 0) return data;
    const repeated = FILLER.repeat(Math.ceil(room / Buffer.byteLength(FILLER)) + 1);
    // Cut at the byte budget; a letter cut in half decodes to U+FFFD and is dropped.
    const notes = Buffer.from(repeated).subarray(0, room).toString('utf8').replace(/\uFFFD+$/u, '');
    return { ...data, notes: notes.trimEnd() };
  }

  take(count: number, provinceCode = BENCH_PROVINCE): RecordData[] {
    const out: RecordData[] = [];
    for (let i = 0; i < count; i += 1) out.push(this.next(provinceCode));
    return out;
  }
}

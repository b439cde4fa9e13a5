import type { ApiError, ApiResult, CommandOutput, RecordView } from '../../../sync-engine/src/api/index.js';
import { EXPORT_CHUNK_BYTES } from '../../../sync-engine/src/api/record-export.js';

/** A file name's UTC time, as the engine's exports and backups have it (20261128T101500Z). */
export function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * The data folder's exports/ of the fake admin API: records.export "writes" a
 * file here (a line per record: its id and state, after a byte order mark; an
 * .xlsx "workbook" the same lines after a zip's first bytes) and
 * exports.read answers it in chunks of at most EXPORT_CHUNK_BYTES, as the
 * engine does; any other name is not_found.
 */
export class FakeExports {
  /** The files records.export made, by name. */
  readonly files = new Map<string, Buffer>();
  /** Set to make exports.read answer this error (the export pruned meanwhile, say). */
  readFailure: ApiError | null = null;
  /** Awaited before each exports.read answers: a test holds a large file's later chunks here to see the progress. */
  beforeRead: ((offset: number) => Promise<void> | void) | null = null;

  constructor(private readonly dataDir: string) {}

  write(dataset: string, shown: readonly RecordView[], format: 'csv' | 'xlsx' = 'csv'): CommandOutput<'records.export'> {
    const at = new Date();
    const base = `${dataset}-${stamp(at)}`;
    let name = `${base}.${format}`;
    for (let n = 2; this.files.has(name); n += 1) name = `${base}-${n}.${format}`;
    const start = format === 'xlsx' ? 'PK\u0003\u0004' : '\uFEFF';
    const file = Buffer.from(`${start}id,Trạng thái đồng bộ\r\n${shown.map((r) => `${r.id},${r.state}\r\n`).join('')}`, 'utf8');
    this.files.set(name, file);
    return { path: `${this.dataDir}\\exports\\${name}`, name, records: shown.length, bytes: file.length, createdAt: at.toISOString() };
  }

  async read(name: string, offset: number): Promise<ApiResult<CommandOutput<'exports.read'>>> {
    await this.beforeRead?.(offset);
    if (this.readFailure) return { ok: false, error: this.readFailure };
    const file = this.files.get(name);
    if (!file) return { ok: false, error: { code: 'not_found', messages: { vi: `Không còn tệp xuất "${name}".`, en: `There is no export "${name}" any more.` } } };
    const bytes = file.subarray(offset, offset + EXPORT_CHUNK_BYTES);
    const end = offset + bytes.length;
    return { ok: true, value: { name, size: file.length, offset, data: bytes.toString('base64'), next: end < file.length ? end : null } };
  }
}

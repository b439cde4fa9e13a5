import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { copyLiveDatabase, integrityProblems, queryNumber, queryTexts } from '../adapters/sqlite-backup.js';
import { holderProcess } from '../domain/lease.js';
import { AGENT_DB_FILE } from '../store/agent-store.js';
import { cleanCloseNoteOf } from '../store/clean-close.js';
import { unknownMigrations } from '../store/migrate.js';
import { readTarGz, writeTarGzFile, type ArchiveEntry, type ArchiveSource } from './tar-archive.js';

/**
 * Backup format (docs/operations.md): a .tar.gz holding
 *   agent.sqlite       an online copy of the store (records, outbox, conflicts, audit, SETTINGS, identity)
 *   agent-key.pem      the agent's private key (mode 0600 on restore) and agent-key.pub.pem
 *   manifest.json      { format, formatVersion, agentVersion, createdAt, records, files: [{ name, size, sha256 }] }
 *   SHA256SUMS         the same checksums in `sha256sum -c` form, for checking by hand
 * The settings live in the database, so the archive carries them with it.
 */
export const BACKUP_FORMAT = 'ndxp-edge-agent-backup';
export const KEY_FILES = ['agent-key.pem', 'agent-key.pub.pem'] as const;
/** Files a restore replaces; the SQLite side files go with the database. */
const REPLACED = [AGENT_DB_FILE, `${AGENT_DB_FILE}-wal`, `${AGENT_DB_FILE}-shm`, cleanCloseNoteOf(AGENT_DB_FILE), ...KEY_FILES];

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: 1;
  agentVersion: string;
  createdAt: string;
  /** Records in the backed-up database, deleted ones not counted (absent in older backups). */
  records?: number;
  files: { name: string; size: number; sha256: string }[];
}

/** A backup that cannot be restored, with the reason in both languages. */
export class BackupRefused extends Error {
  constructor(
    readonly reason: 'unreadable' | 'checksum' | 'integrity' | 'busy' | 'not_a_backup' | 'newer',
    readonly messages: { vi: string; en: string },
  ) {
    super(messages.en);
    this.name = 'BackupRefused';
  }
}

/** Writes a backup of `dataDir` to `file` (consistent while a service writes; streamed, so memory stays small). */
export async function createBackup(dataDir: string, file: string, options: { now: () => number; agentVersion: string }): Promise<BackupManifest> {
  const work = await mkdtemp(join(tmpdir(), 'edge-agent-backup-'));
  // Written beside the target then renamed: a half-written backup never carries the final name.
  const partial = `${file}.partial`;
  try {
    const copy = join(work, AGENT_DB_FILE);
    await copyLiveDatabase(join(dataDir, AGENT_DB_FILE), copy);
    const records = await queryNumber(copy, LIVE_RECORDS);
    const sources = [{ name: AGENT_DB_FILE, path: copy }, ...KEY_FILES.map((name) => ({ name, path: join(dataDir, name) })).filter((f) => existsSync(f.path))];
    const createdAt = new Date(options.now());
    const files: BackupManifest['files'] = [];
    let manifest: BackupManifest | null = null;
    async function* entries(): AsyncGenerator<ArchiveSource> {
      for (const source of sources) {
        const size = (await stat(source.path)).size;
        const hash = createHash('sha256');
        yield { name: source.name, size, chunks: hashing(createReadStream(source.path), hash) };
        // The archive asks for the next entry only once this one is read to its end.
        files.push({ name: source.name, size, sha256: hash.digest('hex') });
      }
      manifest = { format: BACKUP_FORMAT, formatVersion: 1, agentVersion: options.agentVersion, createdAt: createdAt.toISOString(), records, files };
      yield inMemory('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2)));
      yield inMemory('SHA256SUMS', Buffer.from(files.map((f) => `${f.sha256}  ${f.name}\n`).join('')));
    }
    await mkdir(dirname(file), { recursive: true });
    await writeTarGzFile(partial, entries(), createdAt);
    await rename(partial, file);
    return manifest!;
  } catch (error) {
    // A disk that filled up half-way must not keep the half-written file.
    await rm(partial, { force: true }).catch(() => undefined);
    throw error;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The records a person sees (not the deleted ones), for the manifest. */
const LIVE_RECORDS = 'SELECT count(*) AS n FROM "records" WHERE "deleted" = 0';

async function* hashing(chunks: AsyncIterable<Buffer>, hash: Hash): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
}

function inMemory(name: string, data: Buffer): ArchiveSource {
  return { name, size: data.length, chunks: [data] };
}

/** The migrations a backed-up store has run. */
const APPLIED_MIGRATIONS = 'SELECT "name" FROM "schema_migrations" ORDER BY "id"';

/**
 * Checks a backup without touching any data folder: archive readable, every
 * file's size and SHA-256 as the manifest says, the database passes
 * `PRAGMA integrity_check` (in a temp copy), and it has run no migration this
 * build does not know (a newer build's backup: 'newer'; an older build's is
 * migrated when first opened). Returns the manifest and files.
 */
export async function verifyBackup(file: string): Promise<{ manifest: BackupManifest; entries: ArchiveEntry[] }> {
  // A file that cannot be read (no such file, a folder, no permission) is the file system's refusal, said as such by the caller.
  const archive = readFileSync(file);
  let entries: ArchiveEntry[];
  try {
    entries = readTarGz(archive);
  } catch (error) {
    throw new BackupRefused('unreadable', {
      vi: `Không đọc được tệp sao lưu ${basename(file)} (${(error as Error).message}): tệp hỏng hoặc không phải bản sao lưu.`,
      en: `Cannot read the backup ${basename(file)} (${(error as Error).message}): the file is damaged or not a backup.`,
    });
  }
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(byName.get('manifest.json')?.toString('utf8') ?? '') as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT || !Array.isArray(manifest.files)) throw new Error('format');
  } catch {
    throw new BackupRefused('not_a_backup', { vi: 'Tệp này không phải bản sao lưu của tác tử (thiếu manifest.json).', en: 'This file is not an agent backup (no manifest.json).' });
  }
  for (const expected of manifest.files) {
    const data = byName.get(expected.name);
    if (!data || data.length !== expected.size || sha256(data) !== expected.sha256) {
      throw new BackupRefused('checksum', {
        vi: `Tệp ${expected.name} trong bản sao lưu sai mã kiểm tra SHA-256: bản sao lưu bị hỏng, hãy dùng bản khác.`,
        en: `${expected.name} in the backup fails its SHA-256 check: the backup is damaged; use another one.`,
      });
    }
  }
  if (!manifest.files.some((f) => f.name === AGENT_DB_FILE)) throw new BackupRefused('not_a_backup', { vi: 'Bản sao lưu không có cơ sở dữ liệu.', en: 'The backup holds no database.' });
  const work = mkdtempSync(join(tmpdir(), 'edge-agent-verify-'));
  try {
    writeFileSync(join(work, AGENT_DB_FILE), byName.get(AGENT_DB_FILE)!);
    const problems = await integrityProblems(join(work, AGENT_DB_FILE));
    if (problems.length > 0) {
      throw new BackupRefused('integrity', {
        vi: `Cơ sở dữ liệu trong bản sao lưu không toàn vẹn (${problems[0]}): hãy dùng bản sao lưu khác.`,
        en: `The database in the backup fails its integrity check (${problems[0]}): use another backup.`,
      });
    }
    // A newer build's store: restored, it could not be opened here (StoreNewerError) and would only replace the folder's data.
    const newer = unknownMigrations(await queryTexts(join(work, AGENT_DB_FILE), APPLIED_MIGRATIONS).catch(() => []));
    if (newer.length > 0) {
      throw new BackupRefused('newer', {
        vi: `Bản sao lưu này do một phiên bản mới hơn của tác tử tạo (thay đổi cấu trúc mà phiên bản này không biết: ${newer.join(', ')}): phiên bản này không dùng được nó. Hãy khôi phục nó bằng phiên bản mới hơn đó, hoặc dùng một bản sao lưu do phiên bản này tạo.`,
        en: `This backup was made by a newer version of the agent (schema changes this version does not know: ${newer.join(', ')}): this version cannot use it. Restore it with that newer version, or use a backup this version made.`,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { manifest, entries: entries.filter((e) => manifest.files.some((f) => f.name === e.name)) };
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the data folder's previous files were moved (null when the folder was empty). */
  previous: string | null;
}

/**
 * Restores `file` into `dataDir`: verify first (nothing changes on a bad
 * backup), refuse while a service holds the folder's lease, move the current
 * files to `pre-restore-<time>/`, then put the backup's files in place.
 */
export async function restoreBackup(dataDir: string, file: string, options: { now: () => number; leaseHolder: (dataDir: string) => Promise<string | null> }): Promise<RestoreResult> {
  const { manifest, entries } = await verifyBackup(file);
  const holder = await options.leaseHolder(dataDir);
  if (holder !== null) {
    // The computer and process, as `status` names them: the lease id's random part means nothing to IT.
    const { host, pid } = holderProcess(holder);
    const vi = `máy ${host}${pid === null ? '' : `, tiến trình ${pid}`}`;
    const en = `on ${host}${pid === null ? '' : `, process ${pid}`}`;
    throw new BackupRefused('busy', {
      vi: `Dịch vụ nền của tác tử đang chạy trên thư mục này (${vi}): dừng dịch vụ (dịch vụ của hệ điều hành, hoặc Ctrl-C ở cửa sổ lệnh đang chạy nó) rồi khôi phục lại.`,
      en: `The agent's background service is running on this folder (${en}): stop the service (the OS service, or Ctrl-C in the terminal running it), then restore again.`,
    });
  }
  mkdirSync(dataDir, { recursive: true });
  // Staged inside the data folder so the final step is a rename on one file system.
  const staged = mkdtempSync(join(dataDir, '.restore-'));
  try {
    for (const entry of entries) writeFileSync(join(staged, entry.name), entry.data, { mode: 0o600 });
    const present = REPLACED.filter((name) => existsSync(join(dataDir, name)));
    let previous: string | null = null;
    if (present.length > 0) {
      previous = join(dataDir, `pre-restore-${new Date(options.now()).toISOString().replace(/[:.]/g, '-')}`);
      mkdirSync(previous, { recursive: true });
      for (const name of present) renameSync(join(dataDir, name), join(previous, name));
    }
    for (const entry of entries) renameSync(join(staged, entry.name), join(dataDir, entry.name));
    return { manifest, previous };
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

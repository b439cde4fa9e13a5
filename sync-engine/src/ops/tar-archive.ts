import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';

/** One file in an archive: a plain name (no folders) and its bytes. */
export interface ArchiveEntry {
  name: string;
  data: Buffer;
}

const BLOCK = 512;

/**
 * A gzip-compressed POSIX ustar archive of regular files, so any `tar -xzf`
 * opens a backup or a diagnostics bundle by hand. Only what the agent writes
 * is supported: flat names under 100 bytes, regular files.
 */
export function writeTarGz(entries: readonly ArchiveEntry[], mtime: Date): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    checkName(entry.name);
    parts.push(header(entry.name, entry.data.length, mtime));
    parts.push(entry.data);
    const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}

/** One file streamed into an archive: its size is known before its bytes are read. */
export interface ArchiveSource {
  name: string;
  size: number;
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>;
}

/**
 * writeTarGz for files of any size, straight to `file`: a chunk at a time, with
 * zlib working off the main thread, so memory stays small and a service writing
 * it keeps answering. Entries are taken in order, each read to its end before
 * the next is asked for, so a later entry (a manifest) may describe earlier ones.
 */
export async function writeTarGzFile(file: string, entries: AsyncIterable<ArchiveSource> | Iterable<ArchiveSource>, mtime: Date): Promise<void> {
  await pipeline(tarChunks(entries, mtime), createGzip(), createWriteStream(file, { mode: 0o600 }));
}

async function* tarChunks(entries: AsyncIterable<ArchiveSource> | Iterable<ArchiveSource>, mtime: Date): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    checkName(entry.name);
    yield header(entry.name, entry.size, mtime);
    let read = 0;
    for await (const chunk of entry.chunks) {
      read += chunk.length;
      if (read > entry.size) break;
      yield chunk;
    }
    if (read !== entry.size) throw new Error(`${entry.name} changed size while it was archived`);
    const pad = (BLOCK - (entry.size % BLOCK)) % BLOCK;
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Reads an archive written by writeTarGz (or any ustar of regular files); throws on a damaged one. */
export function readTarGz(archive: Buffer): ArchiveEntry[] {
  const tar = gunzipSync(archive);
  const entries: ArchiveEntry[] = [];
  let at = 0;
  while (at + BLOCK <= tar.length) {
    const block = tar.subarray(at, at + BLOCK);
    if (block.every((b) => b === 0)) return entries;
    if (checksumOf(block) !== Number.parseInt(text(block, 148, 8).trim() || 'x', 8)) throw new Error(`damaged archive header at byte ${at}`);
    const name = text(block, 0, 100);
    const size = Number.parseInt(text(block, 124, 12).trim(), 8);
    const type = String.fromCharCode(block[156] ?? 48);
    at += BLOCK;
    if (at + size > tar.length) throw new Error(`archive cut short in ${name}`);
    if (type === '0' || type === '\0') entries.push({ name, data: Buffer.from(tar.subarray(at, at + size)) });
    at += Math.ceil(size / BLOCK) * BLOCK;
  }
  throw new Error('archive has no end marker');
}

function checkName(name: string): void {
  if (Buffer.byteLength(name) >= 100 || name.includes('..')) throw new Error(`archive entry name not supported: ${name}`);
}

function header(name: string, size: number, mtime: Date): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write('0000600\0', 100, 8, 'ascii');
  block.write('0000000\0', 108, 8, 'ascii');
  block.write('0000000\0', 116, 8, 'ascii');
  block.write(size.toString(8).padStart(11, '0') + '\0', 124, 12, 'ascii');
  block.write(Math.floor(mtime.getTime() / 1000).toString(8).padStart(11, '0') + '\0', 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii');
  block.write('0', 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(checksumOf(block).toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return block;
}

/** ustar checksum: the sum of the header's bytes with the checksum field read as spaces. */
function checksumOf(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum;
}

function text(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString('utf8');
}

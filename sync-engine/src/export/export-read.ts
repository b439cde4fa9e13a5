import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPORTS_FOLDER, isExportName } from './export-file.js';

/**
 * Why an export cannot be read back: `name` is not the name of a file
 * exportRecordsToFolder writes (a path, "..", another kind of file), `missing`
 * there is no such export (never made, or pruned), `offset` lies past its end.
 */
export class ExportNotReadable extends Error {
  constructor(
    readonly reason: 'name' | 'missing' | 'offset',
    readonly exportName: string,
    readonly size = 0,
  ) {
    super(`export ${exportName}: ${reason}`);
    this.name = 'ExportNotReadable';
  }
}

export interface ExportBytes {
  size: number;
  offset: number;
  bytes: Buffer;
  /** Where the next piece starts; null when this one reaches the end. */
  next: number | null;
}

// Not on Windows (0 there): a name holds no separator, so only a link placed in exports/ itself could lead elsewhere.
const NO_FOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * At most `max` bytes of DATADIR/exports/NAME from `offset`, read through a
 * file handle (never the whole file). Only a plain export name is taken, so
 * nothing outside exports/ is reachable; a symbolic link there is not
 * followed (ELOOP), nor is anything but a regular file read.
 */
export async function readExportBytes(dataDir: string, name: string, offset: number, max: number): Promise<ExportBytes> {
  if (!isExportName(name)) throw new ExportNotReadable('name', name);
  let handle;
  try {
    handle = await open(join(dataDir, EXPORTS_FOLDER, name), constants.O_RDONLY | NO_FOLLOW);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'ENOTDIR' || code === 'EISDIR') throw new ExportNotReadable('missing', name);
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new ExportNotReadable('missing', name);
    const size = stat.size;
    if (offset > size) throw new ExportNotReadable('offset', name, size);
    const bytes = Buffer.alloc(Math.min(max, size - offset));
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const end = offset + filled;
    return { size, offset, bytes: bytes.subarray(0, filled), next: end < size ? end : null };
  } finally {
    await handle.close();
  }
}

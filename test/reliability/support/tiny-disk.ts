import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TinyDisk {
  dir: string;
  /** Fills the file system until ENOSPC; returns the bytes written. */
  fill(): number;
  /** Removes the filler: space returns. */
  free(): void;
  unmount(): void;
}

/**
 * A small tmpfs mounted for one test, so "disk full" is the real ENOSPC /
 * SQLITE_FULL from the kernel. Needs root (CI containers usually are); returns
 * null when the mount is refused, and the caller falls back to an injected fault.
 */
export function mountTinyDisk(sizeMb = 6): TinyDisk | null {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return null;
  }
  const filler = join(dir, 'filler.bin');
  return {
    dir,
    fill() {
      mkdirSync(dir, { recursive: true });
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      let written = 0;
      try {
        for (;;) written += writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      // Whatever is left is smaller than a chunk: fill it byte-wise too.
      const fd2 = openSync(filler, 'a');
      try {
        for (;;) written += writeSync(fd2, Buffer.alloc(512));
      } catch {
        // full
      } finally {
        closeSync(fd2);
      }
      return written;
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      try {
        execFileSync('umount', [dir], { stdio: 'ignore' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

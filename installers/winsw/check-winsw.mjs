// The Windows packages ship WinSW, the service wrapper `edge-agent service install` registers.
// It is a build input, not downloaded by the build: put the release named in winsw.json beside
// this file. electron-builder runs this as its beforePack hook and stops a Windows build when
// the file is missing or is not the pinned release (a different major version reads a different
// XML syntax; service-definitions.ts writes the 2.x one).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Throws a clear error unless DIR holds the WinSW release its winsw.json pins. */
export function checkWinsw(dir = import.meta.dirname) {
  const manifest = JSON.parse(readFileSync(join(dir, 'winsw.json'), 'utf8'));
  const file = join(dir, manifest.file);
  if (!existsSync(file)) {
    throw new Error(
      `WinSW ${manifest.version} is missing: download ${manifest.url} and save it as ${file} (SHA-256 ${manifest.sha256}); docs/operations.md, "Packages".\n` +
        `Thiếu WinSW ${manifest.version}: tải ${manifest.url} và lưu thành ${file} (SHA-256 ${manifest.sha256}); xem docs/operations.md, mục "Gói cài đặt".`,
    );
  }
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (actual !== manifest.sha256.toLowerCase()) {
    throw new Error(
      `${file} is not WinSW ${manifest.version}: its SHA-256 is ${actual}, expected ${manifest.sha256}. Download ${manifest.url} again.\n` +
        `${file} không phải WinSW ${manifest.version}: SHA-256 là ${actual}, cần ${manifest.sha256}. Tải lại ${manifest.url}.`,
    );
  }
  return { file, version: manifest.version };
}

/** electron-builder beforePack hook: only Windows packages carry WinSW. */
export default async function beforePack(context) {
  if (context.electronPlatformName === 'win32') checkWinsw();
}

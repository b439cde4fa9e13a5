import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { SECURITY_HEADERS, refusals, sendRefusal } from './responses.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built renderer as the web console. Paths are decoded, refused if
 * any segment is `..` (raw or percent-encoded) or holds a backslash or NUL, and
 * the real path of the file must still lie inside the folder (a symlink out is
 * refused too). A path without an extension that names no file gets
 * index.html (the console routes in the fragment); a missing asset is a 404,
 * never HTML served as script.
 */
export function createStaticFiles(staticDir: string | undefined) {
  const root = staticDir === undefined ? undefined : resolve(staticDir);

  return async function serve(req: IncomingMessage, res: ServerResponse, rawPath: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendRefusal(res, refusals.methodNotAllowed('GET, HEAD'));
    const relative = safeRelativePath(rawPath);
    if (relative === null) return sendRefusal(res, refusals.badPath());
    if (root === undefined) return sendRefusal(res, refusals.consoleNotBuilt());

    let realRoot: string;
    try {
      realRoot = await realpath(root);
    } catch {
      return sendRefusal(res, refusals.consoleNotBuilt());
    }
    const wanted = relative === '' ? 'index.html' : relative;
    let file = await existingFile(realRoot, wanted);
    if (file === 'outside') return sendRefusal(res, refusals.badPath());
    if (file === null && extname(wanted) === '') file = await existingFile(realRoot, 'index.html');
    if (file === null || file === 'outside') return sendRefusal(res, file === null ? refusals.notFound() : refusals.badPath());

    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': String(file.size),
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

/** The request path as a relative file path, or null when it tries to leave the folder. */
export function safeRelativePath(rawPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  // Dotfiles (.env, .git) are never part of a built console.
  if (segments.some((s) => s.startsWith('.'))) return null;
  return segments.join('/');
}

async function existingFile(root: string, relative: string): Promise<{ path: string; size: number } | null | 'outside'> {
  let real: string;
  try {
    real = await realpath(join(root, relative));
  } catch {
    return null;
  }
  if (real !== root && !real.startsWith(root + sep)) return 'outside';
  const info = await stat(real);
  return info.isFile() ? { path: real, size: info.size } : null;
}

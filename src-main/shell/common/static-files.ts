// Resolves request paths to files of the built renderer, for the web shell's HTTP server and
// the Electron shell's app:// protocol alike. Nothing outside the renderer directory is
// reachable: not by `..`, encoded separators, NUL bytes, dotfiles nor symlinks.
import { realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
  '.bin': 'application/octet-stream',
  '.hdr': 'application/octet-stream',
  '.ktx2': 'image/ktx2',
  '.liveobject': 'application/xml; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type StaticLookup =
  | { readonly kind: 'file'; readonly path: string; readonly size: number; readonly contentType: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'bad-request' };

/** Maps a URL pathname (still percent-encoded) to a regular file under `root`. */
export async function lookupStatic(root: string, pathname: string): Promise<StaticLookup> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'bad-request' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\'))
    return { kind: 'bad-request' };
  const segments = decoded.split('/').filter((s) => s !== '');
  // Refuse `..` and dotfiles outright rather than normalising them away.
  if (segments.some((s) => s.startsWith('.'))) return { kind: 'bad-request' };
  if (segments.length === 0) segments.push('index.html');
  try {
    const realRoot = await realpath(root);
    const real = await realpath(join(realRoot, ...segments));
    const rel = relative(realRoot, real);
    if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel))
      return { kind: 'missing' };
    const info = await stat(real);
    if (!info.isFile()) return { kind: 'missing' };
    return { kind: 'file', path: real, size: info.size, contentType: contentType(real) };
  } catch {
    return { kind: 'missing' };
  }
}

/** Hashed build assets never change under one name; everything else is revalidated. */
export function cacheControl(pathname: string): string {
  return pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-store';
}

// Which command-line arguments name .liveobject files to open: Electron and Chromium add
// their own switches and the app path, so only existing paths with our extension count.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export const FILE_EXTENSION = '.liveobject';

export function liveObjectFiles(argv: readonly string[], cwd: string): string[] {
  const files: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-') || !arg.toLowerCase().endsWith(FILE_EXTENSION)) continue;
    const path = resolve(cwd, arg);
    if (existsSync(path) && statSync(path).isFile() && !files.includes(path)) files.push(path);
  }
  return files;
}

/** A file name for `title`: no separators, reserved or control characters, bounded length. */
export function referenceFileName(title: string): string {
  const cleaned = title
    .replace(/[\p{Cc}<>:"/\\|?*]+/gu, ' ')
    .replace(/\s+/g, ' ')
    // Leading dots hide files; trailing dots and spaces are invalid on Windows.
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100)
    .trim();
  return `${cleaned || 'Live object'}${FILE_EXTENSION}`;
}

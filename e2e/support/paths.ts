// Where things are: the repository, Chromium, the Electron binary, test results.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'bin', 'liveobjects.js');
export const ASSETS = join(ROOT, 'assets', 'objects');
/** Screenshots and process logs of failed tests (git-ignored). */
export const RESULTS = join(ROOT, 'test-results');
export const CHROMIUM = process.env['E2E_CHROMIUM'] ?? '/usr/bin/chromium';

/** The Electron binary when `node_modules/electron` has downloaded it, else undefined. */
export function electronBinary(): string | undefined {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

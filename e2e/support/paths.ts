// Where things are: the example objects, Chromium, the Electron binary.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../testing/liveobjects';

export const ASSETS = join(ROOT, 'assets', 'objects');
/** Debian's Chromium (CI installs it); the tests never download a browser. */
export const CHROMIUM = process.env['E2E_CHROMIUM'] ?? '/usr/bin/chromium';

/** The Electron binary when `node_modules/electron` has downloaded it, else undefined. */
export function electronBinary(): string | undefined {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

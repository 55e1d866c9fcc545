// Once per run (Playwright's globalSetup): insist on Chromium, and make sure out/renderer is
// built from the current sources (`liveobjects serve` serves out/renderer and only builds it
// when it is missing).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../testing/liveobjects';
import { runCommand } from '../../testing/processes';
import { CHROMIUM } from './paths';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    newest = Math.max(newest, mtime);
  }
  return newest;
}

export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `e2e: Chromium is missing at ${CHROMIUM}. Install it with \`apt-get install chromium\` ` +
        '(CI installs it; the tests never download a browser), or point E2E_CHROMIUM at one.',
    );
  }
  const index = join(ROOT, 'out', 'renderer', 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(newestMtime(join(ROOT, 'src-renderer')), newestMtime(join(ROOT, 'src-shared')));
  if (process.env['E2E_SKIP_BUILD'] !== '1' && sources > built) {
    console.log('e2e: out/renderer is older than the sources; running electron-vite build');
    const build = await runCommand('npx', ['electron-vite', 'build'], { cwd: ROOT });
    if (build.code !== 0)
      throw new Error(`e2e: electron-vite build failed:\n${build.stdout}\n${build.stderr}`);
  }
}

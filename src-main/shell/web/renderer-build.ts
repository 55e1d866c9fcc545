// `liveobjects serve` needs the built renderer; a fresh checkout has none, so build it once
// (electron-vite builds main, preload and renderer from electron.vite.config.ts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PROJECT_ROOT = resolve(import.meta.dirname, '../../..');

export interface EnsureRendererOptions {
  readonly rendererDir: string;
  /** Progress lines (stdout stays free for the URL line). */
  readonly log: (line: string) => void;
  readonly projectRoot?: string;
}

/** Resolves when `rendererDir/index.html` exists; rejects with a message fit for the user. */
export async function ensureRenderer(options: EnsureRendererOptions): Promise<void> {
  const index = join(options.rendererDir, 'index.html');
  if (existsSync(index)) return;
  const root = options.projectRoot ?? PROJECT_ROOT;
  const bin = join(
    root,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'electron-vite.cmd' : 'electron-vite',
  );
  if (!existsSync(bin)) {
    throw new Error(
      `the renderer is not built (${index} is missing) and electron-vite is not installed: run npm install`,
    );
  }
  options.log(`Building the renderer into ${options.rendererDir} (first run only)…`);
  const started = Date.now();
  const code = await new Promise<number>((done, fail) => {
    // The build's own output goes to stderr, like all progress.
    const child = spawn(bin, ['build'], {
      cwd: root,
      stdio: ['ignore', 2, 2],
      shell: process.platform === 'win32',
    });
    child.once('error', fail);
    child.once('exit', (status) => done(status ?? 1));
  });
  if (code !== 0)
    throw new Error(`building the renderer failed (electron-vite exited with ${code}); see the output above`);
  if (!existsSync(index)) throw new Error(`the build finished but ${index} is still missing`);
  options.log(`Renderer built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

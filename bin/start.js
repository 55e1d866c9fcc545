#!/usr/bin/env node
// `npm start`: the desktop app in Electron when its binary is installed; otherwise the same
// renderer served to a browser by `liveobjects serve`, which prints the URL to open.
// Arguments pass through: `npm start -- notes.liveobject` (and `--open` for the browser).
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile)
  ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  : undefined;

/** Runs a child in the foreground: our signals become its signals, its exit code ours. */
function foreground(command, argv) {
  const child = spawn(command, argv, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (binary && existsSync(binary)) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  foreground(binary, ['.', ...args]);
} else {
  // stderr, so that the first line on stdout stays the URL that `liveobjects serve` prints.
  console.error(
    'The Electron binary is not installed here (it downloads from outside the npm registry), ' +
      'so Live Objects runs in your browser instead: open the URL below.',
  );
  foreground(process.execPath, [join(root, 'bin', 'liveobjects.js'), 'serve', ...args]);
}

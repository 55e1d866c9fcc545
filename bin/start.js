#!/usr/bin/env node
// `npm start`: runs the desktop app when an Electron binary is available. The binary comes
// from outside the npm registry, so where it cannot be obtained we say so plainly.
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile)
  ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  : undefined;

if (binary && existsSync(binary)) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const run = spawnSync(binary, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exit(run.status ?? 0);
}

console.log(`Live Objects
The Electron binary is not installed on this machine (it is downloaded from outside the npm
registry; run \`npx install-electron\` where that is possible), so the desktop window cannot open.

This build provides the object model, the .liveobject format and the runtime, through the CLI:
  npx liveobjects check assets/objects/*.liveobject   type-check reference files
  npx liveobjects inspect assets/objects/note.liveobject
  npx liveobjects types                               the built-in type catalogue
  npx liveobjects gms --listen 127.0.0.1:7070         a membership service
  npx liveobjects node --gms 127.0.0.1:7070 --join g1 a headless multicast node
The shared desktops served to a browser arrive in a later release.`);

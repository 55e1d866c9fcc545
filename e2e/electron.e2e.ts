// Spec 6: the Electron shell, when its binary is installed: the first half of spec 1 (create a
// desktop, drag a note onto it, type). Where the binary cannot be downloaded the test is skipped
// with its reason; the same renderer and host are covered through the web shell by spec 1.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import type { ElectronApplication } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { desktopWithNote, typeInNote, waitForNote } from './support/app';
import { electronBinary, ROOT } from './support/paths';
import { Cluster } from './support/processes';
import { waitFor } from './support/wait';

const binary = electronBinary();
const reason = 'the Electron binary is not installed (node_modules/electron has no path.txt/dist)';
if (!binary) console.log(`e2e: skipping the Electron spec: ${reason}; spec 1 covers the web shell`);

/** A registry pointing the default QuickSilver platform at the private GMS. */
function registryFor(gms: string): string {
  const platform =
    '<liveobject xmlns="urn:liveobjects:1" version="1"><parameterized><template><primitive id="qsm.platform"/>' +
    `</template><param name="gms"><value type="address">${gms}</value></param></parameterized></liveobject>`;
  return JSON.stringify({ version: 1, entries: { QuickSilver: platform } });
}

describe('the Electron shell', () => {
  let cluster: Cluster | undefined;
  let app: ElectronApplication | undefined;
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await cluster?.dispose();
  });

  it.skipIf(!binary)('creates a desktop, places a note and types in it', async () => {
    const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
    expect(build.status).toBe(0);
    cluster = await Cluster.start();
    const home = join(cluster.dir, 'home-electron');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'registry.json'), registryFor(cluster.gmsAddress));

    app = await _electron.launch({
      executablePath: binary,
      args: [ROOT, '--no-sandbox', '--disable-gpu'],
      cwd: ROOT,
      env: { ...process.env, LIVEOBJECTS_HOME: home },
      timeout: 60_000,
    });
    const page = await app.firstWindow();
    await waitFor('the Electron window to connect', async () =>
      ((await page.getByTestId('host-info').textContent()) ?? '').includes('Desktop app'),
    );

    const { editor } = await desktopWithNote(page);
    await typeInNote(editor, 'Hello from Electron.');
    await waitForNote(editor, 'Hello from Electron.');
  });
});

// Spec 6: the Electron shell, when its binary is installed: the first half of spec 1 (create a
// desktop, drag a note onto it, type). Where the binary cannot be downloaded the test is skipped
// with its reason; the same renderer and host are covered through the web shell by spec 1.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron } from '@playwright/test';
import type { ElectronApplication } from '@playwright/test';
import { ROOT } from '../testing/liveobjects';
import { runCommand } from '../testing/processes';
import { desktopWithNote, expectNote, typeInNote } from './support/app';
import { AppCluster } from './support/cluster';
import { expect, test } from './support/harness';
import { electronBinary } from './support/paths';

const binary = electronBinary();
const missing =
  'the Electron binary is not installed (node_modules/electron has no path.txt/dist); spec 1 covers the web shell';

/** A registry pointing the default QuickSilver platform at the private GMS. */
function registryFor(gms: string): string {
  const platform =
    '<liveobject xmlns="urn:liveobjects:1" version="1"><parameterized><template><primitive id="qsm.platform"/>' +
    `</template><param name="gms"><value type="address">${gms}</value></param></parameterized></liveobject>`;
  return JSON.stringify({ version: 1, entries: { QuickSilver: platform } });
}

test.describe('the Electron shell', () => {
  let cluster: AppCluster | undefined;
  let app: ElectronApplication | undefined;
  test.afterAll(async () => {
    await app?.close().catch(() => undefined);
    await cluster?.dispose();
  });

  test('creates a desktop, places a note and types in it', async () => {
    if (!binary) console.log(`e2e: skipping the Electron spec: ${missing}`);
    test.skip(!binary, missing);
    const build = await runCommand('npx', ['electron-vite', 'build'], { cwd: ROOT });
    expect(build.code, build.stderr).toBe(0);
    cluster = await AppCluster.start();
    const home = join(cluster.dir, 'home-electron');
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, 'registry.json'), registryFor(cluster.gms.address));

    app = await _electron.launch({
      executablePath: binary,
      args: [ROOT, '--no-sandbox', '--disable-gpu'],
      cwd: ROOT,
      env: { ...process.env, LIVEOBJECTS_HOME: home },
      timeout: 60_000,
    });
    const page = await app.firstWindow();
    await expect(page.getByTestId('host-info')).toContainText('Desktop app');

    const { editor } = await desktopWithNote(page);
    await typeInNote(editor, 'Hello from Electron.');
    await expectNote(editor, 'Hello from Electron.');
  });
});

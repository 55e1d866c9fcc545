// Electron main process: a thin adapter over the host (ARCHITECTURE.md). It owns windows,
// menus and OS integration; every object operation goes through the same BridgeHost as the
// web shell. Security by construction: context isolation, sandbox, no node integration,
// CSP headers, app:// origin, IPC answered only for our own pages (security.ts).
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { join } from 'node:path';
import { createHost, UnsavedStateError } from '../../host/host';
import type { BridgeHost } from '../../host/bridge-host';
import { errorMessage } from '../common/commands';
import { FileOpener } from '../common/file-opener';
import { defaultUserName } from '../common/user';
import { CHANNELS } from '../../../src-shared/bridge/electron-api';
import type { MenuAction } from '../../../src-shared/bridge/electron-api';
import { handleAppScheme, registerAppScheme } from './app-protocol';
import { IpcBridge } from './bridge-ipc';
import { buildMenu } from './menus';
import { readAppArgs } from './argv';
import type { AppArgs } from './argv';
import { FILE_EXTENSION } from './open-files';
import { ReferenceExports } from './references';
import { installSessionSecurity, trustedOrigins } from './security';
import { createMainWindow, focusWindow, preloadPath } from './windows';

const log = (line: string): void => console.error(line);
// electron-vite sets this in development only; a packaged app always loads app://.
const devUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
const origins = trustedOrigins(devUrl);

registerAppScheme();

const args = ((): AppArgs | undefined => {
  try {
    return readAppArgs(process.argv.slice(1), process.cwd());
  } catch (error) {
    dialog.showErrorBox('Live Objects cannot start', errorMessage(error));
    app.exit(2);
    return undefined;
  }
})();
if (args) {
  // One app instance per home: the single-instance lock lives in userData, so another user's
  // `--home` starts a window of its own instead of handing its files to this one.
  if (args.host.home !== undefined) app.setPath('userData', join(args.host.home, 'electron'));
  if (!app.requestSingleInstanceLock()) {
    // The first instance receives our argv through 'second-instance'.
    app.quit();
  } else {
    run(args);
  }
}

function run({ files, host: hostArgs }: AppArgs): void {
  let host: BridgeHost | undefined;
  let bridge: IpcBridge | undefined;
  let exports: ReferenceExports | undefined;
  let mainWindow: BrowserWindow | undefined;

  const report = (message: string): void => {
    log(`electron shell: ${message}`);
    if (bridge?.hasSessions) bridge.broadcast('error', { message });
    else if (app.isReady()) dialog.showErrorBox('Live Objects', message);
  };
  // Files wait until the host exists and a renderer has said hello (FileOpener).
  const opener = new FileOpener(
    async (path) => {
      if (!host) throw new Error('the host is not running');
      await host.openFile(path);
    },
    (path, error) => report(`cannot open ${path}: ${errorMessage(error)}`),
  );

  const ensureWindow = (): void => {
    if (!host) return; // start() opens the first window once the host is up.
    if (mainWindow && !mainWindow.isDestroyed()) return focusWindow(mainWindow);
    const window = createMainWindow({ preload: preloadPath(import.meta.dirname), devUrl, origins });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = undefined;
    });
    mainWindow = window;
  };

  const targetWindow = (): BrowserWindow | undefined => BrowserWindow.getFocusedWindow() ?? mainWindow;

  const showOpenDialog = async (): Promise<void> => {
    const window = targetWindow();
    const options = {
      title: 'Open live object',
      properties: ['openFile', 'multiSelections'] as Array<'openFile' | 'multiSelections'>,
      filters: [{ name: 'Live object reference', extensions: [FILE_EXTENSION.slice(1)] }],
    };
    const choice = window
      ? await dialog.showOpenDialog(window, options)
      : await dialog.showOpenDialog(options);
    if (!choice.canceled) for (const path of choice.filePaths) opener.request(path);
  };

  for (const path of files) opener.request(path);
  // macOS delivers files (Finder, dock) through open-file, possibly before 'ready'.
  app.on('open-file', (event, path) => {
    event.preventDefault();
    opener.request(path);
    ensureWindow();
  });
  app.on('second-instance', (_event, argv, workingDirectory) => {
    // Its options were checked when it started; only its files matter here.
    try {
      for (const path of readAppArgs(argv.slice(1), workingDirectory).files) opener.request(path);
    } catch (error) {
      report(errorMessage(error));
    }
    ensureWindow();
  });

  const start = async (): Promise<void> => {
    handleAppScheme(join(import.meta.dirname, '../renderer'));
    installSessionSecurity(devUrl);
    let started: BridgeHost;
    try {
      const {
        platform,
        bridge: natsBridge,
        gms,
        home,
        interface: iface,
        name = defaultUserName(),
        allowLibraries,
        trustLibraries,
      } = hostArgs;
      started = await createHost({
        shell: 'electron',
        ...(platform && { platform }),
        ...(natsBridge && { bridge: natsBridge }),
        ...(gms !== undefined && { gms }),
        ...(iface !== undefined && { interface: iface }),
        log,
        ...(home !== undefined && { home }),
        ...(name !== undefined && { userName: name }),
        ...(allowLibraries && { allowLibraries }),
        ...(trustLibraries && { trustLibraries }),
      });
    } catch (error) {
      dialog.showErrorBox('Live Objects cannot start', errorMessage(error));
      app.exit(1);
      return;
    }
    host = started;
    bridge = new IpcBridge({
      host: started,
      origins,
      onHello: () => opener.markReady(),
      onIdle: () => opener.markIdle(),
      log,
    });
    exports = new ReferenceExports(origins);
    Menu.setApplicationMenu(
      buildMenu({
        toRenderer: (action: MenuAction) => targetWindow()?.webContents.send(CHANNELS.menu, action),
        open: () => void showOpenDialog().catch((error: unknown) => report(errorMessage(error))),
      }),
    );
    ensureWindow();
    app.on('activate', ensureWindow);
  };
  void app.whenReady().then(start);

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Closing the host leaves groups and persists state: finish it before the process ends.
  let shutdown: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (shutdown === 'closed') return;
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    void (async () => {
      await bridge?.close();
      exports?.dispose();
      await host?.close();
    })()
      .catch((error: unknown) => {
        log(`electron shell: shutdown: ${errorMessage(error)}`);
        if (error instanceof UnsavedStateError)
          dialog.showErrorBox('Some changes were not saved', error.message);
      })
      .finally(() => {
        shutdown = 'closed';
        app.quit();
      });
  });
}

// Renderer windows: sandboxed, isolated, no Node, loaded from app:// (or the dev server).
import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_INDEX } from './app-protocol';
import { hardenContents } from './security';

export interface WindowOptions {
  readonly preload: string;
  readonly devUrl: string | undefined;
  readonly origins: ReadonlySet<string>;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Live Objects',
    show: false,
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // Files dropped from the OS go to the renderer's drop handlers, never navigate.
      navigateOnDragDrop: false,
    },
  });
  hardenContents(window.webContents, options.origins);
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.devUrl ?? APP_INDEX);
  return window;
}

export function preloadPath(mainDir: string): string {
  return join(mainDir, '../preload/preload.cjs');
}

/** Brings an existing window forward, e.g. when a second instance hands us its files. */
export function focusWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

// The application menu. Items that need the renderer's selection (new objects are shown
// by it, references come from it) are forwarded as MenuAction events.
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuAction } from '../../../src-shared/bridge/electron-api';

export interface MenuHandlers {
  /** Forwards an action to the focused window's renderer. */
  readonly toRenderer: (action: MenuAction) => void;
  /** File ▸ Open…: a dialog, then host.openFile. */
  readonly open: () => void;
}

export function buildMenu(handlers: MenuHandlers, isMac = process.platform === 'darwin'): Menu {
  const send = (action: MenuAction) => () => handlers.toRenderer(action);
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      {
        label: 'New Desktop',
        accelerator: 'CmdOrCtrl+N',
        click: send({ action: 'create', template: 'desktop' }),
      },
      {
        label: 'New Note',
        accelerator: 'CmdOrCtrl+Shift+N',
        click: send({ action: 'create', template: 'note' }),
      },
      { label: 'New Image', click: send({ action: 'create', template: 'image' }) },
      { type: 'separator' },
      { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => handlers.open() },
      { label: 'Save Reference As…', accelerator: 'CmdOrCtrl+S', click: send({ action: 'save-reference' }) },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      {
        label: 'Copy Reference',
        accelerator: 'CmdOrCtrl+Shift+C',
        click: send({ action: 'copy-reference' }),
      },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    file,
    edit,
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

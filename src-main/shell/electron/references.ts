// Moving references out of the app: drag to the OS as a .liveobject file, save as, copy.
// The renderer supplies the XML (it knows the selection); main only touches files it creates.
import { BrowserWindow, clipboard, dialog, ipcMain, nativeImage } from 'electron';
import type { IpcMainEvent, IpcMainInvokeEvent, NativeImage } from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHANNELS, MAX_REFERENCE_BYTES } from '../../../src-shared/bridge/electron-api';
import { FILE_EXTENSION, referenceFileName } from './open-files';
import { isTrustedSender } from './security';

function isReference(xml: unknown): xml is string {
  return typeof xml === 'string' && xml.length > 0 && Buffer.byteLength(xml) <= MAX_REFERENCE_BYTES;
}

function titleOf(title: unknown): string {
  return typeof title === 'string' ? title.slice(0, 200) : '';
}

/** A plain 32×32 badge: startDrag needs a non-empty icon on macOS and we ship none yet. */
function dragIcon(): NativeImage {
  const size = 32;
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const edge = x < 2 || y < 2 || x >= size - 2 || y >= size - 2;
      pixels.set(edge ? [0x80, 0x40, 0x20, 0xff] : [0xf0, 0xc8, 0x9a, 0xff], (y * size + x) * 4); // BGRA
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

export class ReferenceExports {
  private dragDir: string | undefined;
  private icon: NativeImage | undefined;

  constructor(private readonly origins: ReadonlySet<string>) {
    ipcMain.on(CHANNELS.startDrag, (event, xml: unknown, title: unknown) =>
      this.startDrag(event, xml, title),
    );
    ipcMain.handle(CHANNELS.saveReference, (event, xml: unknown, title: unknown) =>
      this.save(event, xml, title),
    );
    ipcMain.handle(CHANNELS.copyReference, (event, xml: unknown) => this.copy(event, xml));
  }

  /** Removes the temporary files of finished drags. */
  dispose(): void {
    ipcMain.removeAllListeners(CHANNELS.startDrag);
    ipcMain.removeHandler(CHANNELS.saveReference);
    ipcMain.removeHandler(CHANNELS.copyReference);
    if (this.dragDir) rmSync(this.dragDir, { recursive: true, force: true });
  }

  // Synchronous on purpose: startDrag must run while the renderer's dragstart is in progress.
  private startDrag(event: IpcMainEvent, xml: unknown, title: unknown): void {
    if (!isTrustedSender(event, this.origins) || !isReference(xml)) return;
    this.dragDir ??= mkdtempSync(join(tmpdir(), 'liveobjects-drag-'));
    // One directory per drag, so equal titles never overwrite a file still being dropped.
    const file = join(mkdtempSync(join(this.dragDir, 'd-')), referenceFileName(titleOf(title)));
    writeFileSync(file, xml, 'utf8');
    this.icon ??= dragIcon();
    event.sender.startDrag({ file, icon: this.icon });
  }

  private async save(event: IpcMainInvokeEvent, xml: unknown, title: unknown): Promise<string | null> {
    if (!isTrustedSender(event, this.origins)) throw new Error('untrusted sender');
    if (!isReference(xml)) throw new Error('not a reference');
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = {
      title: 'Save reference as',
      defaultPath: referenceFileName(titleOf(title)),
      filters: [{ name: 'Live object reference', extensions: [FILE_EXTENSION.slice(1)] }],
    };
    const choice = window
      ? await dialog.showSaveDialog(window, options)
      : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return null;
    await writeFile(choice.filePath, xml, 'utf8');
    return choice.filePath;
  }

  private async copy(event: IpcMainInvokeEvent, xml: unknown): Promise<null> {
    if (!isTrustedSender(event, this.origins)) throw new Error('untrusted sender');
    if (!isReference(xml)) throw new Error('not a reference');
    clipboard.writeText(xml);
    return null;
  }
}

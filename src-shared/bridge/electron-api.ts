// The renderer-facing API of the Electron shell: IPC channel names and the exact shape of
// `window.liveobjects` (docs/shells.md). Shared by main.ts and preload.ts, so it must stay
// free of runtime imports: the sandboxed preload can require nothing but `electron`.
import type { BridgeClient, Events, TemplateKind } from './protocol';

export const CHANNELS = {
  /** invoke(command, args) → CallReply */
  call: 'bridge:call',
  /** main → renderer: EventFrame */
  event: 'bridge:event',
  /** main → renderer: MenuAction */
  menu: 'shell:menu',
  /** send(xml, title): starts an OS drag of a temporary .liveobject file */
  startDrag: 'shell:start-drag',
  /** invoke(xml, title) → path written, or null when the user cancelled */
  saveReference: 'shell:save-reference',
  /** invoke(xml) → null */
  copyReference: 'shell:copy-reference',
} as const;

/** Errors cross IPC as values: ipcMain.handle would prefix thrown messages with IPC noise. */
export type CallReply =
  { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: string };

export interface EventFrame {
  readonly event: string;
  readonly data: unknown;
}

/** Menu items the renderer acts on, because it knows the selection and the XML. */
export type MenuAction =
  | { readonly action: 'create'; readonly template: TemplateKind }
  | { readonly action: 'save-reference' }
  | { readonly action: 'copy-reference' };

/** Events a renderer can listen to in Electron: the bridge's plus the menu. */
export type ShellEvents = Events & { readonly menu: MenuAction };

/** Largest reference accepted from the renderer for drag-out, save and copy. */
export const MAX_REFERENCE_BYTES = 4 * 1024 * 1024;

/** `window.liveobjects` in the Electron renderer. */
export interface ElectronApi {
  readonly shell: 'electron';
  readonly call: BridgeClient['call'];
  on<E extends keyof ShellEvents>(event: E, listener: (data: ShellEvents[E]) => void): () => void;
  /** Call from a `dragstart` handler: the OS drags `TITLE.liveobject` holding `xml`. */
  startDrag(xml: string, title: string): void;
  /** "Save reference as…": a save dialog, then the file; resolves to its path or null. */
  saveReference(xml: string, title: string): Promise<string | null>;
  /** "Copy reference": puts the XML on the clipboard. */
  copyReference(xml: string): Promise<null>;
}

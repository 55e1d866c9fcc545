// The renderer's bridge: the shared BridgeClient plus what the shell adds around it.
import type { MenuAction } from '../../src-shared/bridge/electron-api';
import type { BridgeClient } from '../../src-shared/bridge/protocol';

/** Application-menu items (Electron) the renderer carries out, since it knows the selection. */
export type { MenuAction };

export type ConnectionStatus =
  | { readonly state: 'connecting' }
  | { readonly state: 'open'; readonly session: number }
  | { readonly state: 'reconnecting'; readonly attempt: number; readonly retryInMs: number }
  | { readonly state: 'failed'; readonly reason: string };

export interface RendererBridge extends BridgeClient {
  readonly shell: 'electron' | 'web';
  /** Called at once with the current status, then on every change. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Hands a reference to the OS drag (Electron only; no-op elsewhere). Returns whether it did. */
  startDrag(xml: string, title: string): boolean;
  /** The shell's own "Save reference as…" (a native dialog); undefined where the page must do it. */
  readonly saveReference?: (xml: string, title: string) => Promise<string | null>;
  /** The shell's own clipboard; undefined where the page uses navigator.clipboard. */
  readonly copyReference?: (xml: string) => Promise<void>;
  /** Menu actions from the shell (none in the browser). */
  onMenu(listener: (action: MenuAction) => void): () => void;
  dispose(): void;
}

// Picks the bridge for the shell the renderer runs in: Electron's preload when it is there,
// otherwise the web shell's WebSocket (token from the page URL).
import { ElectronBridge, electronApi } from './electron';
import type { RendererBridge } from './types';
import { WebSocketBridge, bridgeUrl } from './websocket';

export type { ConnectionStatus, RendererBridge } from './types';
export { errorMessage } from './errors';

export type BridgeChoice = { ok: true; bridge: RendererBridge } | { ok: false; reason: string };

export function createBridge(win: Window = window): BridgeChoice {
  const api = electronApi(win.liveobjects);
  if (api) return { ok: true, bridge: new ElectronBridge(api) };
  const url = bridgeUrl(win.location);
  if (!url) {
    return {
      ok: false,
      reason:
        'This page has no access token. Open the address printed by `liveobjects serve` (it ends in ?token=…).',
    };
  }
  return { ok: true, bridge: new WebSocketBridge({ url }) };
}

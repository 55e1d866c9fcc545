// Preload: the only surface the sandboxed renderer sees. It grows into the typed bridge
// (src-shared/bridge) as the host arrives; nothing else from Node is exposed.
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('liveobjects', {
  shell: 'electron' as const,
});

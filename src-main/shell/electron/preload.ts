// Preload: the only surface the sandboxed renderer sees. It exposes exactly the typed bridge
// of electron-api.ts via contextBridge; no Electron or Node object ever reaches the page. IPC
// and contextBridge copy values by structured clone, so Uint8Array payloads (Yjs updates, image
// bytes) cross as bytes; the renderer's bridge client checks every event it gets.
import { contextBridge, ipcRenderer } from 'electron';
import type { CommandName, Commands } from '../../../src-shared/bridge/protocol';
import { CHANNELS } from '../../../src-shared/bridge/electron-api';
import type {
  CallReply,
  ElectronApi,
  EventFrame,
  MenuAction,
  ShellEvents,
} from '../../../src-shared/bridge/electron-api';

type Listener = (data: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

function dispatch(event: string, data: unknown): void {
  for (const listener of listeners.get(event) ?? []) {
    try {
      listener(data);
    } catch (error) {
      console.error(`liveobjects: a '${event}' listener failed`, error);
    }
  }
}

ipcRenderer.on(CHANNELS.event, (_e, frame: EventFrame) => dispatch(frame.event, frame.data));
ipcRenderer.on(CHANNELS.menu, (_e, action: MenuAction) => dispatch('menu', action));

const api: ElectronApi = {
  shell: 'electron',
  async call<C extends CommandName>(command: C, args: Commands[C]['args']): Promise<Commands[C]['result']> {
    const reply = (await ipcRenderer.invoke(CHANNELS.call, command, args)) as CallReply;
    if (!reply.ok) throw new Error(reply.error);
    return reply.result as Commands[C]['result'];
  },
  on<E extends keyof ShellEvents>(event: E, listener: (data: ShellEvents[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    const wrapped: Listener = (data) => listener(data as ShellEvents[E]);
    set.add(wrapped);
    return () => void set.delete(wrapped);
  },
  startDrag(xml, title) {
    ipcRenderer.send(CHANNELS.startDrag, xml, title);
  },
  saveReference(xml, title) {
    return ipcRenderer.invoke(CHANNELS.saveReference, xml, title) as Promise<string | null>;
  },
  copyReference(xml) {
    return ipcRenderer.invoke(CHANNELS.copyReference, xml) as Promise<null>;
  },
};

contextBridge.exposeInMainWorld('liveobjects', api);

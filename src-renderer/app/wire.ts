// Feeds bridge events into the stores and replicas. Subscribed once, before the first call, so
// no event of a freshly opened object is missed.
import type { RendererBridge } from '../bridge/types';
import { errorMessage } from '../bridge/errors';
import { noteReplicas } from '../views/note-replicas';
import { poseStore } from '../views/spatial/pose-store';
import { attempt } from './attempt';
import { createObject, loadHost, reopenWindows } from './actions';
import { offerInvitation } from './invitation';
import { copyReference, saveReference } from '../views/drag-out';
import { local } from './stores/local';
import { connection } from './stores/connection';
import { consent } from './stores/consent';
import { network } from './stores/network';
import { storage } from './stores/storage';
import { notifications, notifyError } from './stores/notifications';
import { replicas } from './stores/replicas';
import { windowOf, workspace } from './stores/workspace';

export function wireBridge(bridge: RendererBridge): () => void {
  noteReplicas.connect((handle, intent) => {
    void attempt(bridge.call('act', { handle, intent }), 'The note did not take the change');
  });
  const offs = [
    bridge.on('state', ({ handle, state }) => replicas.getState().setState(handle, state)),
    bridge.on('presence', ({ handle, members }) => replicas.getState().setPresence(handle, members)),
    bridge.on('opened', (object) => workspace.getState().add(object)),
    bridge.on('network', (status) => network.getState().setStatus(status)),
    bridge.on('storage', (status) => storage.getState().setStatus(status)),
    bridge.on('library.consent', (request) => consent.getState().request(request)),
    bridge.on('library.decided', (decided) => consent.getState().decided(decided)),
    bridge.on('invitation', (offer) => void offerInvitation(bridge, offer.xml, offer.source)),
    bridge.on('error', ({ handle, message }) => {
      const title = handle ? windowOf(handle)?.object.title : undefined;
      notifyError(title ? `${title}: ${message}` : message);
    }),
    bridge.on('note.update', ({ handle, update }) => {
      try {
        noteReplicas.forEvent(handle)?.applyRemoteUpdate(update);
      } catch (error) {
        notifyError(`A note update could not be applied: ${errorMessage(error)}`);
      }
    }),
    // Arrival time is what the interpolator's clock-offset estimate needs: stamp it here.
    bridge.on('stream.samples', ({ handle, samples }) => poseStore.push(handle, samples, Date.now())),
    bridge.on('note.awareness', ({ handle, update }) => {
      try {
        noteReplicas.forEvent(handle)?.applyRemoteAwareness(update);
      } catch (error) {
        console.warn('liveobjects: ignored a malformed awareness update', error);
      }
    }),
    bridge.onStatus((status) => {
      const before = connection.getState().session;
      connection.getState().setStatus(status);
      if (status.state !== 'open' || status.session === before) return;
      void loadHost(bridge);
      if (before > 0) void reopenWindows(bridge);
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** Carries out the shell's menu actions (Electron's application menu). */
export function wireMenu(bridge: RendererBridge): () => void {
  return bridge.onMenu((action) => {
    if (action.action === 'create') {
      void createObject(bridge, action.template);
      return;
    }
    const active = local.getState().active;
    if (!active) {
      notifications.getState().notify('Click an object first, then choose the menu item again.', 'info');
      return;
    }
    if (action.action === 'copy-reference')
      void attempt(copyReference(bridge, active.reference), 'Could not copy the reference');
    else void attempt(saveReference(bridge, active.reference, active.title), 'Could not save the reference');
  });
}

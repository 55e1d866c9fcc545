// Workspace operations that talk to the host. Failures are shown as notifications by attempt().
import type { OpenedObject, TemplateKind } from '../../src-shared/bridge/protocol';
import type { RendererBridge } from '../bridge/types';
import { decodeLiveObject } from '../../src-shared/format/bytes';
import { noteReplicas } from '../views/note-replicas';
import { poseStore } from '../views/spatial/pose-store';
import { attempt } from './attempt';
import { currentSession } from './stores/connection';
import { network } from './stores/network';
import { storage } from './stores/storage';
import { notifications, notifyError } from './stores/notifications';
import { consentAnswer } from './stores/consent';
import { errorMessage } from '../bridge/errors';
import { parseConsentPlaceholder } from '../../src-shared/bridge/library-consent';
import { replicas } from './stores/replicas';
import { workspace } from './stores/workspace';
import { startupOpens } from './startup';
import { isInvitation, offerInvitation } from './invitation';

/** Opens a reference the user chose (so a library they denied is asked about again); one
 * that waits for consent to a library's code opens once the user allows it. */
export async function openReference(
  bridge: RendererBridge,
  xml: string,
  source?: string,
): Promise<OpenedObject | undefined> {
  if (isInvitation(xml)) {
    await offerInvitation(bridge, xml, source ?? 'the invitation');
    return undefined;
  }
  const context = source ? `Could not open ${source}` : 'Could not open the reference';
  let opened: OpenedObject | undefined;
  try {
    opened = await bridge.call('open', { xml, ...(source && { source }), askAgain: true });
  } catch (error) {
    const message = errorMessage(error);
    const waiting = parseConsentPlaceholder(message);
    if (waiting?.decision === 'ask') {
      notifications.getState().notify(`${source ?? 'The reference'} ${message}`, 'info');
      if ((await consentAnswer(waiting)) === 'allow') return openReference(bridge, xml, source);
    } else notifyError(`${context}: ${message}`);
    return undefined;
  }
  workspace.getState().add(opened);
  return opened;
}

/** The text of a `.liveobject` file; invalid UTF-8 is an error naming its line and column
 * (File.text() would turn it into U+FFFD silently). */
export async function readReferenceText(file: File): Promise<string> {
  return decodeLiveObject(new Uint8Array(await file.arrayBuffer()), file.name);
}

/** Opens a `.liveobject` file the user picked or dropped; a file that cannot be read is reported. */
export async function openReferenceFile(bridge: RendererBridge, file: File): Promise<void> {
  const xml = await attempt(readReferenceText(file), `Could not read ${file.name}`);
  if (xml !== undefined) await openReference(bridge, xml, file.name);
}

export async function createObject(
  bridge: RendererBridge,
  template: TemplateKind,
): Promise<OpenedObject | undefined> {
  const created = await attempt(bridge.call('create', { template }), `Could not create a new ${template}`);
  if (created) workspace.getState().add(created);
  return created;
}

/** Closes a handle opened in `session`; handles of an earlier session died with it. */
export function closeHandle(bridge: RendererBridge, handle: string, session: number): void {
  noteReplicas.dispose(handle);
  poseStore.forget(handle);
  replicas.getState().forget(handle);
  if (session === currentSession())
    void attempt(bridge.call('close', { handle }), 'Could not close the object');
}

export function closeWindow(bridge: RendererBridge, key: string, session: number): void {
  const win = workspace.getState().windows.find((w) => w.key === key);
  if (!win) return;
  workspace.getState().remove(key);
  closeHandle(bridge, win.object.handle, session);
}

export async function loadHost(bridge: RendererBridge): Promise<void> {
  const updates = network.getState().updates;
  const storageUpdates = storage.getState().updates;
  const [host, templates, status, saving] = await Promise.all([
    attempt(bridge.call('hello', {}), 'The host did not answer'),
    attempt(bridge.call('templates', {}), 'Could not list the templates'),
    attempt(bridge.call('network', {}), 'Could not read the network status'),
    attempt(bridge.call('storage', {}), 'Could not read whether the host can save'),
  ]);
  if (host) workspace.getState().setHost(host);
  if (templates) workspace.getState().setTemplates(templates);
  // A `network` or `storage` event that arrived meanwhile is newer than the answer.
  if (status && network.getState().updates === updates) network.getState().setStatus(status);
  if (saving && storage.getState().updates === storageUpdates) storage.getState().setStatus(saving);
}

/** After a reconnect the host has a fresh session: open every window's reference again. */
export async function reopenWindows(bridge: RendererBridge): Promise<void> {
  replicas.getState().reset();
  noteReplicas.clear();
  poseStore.clear();
  for (const { key, object } of workspace.getState().windows) {
    const opened = await attempt(
      bridge.call('open', { xml: object.reference, source: object.title }),
      `Could not reopen ${object.title}`,
    );
    if (opened) workspace.getState().replace(key, opened);
    else workspace.getState().remove(key);
  }
}

export async function openFromUrl(bridge: RendererBridge, search: string): Promise<void> {
  for (const item of startupOpens(search)) {
    if (item.kind === 'xml') {
      await openReference(bridge, item.xml, 'the page address');
      continue;
    }
    try {
      const response = await fetch(item.url);
      if (!response.ok) throw new Error(`the server answered ${response.status}`);
      await openReference(bridge, await response.text(), item.url);
    } catch (error) {
      notifyError(`Could not load ${item.url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

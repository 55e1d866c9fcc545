// Hosts of a simulated LAN for tests: each on its own loopback address, all meeting on one
// private mDNS port, so nothing leaves this machine and no other test meets them.
import { afterEach, expect } from 'vitest';
import type { MembershipService } from '../../../../src-shared/bridge/network';
import type { ObjectHandle } from '../../../../src-shared/bridge/protocol';
import { createHost } from '../../host';
import type { Host, HostNetwork } from '../../host';
import { FAST, Recorder, tempHome } from '../../test-helpers';
import { freeUdpPort, loopbackAddresses } from './loopback';
import { waitFor } from '../../../../testing/wait';
import { readInvitation } from '../../../../src-shared/workspace/invitation';
import type { Workspace } from '../../workspace';

export interface Lan {
  readonly mdnsPort: number;
  readonly addresses: readonly string[];
  /** Starts a host on the i-th address (with `gms`: given, no discovery), in a home that joined
   * the test workspace, or `home` when given. */
  start(i: number, name: string, gms?: { host: string; port: number }, home?: string): Promise<Host>;
  /** Closes a host before the test ends. */
  close(host: Host): Promise<void>;
  /** From now on, hosts started without a home get one that joined this invitation's workspace
   * (what `liveobjects invite` printed on a member's machine). */
  invitedBy(invitation: string): void;
}

/** A fresh LAN per call; its hosts are closed after each test (latest first). */
export function useLan(): () => Promise<Lan> {
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0).reverse()) await h.close();
  });
  return async () => {
    const mdnsPort = await freeUdpPort();
    const addresses = loopbackAddresses(6);
    let workspace: Workspace | undefined;
    return {
      mdnsPort,
      addresses,
      invitedBy(invitation) {
        workspace = readInvitation(invitation);
      },
      async start(i, name, gms, home = tempHome(workspace && { workspace })) {
        const h = await createHost({
          shell: 'web',
          home,
          userName: name,
          interface: addresses[i]!,
          ...(gms && { gms }),
          network: { mdnsPort, requeryMs: 1000 },
          ...FAST,
        });
        hosts.push(h);
        return h;
      },
      async close(h) {
        hosts.splice(hosts.indexOf(h), 1);
        await h.close();
      },
    };
  };
}

/** The LAN network of a host of the simulated LAN (every one of them has one). */
export function lanNetwork(h: Host): HostNetwork {
  if (!h.network) throw new Error(`host ${h.nodeId} is not on the LAN platform`);
  return h.network;
}

export const status = (h: Host): MembershipService => lanNetwork(h).membership.status();

/** Every host is connected, all to the same membership service. */
export const onOneService = (...hs: Host[]): boolean =>
  hs.every((h) => status(h).state === 'connected' && status(h).address === status(hs[0]!).address);

export interface NoteView {
  readonly recorder: Recorder;
  readonly handle: ObjectHandle;
}

/** `owner` creates a note and types `text`; every other host opens it and sees the text. */
export async function shareNote(
  text: string,
  owner: Host,
  ...others: Host[]
): Promise<{ reference: string; views: NoteView[] }> {
  const first = new Recorder(owner.openSession('web'));
  const created = await first.session.call('create', { template: 'note' });
  await first.type(created.handle, 0, text);
  const views: NoteView[] = [{ recorder: first, handle: created.handle }];
  for (const h of others) {
    const recorder = new Recorder(h.openSession('web'));
    const opened = await recorder.session.call('open', { xml: created.reference });
    views.push({ recorder, handle: opened.handle });
  }
  await waitFor('everyone to see the text', () => views.every((v) => v.recorder.text(v.handle) === text));
  return { reference: created.reference, views };
}

/**
 * A host started after a takeover: it must find the successor's service by DNS-SD and get the
 * note's current text. Returns its view of the note.
 */
export async function lateJoinerGets(
  lan: Lan,
  successor: Host,
  reference: string,
  text: string,
): Promise<NoteView> {
  const late = await lan.start(3, 'dave');
  expect(status(late)).toMatchObject({ address: status(successor).address, foundBy: 'dns-sd' });
  const recorder = new Recorder(late.openSession('web'));
  const opened = await recorder.session.call('open', { xml: reference });
  await waitFor('dave gets the state', () => recorder.text(opened.handle) === text);
  return { recorder, handle: opened.handle };
}

// Helpers for host tests: hosts in this process, a session that records events, a note replica.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import * as Y from 'yjs';
import type {
  EventName,
  Events,
  ObjectHandle,
  ViewKind,
  ViewStateOf,
} from '../../src-shared/bridge/protocol';
import { parseEvent } from '../../src-shared/bridge/validate';
import { LanNetworkStatus } from '../../src-shared/bridge/network';
import type { NetworkStatus } from '../../src-shared/bridge/network';
import type { Address } from '../../src-shared/format/document';
import { parseLiveObject } from '../../src-shared/format';
import { channelIdentity } from '../objects/qsm';
import { keyFingerprint, sealedKeysIn } from '../objects/sealed';
import { stateKey } from '../objects/ui';
import type { BridgeSession } from './bridge-host';
import { createHost } from './host';
import type { Host, HostOptions } from './host';
import { joinWorkspace, newWorkspace } from './workspace';
import type { Workspace } from './workspace';
import { readInvitation, writeInvitation } from '../../src-shared/workspace/invitation';

/** The workspace the hosts of this test process share, as colleagues would: every home made by
 * tempHome joins it with an invitation. */
export const TEST_WORKSPACE: Workspace = newWorkspace('test workspace');

/** The invitation text to `workspace` (what `liveobjects invite` prints). */
export const invitationTo = (workspace: Workspace): string => writeInvitation(workspace);

/** A fresh home that joined `workspace` by invitation (default TEST_WORKSPACE); with
 * `workspace: null`, one without a workspace (its first host creates one of its own). */
export function tempHome(options: { readonly workspace?: Workspace | null } = {}): string {
  const home = mkdtempSync(join(tmpdir(), 'liveobjects-host-'));
  const workspace = options.workspace === undefined ? TEST_WORKSPACE : options.workspace;
  if (workspace) joinWorkspace(home, readInvitation(invitationTo(workspace)));
  return home;
}

export const FAST: Pick<HostOptions, 'engine' | 'checkpointed' | 'saveDelayMs'> = {
  engine: { tokenIntervalMs: 50 },
  checkpointed: { transferTimeoutMs: 500, providerWaitMs: 300 },
  saveDelayMs: 50,
};

export function startHost(gmsPort: number, userName: string, home = tempHome()): Promise<Host> {
  return createHost({ shell: 'web', home, gms: { host: '127.0.0.1', port: gmsPort }, userName, ...FAST });
}

type Recorded = { [E in EventName]: { event: E; data: Events[E] } }[EventName];

/** Hosts started by one test file, closed after each test (latest first). */
export function useHosts(): {
  host(gmsPort: number, name: string, home?: string): Promise<Host>;
  closeHost(h: Host): Promise<void>;
} {
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0).reverse()) await h.close();
    // Everything the hosts emitted must pass the renderer's check of the contract.
    const refused = [...recorders].flatMap((r) => r.refusedEvents);
    recorders.clear();
    expect(refused).toEqual([]);
  });
  return {
    async host(gmsPort, name, home) {
      const h = await startHost(gmsPort, name, home);
      hosts.push(h);
      return h;
    },
    async closeHost(h) {
      hosts.splice(hosts.indexOf(h), 1);
      await h.close();
    },
  };
}

const recorders = new Set<Recorder>();

/**
 * A session plus everything it emitted, and a Yjs replica per note handle. Every event is
 * checked as the renderer would check it: one the contract refuses counts among `errors()`.
 */
export class Recorder {
  readonly events: Recorded[] = [];
  /** Events the renderer's check of the contract would refuse, with the reason. */
  readonly refusedEvents: string[] = [];
  private readonly docs = new Map<ObjectHandle, Y.Doc>();

  constructor(readonly session: BridgeSession) {
    recorders.add(this);
    session.onEvent((event, data) => {
      const checked = parseEvent(event, data);
      if (!checked.ok) this.refusedEvents.push(`the renderer would refuse it: ${checked.error}`);
      this.events.push({ event, data } as Recorded);
      if (event === 'note.update') {
        const d = data as Events['note.update'];
        Y.applyUpdate(this.doc(d.handle), d.update, 'host');
      }
    });
  }

  doc(handle: ObjectHandle): Y.Doc {
    let d = this.docs.get(handle);
    if (!d) this.docs.set(handle, (d = new Y.Doc()));
    return d;
  }

  text(handle: ObjectHandle): string {
    return this.doc(handle).getText('text').toString();
  }

  /** Types into the view replica and sends the edit as an intent, like the renderer does. */
  async type(handle: ObjectHandle, index: number, text: string): Promise<void> {
    const doc = this.doc(handle);
    let update: Uint8Array | undefined;
    const capture = (u: Uint8Array, origin: unknown): void => {
      if (origin !== 'host') update = u;
    };
    doc.on('update', capture);
    doc.getText('text').insert(index, text);
    doc.off('update', capture);
    if (update) await this.session.call('act', { handle, intent: { kind: 'note.update', update } });
  }

  /** The latest view state of `handle`, when it is of `kind`. */
  state<K extends ViewKind>(handle: ObjectHandle, kind: K): ViewStateOf<K> | undefined {
    const state = this.last('state', handle)?.state;
    return state?.kind === kind ? (state as ViewStateOf<K>) : undefined;
  }

  last<E extends EventName>(event: E, handle?: ObjectHandle): Events[E] | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i]!;
      if (e.event !== event) continue;
      const data = e.data as Events[E];
      if (handle === undefined || (data as { handle?: string }).handle === handle) return data;
    }
    return undefined;
  }

  errors(): string[] {
    const reported = this.events
      .filter((e) => e.event === 'error')
      .map((e) => (e.data as Events['error']).message);
    return [...this.refusedEvents, ...reported];
  }
}

/** Where a host saves the state of the object `xml` (sealed objects: keyed by group and key). */
export function stateKeyOf(template: string, gms: Address, group: string, xml: string): string {
  const [key] = sealedKeysIn(parseLiveObject(xml).reference);
  return stateKey(
    template,
    gms,
    channelIdentity({ group, ...(key ? { sealing: keyFingerprint(key) } : {}) }),
  );
}

/** A host's network status, which must be a LAN host's (the LAN facts are read next). */
export function lanStatus(status: NetworkStatus): LanNetworkStatus {
  return LanNetworkStatus.parse(status);
}

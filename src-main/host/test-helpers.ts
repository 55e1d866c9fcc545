// Helpers for host tests: hosts in this process, a session that records events, a note replica.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import * as Y from 'yjs';
import type { EventName, Events, ObjectHandle } from '../../src-shared/bridge/protocol';
import type { BridgeSession } from './bridge-host';
import { createHost } from './host';
import type { Host, HostOptions } from './host';

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'liveobjects-host-'));
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

/** A session plus everything it emitted, and a Yjs replica per note handle. */
export class Recorder {
  readonly events: Recorded[] = [];
  private readonly docs = new Map<ObjectHandle, Y.Doc>();

  constructor(readonly session: BridgeSession) {
    session.onEvent((event, data) => {
      this.events.push({ event, data } as Recorded);
      if (event === 'note.update') {
        const d = data as Events['note.update'];
        Y.applyUpdate(this.doc(d.handle), Buffer.from(d.update, 'base64'), 'host');
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
    if (update) {
      await this.session.call('act', {
        handle,
        intent: { kind: 'note.update', update: Buffer.from(update).toString('base64') },
      });
    }
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
    return this.events.filter((e) => e.event === 'error').map((e) => (e.data as Events['error']).message);
  }
}

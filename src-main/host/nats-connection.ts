// The host's side of the NATS platform (objects/nats): its one connection to the team's servers,
// whose state the connection area shows, and the hosts group (`liveobjects.hosts`) over it for
// presence. The connection is shared with every object's channel (one NatsService per host).
import { randomUUID } from 'node:crypto';
import { errorText } from '../../src-shared/util/error-text';
import { NatsGroupChannel } from '../objects/nats';
import type { NatsConnectionLease, NatsService, NatsConnectionState as ClientState } from '../objects/nats';
import type { NatsConnection, NatsConnectionState, NatsConnector } from './host-platform';
import { HOSTS_GROUP } from './presence';

function shown(state: ClientState): NatsConnectionState {
  switch (state.kind) {
    case 'connecting':
      return { state: 'connecting' };
    case 'connected':
      return { state: 'connected' };
    default:
      return { state: state.kind, detail: state.reason };
  }
}

/** Connects hosts on a NATS platform through `service`. */
export function natsConnector(service: NatsService): NatsConnector {
  return (choice): NatsConnection => {
    let state: NatsConnectionState = { state: 'connecting' };
    const listeners = new Set<() => void>();
    const set = (next: NatsConnectionState): void => {
      state = next;
      for (const l of [...listeners]) l();
    };
    let offState: (() => void) | undefined;
    let hosts: NatsGroupChannel | undefined;
    let closed = false;
    const leased: Promise<NatsConnectionLease | undefined> = service
      .lease({
        servers: choice.servers.join(','),
        ...(choice.credentials !== undefined && { credentials: choice.credentials }),
      })
      .then(
        (lease) => {
          if (closed) {
            lease.release();
            return undefined;
          }
          set(shown(lease.state));
          offState = lease.onState((s) => set(shown(s)));
          return lease;
        },
        (error: unknown) => {
          set({ state: 'failed', detail: errorText(error) });
          return undefined;
        },
      );
    return {
      // Until the hosts group is open; then the host is named by its member id there.
      memberId: `nats/${randomUUID()}`,
      state: () => state,
      onState(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      async hostsChannel() {
        const lease = await leased;
        if (!lease)
          throw new Error(`no connection to ${choice.servers.join(', ')}: ${state.detail ?? state.state}`);
        hosts = await NatsGroupChannel.open(lease, HOSTS_GROUP);
        return hosts;
      },
      async close() {
        closed = true;
        offState?.();
        await hosts?.close();
        (await leased)?.release();
      },
    };
  };
}

// The host's network at start-up (docs/network.md): the membership service given (--gms or the
// registry) or none, the interface, then the membership service found, served or given.
import type { NetworkInterface } from '../../../src-shared/bridge/network';
import type { GmsAddress } from '../../engine/gms';
import { configuredNetwork } from '../registry';
import { chooseInterface } from './interface';
import { Membership } from './membership';
import type { MembershipTunables } from './membership';

export interface NetworkOptions {
  readonly registryPath: string;
  /** --gms */
  readonly gms?: GmsAddress;
  /** --interface */
  readonly interface?: string;
  /** Serve the membership service when none answers (default true). */
  readonly serve?: boolean;
  readonly tunables?: MembershipTunables;
  /** The host's workspace: DNS-SD looks for its services only, and a GMS this host serves
   * requires its packet key. */
  readonly workspace?: { readonly id: string; readonly packetKey: Uint8Array };
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: (line: string) => void;
}

export interface HostNetworkSetup {
  readonly interface: NetworkInterface;
  readonly membership: Membership;
  /** The membership service given by --gms or the registry; undefined when discovered. */
  readonly given: GmsAddress | undefined;
}

/** The mDNS port from $LIVEOBJECTS_MDNS_PORT, when set (tests and labs keep to themselves). */
function mdnsPortFromEnv(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env.LIVEOBJECTS_MDNS_PORT;
  if (text === undefined || text === '') return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`LIVEOBJECTS_MDNS_PORT must be a port 1-65535, got '${text}'`);
  }
  return port;
}

export async function setUpNetwork(options: NetworkOptions): Promise<HostNetworkSetup> {
  const configured = configuredNetwork(options.registryPath);
  const given = options.gms
    ? { gms: options.gms, foundBy: 'option' as const }
    : configured.gms
      ? { gms: configured.gms, foundBy: 'registry' as const }
      : undefined;
  const iface = await chooseInterface({
    ...(options.interface !== undefined && { option: options.interface }),
    ...(configured.interface !== undefined && { registry: configured.interface }),
    ...(given && { gms: given.gms }),
    servesGms: given === undefined,
  });
  options.log?.(
    `network: interface ${iface.name} (${iface.address}, MTU ${iface.mtu}; chosen by ${iface.chosenBy})`,
  );
  const serve = options.serve !== false;
  const mdnsPort = options.tunables?.mdnsPort ?? mdnsPortFromEnv(options.env ?? process.env);
  const { workspace } = options;
  const membership = await Membership.start({
    ...options.tunables,
    ...(workspace && {
      workspace: workspace.id,
      server: { ...options.tunables?.server, packetKey: workspace.packetKey },
    }),
    ...(mdnsPort !== undefined && { mdnsPort }),
    mode: given ? { kind: 'given', ...given, embedded: serve } : { kind: 'discover', serve },
    address: iface.address,
    ...(options.log && { log: options.log }),
  });
  return { interface: iface, membership, given: given?.gms };
}

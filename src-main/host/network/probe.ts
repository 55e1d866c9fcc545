// A short look at the network with the host's own logic, for `liveobjects doctor`: find the
// membership service as a host would, choose the interface, register an engine node there,
// join the hosts group for a few seconds to see the peers and whether their traffic arrives,
// and report the same status as the connection area. Bounded: it never takes much longer than
// `timeoutMs`, whatever the network does.
import { join } from 'node:path';
import type { MembershipService, NetworkInterface, NetworkStatus } from '../../../src-shared/bridge/network';
import { errorText } from '../../../src-shared/util/error-text';
import { probeGms } from '../../engine/gms';
import { defaultHome } from '../../objects/registry';
import { EngineGroupChannel, QsmService } from '../../objects/qsm';
import type { EngineTunables, SharedNode } from '../../objects/qsm';
import { mdnsPortFromEnv } from '../host';
import { HOSTS_GROUP, PresenceDirectory } from '../presence';
import { configuredNetwork } from '../registry';
import { SERVICE_TYPE } from './discovery';
import { chooseInterface } from './interface';
import { Membership } from './membership';
import { networkStatus } from './status';
import { liveStatusParts } from './status-source';

export interface ProbeOptions {
  /** `--gms`: the membership service to check (else the one a host would use). */
  readonly gms?: { readonly host: string; readonly port: number };
  /** `--interface NAME|ADDRESS` (else the one a host would choose). */
  readonly interface?: string;
  /** The home whose registry.json a host would read; default the host's default. */
  readonly home?: string;
  /** The whole probe, closing included, takes about this long. */
  readonly timeoutMs: number;
  /** The name the probe announces to the hosts group (peers show it while it is there). */
  readonly name: string;
  /** Progress lines (doctor prints them on stderr). */
  readonly progress?: (line: string) => void;
  /** Engine tunables (tests). */
  readonly engine?: EngineTunables;
}

/** Left at the end for leaving the group and closing the node. */
const CLOSE_RESERVE_MS = 800;
/** At least this long in the hosts group, so that peers can answer the probe's arrival. */
const MIN_LISTEN_MS = 1000;
/** A host gives DNS-SD this long for a first answer (membership.ts). */
const FIRST_ANSWER_MS = 2000;

/** Looks at the network as a host would; throws only for what no host could start with (an
 * interface that does not exist, loopback towards a service on another machine). */
export async function probeNetwork(options: ProbeOptions): Promise<NetworkStatus> {
  const start = performance.now();
  const deadline = start + Math.max(options.timeoutMs, MIN_LISTEN_MS + CLOSE_RESERVE_MS);
  const left = (): number => Math.max(0, deadline - CLOSE_RESERVE_MS - performance.now());
  const progress = options.progress ?? (() => undefined);

  // As createHost decides: --gms, else the registry's; --interface, else the registry's, else
  // by the route to a given service, else the LAN interface (where a host would serve one).
  const configured = configuredNetwork(join(options.home ?? defaultHome(), 'registry.json'));
  const given = options.gms
    ? { gms: options.gms, foundBy: 'option' as const }
    : configured.gms
      ? { gms: configured.gms, foundBy: 'registry' as const }
      : undefined;
  const request = {
    ...(options.interface !== undefined && { option: options.interface }),
    ...(configured.interface !== undefined && { registry: configured.interface }),
  };
  let iface: NetworkInterface;
  try {
    iface = await chooseInterface({ ...request, ...(given && { gms: given.gms }), servesGms: !given });
  } catch (error) {
    const route = given && noRoute(error);
    if (!route) throw error;
    progress(route);
    const address = `${given.gms.host}:${given.gms.port}`;
    return networkStatus({
      interface: await chooseInterface({ ...request, servesGms: true }),
      membership: { address, foundBy: given.foundBy, servedHere: false, state: 'connecting', detail: route },
      regions: [],
      peers: [],
      now: performance.now(),
      routeError: route,
    });
  }
  progress(`interface: ${iface.name} ${iface.address}`);
  const alone = (membership: MembershipService, detail: string): NetworkStatus =>
    networkStatus({
      interface: iface,
      membership: { ...membership, state: 'connecting', detail },
      regions: [],
      peers: [],
      now: performance.now(),
    });

  if (!given) progress(`looking for the membership service on the LAN (DNS-SD ${SERVICE_TYPE})…`);
  const mdnsPort = mdnsPortFromEnv(process.env);
  const firstAnswerMs = Math.min(FIRST_ANSWER_MS, left());
  let membership: Membership;
  try {
    membership = await Membership.start({
      mode: given ? { kind: 'given', ...given, embedded: false } : { kind: 'discover', serve: false },
      address: iface.address,
      firstAnswerMs,
      ...(mdnsPort !== undefined && { mdnsPort }),
      log: progress,
    });
  } catch (error) {
    progress(errorText(error));
    const none: MembershipService = {
      address: '',
      foundBy: 'dns-sd',
      servedHere: false,
      state: 'connecting',
    };
    return alone(none, `none answered DNS-SD within ${(firstAnswerMs / 1000).toFixed(1)} s on ${iface.name}`);
  }
  try {
    const gms = membership.address;
    const found = membership.status();
    const address = found.address;
    progress(`membership service: ${address}`);
    const answer = await probeGms(gms.host, gms.port, Math.min(2000, Math.max(200, left())));
    if (answer.kind !== 'gms') {
      const detail = answer.kind === 'absent' ? 'nothing listens there' : answer.reason;
      progress(`${address}: ${detail}`);
      return alone(found, detail);
    }
    const qsm = new QsmService({
      tunables: {
        leaveFlushMs: 200,
        ...options.engine,
        host: iface.address,
        iface: iface.address,
        mtu: iface.mtu,
      },
    });
    try {
      progress(`registering with ${address}…`);
      const node = await within(qsm.node(gms), left(), 'it did not register this probe in time');
      if (typeof node === 'string') return alone(found, node);
      return await listen(node, iface, found, options.name, { left, progress });
    } catch (error) {
      return alone(found, errorText(error));
    } finally {
      await within(qsm.close(), Math.max(200, deadline - performance.now()), 'closing timed out');
    }
  } finally {
    await membership.close();
  }
}

/** What chooseInterface said when there is no route to the membership service. */
function noRoute(error: unknown): string | undefined {
  if (!(error instanceof Error) || error.cause === undefined) return undefined;
  return error.message.startsWith('no route to the membership service') ? errorText(error.cause) : undefined;
}

/** Joins the hosts group, watches it until the time is up, and reads the status. */
async function listen(
  node: SharedNode,
  iface: NetworkInterface,
  membership: MembershipService,
  name: string,
  { left, progress }: { left: () => number; progress: (line: string) => void },
): Promise<NetworkStatus> {
  const engine = node.started.node;
  const client = node.started.membership;
  const names = new PresenceDirectory(new EngineGroupChannel(node.lease(HOSTS_GROUP)), name, { probe: true });
  try {
    const joinedAt = performance.now();
    const read = liveStatusParts({
      node: engine,
      interface: () => iface,
      membership: () => ({
        ...membership,
        state: client.stats.connected ? 'connected' : 'lost',
      }),
      nameOf: (id) => names.nameOf(id),
      // Peers answer the probe's arrival at once: one that has not when the probe ends, having
      // had most of its time, is silent.
      silentAfterMs: Math.max(500, (left() * 2) / 3),
    });
    progress(`registered as ${engine.id}; listening to ${HOSTS_GROUP} for ${(left() / 1000).toFixed(1)} s…`);
    // Reading now and then records when each peer appeared.
    while (left() > 0) {
      read();
      await sleep(Math.min(200, left()));
    }
    const parts = read();
    progress(
      `heard ${parts.peers.filter((p) => p.heardAt !== undefined).length} of ${parts.peers.length} peers in ${((performance.now() - joinedAt) / 1000).toFixed(1)} s`,
    );
    return networkStatus(parts);
  } finally {
    await names.close();
  }
}

/** `promise`'s value, or `timeout` (a reason) when it takes longer than `ms`. */
async function within<T>(promise: Promise<T>, ms: number, timeout: string): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(timeout), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A short look at the network with the host's own logic, for `liveobjects doctor`: find the
// membership service as a host would, choose the interface, register an engine node there,
// join the hosts group for a few seconds to see the peers and whether their traffic arrives,
// and report the same status as the connection area. Bounded: it never takes much longer than
// `timeoutMs`, whatever the network does.
import { join } from 'node:path';
import type {
  LanNetworkStatus,
  MembershipService,
  NetworkInterface,
  NetworkStatus,
} from '../../../src-shared/bridge/network';
import { errorText } from '../../../src-shared/util/error-text';
import { probeGms } from '../../engine/gms';
import { defaultHome } from '../../objects/registry';
import { EngineGroupChannel, QsmService } from '../../objects/qsm';
import type { EngineTunables, SharedNode } from '../../objects/qsm';
import { HOSTS_GROUP, PresenceDirectory } from '../presence';
import { configuredNetwork } from '../registry';
import { SERVICE_TYPE } from './discovery';
import { chooseInterface } from './interface';
import { setUpNetwork } from './setup';
import type { HostNetworkSetup } from './setup';
import { natsNetworkStatus, networkStatus } from './status';
import { choosePlatform, lanOptionsGiven } from '../platforms';
import type { PlatformChoice } from '../platforms';
import { natsConnector } from '../nats-connection';
import { NatsService } from '../../objects/nats';
import type { NatsConnector } from '../host-platform';
import { liveStatusParts } from './status-source';
import { packetKey, readWorkspace } from '../workspace';
import { isMembershipRefused, MEMBERSHIP_REFUSED } from '../workspace/refused';

export interface ProbeOptions {
  /** `--platform`: the NATS servers to check instead of the LAN (else the registry's choice). */
  readonly platform?: readonly string[];
  /** `--bridge`: shown as asked for (the bridge is not in this version). */
  readonly bridge?: readonly string[];
  /** Connects to a NATS platform (the NATS client; default: none in this build). */
  readonly natsConnector?: NatsConnector;
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

/** Looks at the network as a host would, on the platform a host would use; throws only for
 * what no host could start with (an interface that does not exist, loopback towards a service
 * on another machine). */
export async function probeNetwork(options: ProbeOptions): Promise<NetworkStatus> {
  const home = options.home ?? defaultHome();
  const choice = choosePlatform(join(home, 'registry.json'), {
    ...(options.platform && { servers: options.platform }),
    lanOptions: lanOptionsGiven(options),
  });
  if (choice.kind === 'nats') return probeNats(options, home, choice);
  const status = await probeLan(options);
  return options.bridge
    ? { ...status, bridge: { servers: [...options.bridge], state: 'not-available' } }
    : status;
}

/** NATS only: connects as a host would and reports the connection's state once it is
 * connected or failed, or when the time is up. */
async function probeNats(
  options: ProbeOptions,
  home: string,
  choice: Extract<PlatformChoice, { kind: 'nats' }>,
): Promise<NetworkStatus> {
  const progress = options.progress ?? (() => undefined);
  const found = readWorkspace(home);
  progress(`connecting to the NATS platform at ${choice.servers.join(', ')}…`);
  const service = new NatsService({ name: 'liveobjects doctor' });
  const connection = (options.natsConnector ?? natsConnector(service))(choice);
  try {
    await new Promise<void>((resolve) => {
      const settled = (): boolean => ['connected', 'failed'].includes(connection.state().state);
      if (settled()) return resolve();
      const timer = setTimeout(done, Math.max(0, options.timeoutMs - CLOSE_RESERVE_MS));
      const off = connection.onState(() => {
        if (settled()) done();
      });
      function done(): void {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
    const { state, detail } = connection.state();
    return natsNetworkStatus({
      ...(found && { workspace: { id: found.id, name: found.name } }),
      platform: {
        kind: 'nats',
        servers: [...choice.servers],
        given: choice.given,
        state,
        ...(detail !== undefined && { detail }),
      },
      // A probe does not join the hosts group over NATS.
      peers: undefined,
    });
  } finally {
    await connection.close();
    await service.close();
  }
}

async function probeLan(options: ProbeOptions): Promise<LanNetworkStatus> {
  const start = performance.now();
  const deadline = start + Math.max(options.timeoutMs, MIN_LISTEN_MS + CLOSE_RESERVE_MS);
  const left = (): number => Math.max(0, deadline - CLOSE_RESERVE_MS - performance.now());
  const progress = options.progress ?? (() => undefined);

  // As createHost decides (setup.ts), but never serving one: a probe only looks.
  const home = options.home ?? defaultHome();
  const registryPath = join(home, 'registry.json');
  // The home's workspace: its services are the ones to find, its key the one to register with.
  const found = readWorkspace(home);
  const workspace = found && { id: found.id, packetKey: packetKey(found) };
  const workspaceStatus = found && { workspace: { id: found.id, name: found.name } };
  progress(found ? `workspace: "${found.name}"` : `workspace: none in ${home} (unauthenticated)`);
  const firstAnswerMs = Math.min(FIRST_ANSWER_MS, left());
  progress(
    `finding the membership service as a host would (--gms, registry.json, else DNS-SD ${SERVICE_TYPE})…`,
  );
  let setup: HostNetworkSetup;
  try {
    setup = await setUpNetwork({
      registryPath,
      ...(options.gms && { gms: options.gms }),
      ...(options.interface !== undefined && { interface: options.interface }),
      serve: false,
      tunables: { firstAnswerMs },
      log: progress,
      ...(workspace && { workspace }),
    });
  } catch (error) {
    return {
      ...workspaceStatus,
      ...(await unreachable(error, options, registryPath, firstAnswerMs, progress)),
    };
  }
  const { interface: iface, membership } = setup;
  const alone = (service: MembershipService, detail: string): LanNetworkStatus =>
    networkStatus({
      ...workspaceStatus,
      interface: iface,
      membership: { ...service, state: 'connecting', detail },
      regions: [],
      peers: [],
      now: performance.now(),
    });
  try {
    const gms = membership.address;
    const service = membership.status();
    const address = service.address;
    progress(`membership service: ${address}`);
    const answer = await probeGms(
      gms.host,
      gms.port,
      Math.min(2000, Math.max(200, left())),
      workspace?.packetKey,
    );
    if (answer.kind !== 'gms') {
      const detail = answer.kind === 'absent' ? 'nothing listens there' : answer.reason;
      progress(`${address}: ${detail}`);
      return alone(service, detail);
    }
    const qsm = new QsmService({
      tunables: {
        leaveFlushMs: 200,
        ...options.engine,
        host: iface.address,
        iface: iface.address,
        mtu: iface.mtu,
        ...(workspace && { packetKey: workspace.packetKey }),
      },
    });
    try {
      progress(`registering with ${address}…`);
      const node = await within(qsm.node(gms), left(), 'it did not register this probe in time');
      if (typeof node === 'string') return alone(service, node);
      const status = await listen(node, iface, service, options.name, { left, progress });
      return { ...workspaceStatus, ...status };
    } catch (error) {
      return alone(service, refusalText(error));
    } finally {
      await within(qsm.close(), Math.max(200, deadline - performance.now()), 'closing timed out');
    }
  } finally {
    await membership.close();
  }
}

/** The status when no membership service could be used: no route to the one given, or none
 * answered DNS-SD. Anything else is for the caller (what no host could start with either). */
async function unreachable(
  error: unknown,
  options: ProbeOptions,
  registryPath: string,
  firstAnswerMs: number,
  progress: (line: string) => void,
): Promise<LanNetworkStatus> {
  const configured = configuredNetwork(registryPath);
  const route = noRoute(error);
  const given = options.gms ?? configured.gms;
  const lookingFor: MembershipService | undefined =
    route !== undefined && given
      ? {
          address: `${given.host}:${given.port}`,
          foundBy: options.gms ? 'option' : 'registry',
          servedHere: false,
          state: 'connecting',
          detail: route,
        }
      : !given && error instanceof Error && error.message.startsWith('no membership service answered')
        ? {
            address: '',
            foundBy: 'dns-sd',
            servedHere: false,
            state: 'connecting',
            detail: `none answered DNS-SD within ${(firstAnswerMs / 1000).toFixed(1)} s`,
          }
        : undefined;
  if (!lookingFor) throw error;
  progress(errorText(error));
  // The interface a host would use to serve one: with no route to the given service, or none
  // found, that is where it would be.
  const iface = await chooseInterface({
    ...(options.interface !== undefined && { option: options.interface }),
    ...(configured.interface !== undefined && { registry: configured.interface }),
    servesGms: true,
  });
  return networkStatus({
    interface: iface,
    membership: lookingFor,
    regions: [],
    peers: [],
    now: performance.now(),
    ...(route !== undefined && { routeError: route }),
  });
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
): Promise<LanNetworkStatus> {
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

/** The error text, naming the engine's refusal (a key that is not the service's) so that the
 * status reads it as `not-member`. */
function refusalText(error: unknown): string {
  const text = errorText(error);
  return isMembershipRefused(error) && !isMembershipRefused(text) ? `${MEMBERSHIP_REFUSED}: ${text}` : text;
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

// createHost: one node = its platform (the LAN's QSM engine, or NATS: host-platform.ts) + live
// object runtime + persistence + bridge sessions (docs/host.md). The shells (Electron, web)
// adapt the BridgeHost it returns.
import { join, resolve } from 'node:path';
import type { Address } from '../../src-shared/format/document';
import { DEFAULT_HEAP_HEADROOM_BYTES, processHeapHeadroom, type HandlerCall } from '../engine';
import { builtinCatalogue } from '../objects/builtins';
import { DEFAULT_GMS, defaultHome } from '../objects/registry';
import { ObjectInstances } from '../objects/instances';
import { QsmService } from '../objects/qsm';
import type { CheckpointedEntryOptions, EngineTunables } from '../objects/qsm';
import { Runtime } from '../runtime/runtime';
import type { BridgeHost, BridgeSession } from './bridge-host';
import { HostCore } from './core';
import { readReferenceFile } from './files';
import { lockHome } from './home-lock';
import { DiskStateStore, ensureStateDir } from './persistence';
import type { RetryTimings } from './persistence';
import type { MembershipTunables } from './network/membership';
import { setUpNetwork } from './network/setup';
import type { HostNetworkSetup } from './network/setup';
import { hostRegistryEntry } from './registry';
import { choosePlatform, lanOptionsGiven } from './platforms';
import { startLanPlatform, startNatsPlatform } from './host-platform';
import { natsConnector } from './nats-connection';
import { NatsService } from '../objects/nats';
import type { HostNetwork, HostPlatform, NatsConnector } from './host-platform';
import { RegistryConsent, givenConsent } from '../objects/libraries/consent';
import { HostSession } from './session';
import { errorText } from '../../src-shared/util/error-text';
import { NATS_GIVEN } from '../../src-shared/bridge/network-text';
import { storageWarning } from '../../src-shared/bridge/storage';
import type { StorageStatus } from '../../src-shared/bridge/storage';
import {
  defaultWorkspaceName,
  ensureWorkspace,
  isMembershipRefused,
  notMemberText,
  packetKey,
  workspacePath,
} from './workspace';
import type { Workspace } from './workspace';
import { HostWorkspace } from './workspace/host-workspace';

export type { HostNetwork } from './host-platform';

export interface HostOptions {
  /** Holds registry.json and state/; default $LIVEOBJECTS_HOME, else ~/.config/liveobjects. */
  readonly home?: string;
  /** --platform: run objects over the NATS servers at these URLs (validated nats:// or tls://)
   * instead of the LAN; default: the registry's QuickSilver entry (platforms.ts). */
  readonly platform?: readonly string[];
  /** --bridge: NATS servers to bridge the LAN to; recorded and shown, not yet acted on. */
  readonly bridge?: readonly string[];
  /** Connects to the NATS platform when one is chosen (the NATS client, objects/nats). */
  readonly natsConnector?: NatsConnector;
  /** The membership service; default: the registry's QuickSilver platform, else the one found
   * on the LAN by DNS-SD, else one this host serves (docs/network.md). */
  readonly gms?: { readonly host: string; readonly port: number };
  /** The network interface, by name or IPv4 address (--interface); default: the registry's,
   * else chosen by the host (docs/network.md). */
  readonly interface?: string;
  /** Ports and timings of discovery, serving and takeover (tests and labs); the mDNS port
   * defaults to $LIVEOBJECTS_MDNS_PORT, else 5353. */
  readonly network?: MembershipTunables;
  /** Where the host tells what it decided about the network (stderr in `liveobjects serve`). */
  readonly log?: (line: string) => void;
  readonly userName?: string;
  readonly shell: 'web' | 'electron';
  /** Engine tunables (tests shorten the token interval). */
  readonly engine?: EngineTunables;
  /** Checkpointed protocol timings (tests). */
  readonly checkpointed?: CheckpointedEntryOptions;
  /** Longest a change the host applied waits before its write starts, and least time between
   * two writes of one object (default 300 ms; docs/host.md, "Persistence"). */
  readonly saveDelayMs?: number;
  /** Backoff of retried state writes after a failure (tests shorten it). */
  readonly saveRetry?: RetryTimings;
  /** Serve the membership service when none answers: at the given address when it is this
   * machine's, else (discovering) on the interface's address (default true). */
  readonly embeddedGms?: boolean;
  /** Library URLs this run may load code from without asking (`--allow-library`). */
  readonly allowLibraries?: readonly string[];
  /** Load any library's code without asking (`--trust-libraries`; development only). */
  readonly trustLibraries?: boolean;
  /** Room held in V8's heap limit for the engine's datagrams while the host runs (default
   * 64 MiB; 0: leave V8's heap sizing alone). Process-wide: see createHost. */
  readonly heapHeadroomBytes?: number;
}

export interface Host extends BridgeHost {
  readonly home: string;
  /** The membership service address the host's registry gives objects (the platform's `gms`).
   * Without --gms or a configured one this is 127.0.0.1:7070, standing for the service the
   * host found or serves; `network.membership.address` says where that is. */
  readonly gms: Address;
  readonly nodeId: string;
  readonly runtime: Runtime;
  /** True while this process serves the membership service it uses. */
  readonly hostsGms: boolean;
  readonly store: DiskStateStore;
  /** The LAN's interface, membership service and engine node; undefined on NATS only. */
  readonly network: HostNetwork | undefined;
  /** The platform `QuickSilver` means on this host. */
  readonly platform: HostPlatform['choice'];
  /** The workspace the host runs in, and the one it joined since (in effect at restart). */
  readonly workspace: HostWorkspace;
}

export async function createHost(options: HostOptions): Promise<Host> {
  const home = resolve(options.home ?? defaultHome());
  const registryPath = join(home, 'registry.json');
  const stateDir = join(home, 'state');
  try {
    ensureStateDir(stateDir);
  } catch (e) {
    throw new Error(`cannot use ${home} as the home directory: ${errorText(e)}`, { cause: e });
  }
  // Before anything else writes the home; HomeInUseError names the process holding it.
  const lock = lockHome(home);
  try {
    return await startHost(options, home, registryPath, stateDir, lock.release);
  } catch (e) {
    lock.release();
    throw e;
  }
}

async function startHost(
  options: HostOptions,
  home: string,
  registryPath: string,
  stateDir: string,
  releaseLock: () => void,
): Promise<Host> {
  // The first host on a home creates its workspace; colleagues join it by invitation.
  const { workspace, created } = ensureWorkspace(home, defaultWorkspaceName(options.userName));
  options.log?.(
    created
      ? `workspace: created "${workspace.name}" (${workspacePath(home)}); invite colleagues with \`liveobjects invite --home ${home}\``
      : `workspace: "${workspace.name}" (${workspace.id})`,
  );
  const key = packetKey(workspace);
  const platformChoice = choosePlatform(registryPath, {
    ...(options.platform && { servers: options.platform }),
    lanOptions: lanOptionsGiven(options),
  });
  // On NATS only the host has no LAN to find: no interface choice, DNS-SD or membership service.
  const network =
    platformChoice.kind === 'nats'
      ? { kind: 'nats' as const, choice: platformChoice }
      : {
          kind: 'lan' as const,
          setup: await setUpNetwork({
            registryPath,
            ...(options.gms && { gms: options.gms }),
            ...(options.interface !== undefined && { interface: options.interface }),
            serve: options.embeddedGms !== false,
            ...(options.network && { tunables: options.network }),
            ...(options.log && { log: options.log }),
            workspace: { id: workspace.id, packetKey: key },
          }).catch((e: unknown) => {
            // A given service of another workspace refuses this host's key already when it is probed.
            throw options.gms && isMembershipRefused(e) ? notMember(options.gms, workspace, e) : e;
          }),
        };
  const lan: HostNetworkSetup | undefined = network.kind === 'lan' ? network.setup : undefined;
  if (platformChoice.kind === 'nats') {
    options.log?.(
      `network: NATS platform at ${platformChoice.servers.join(', ')} (${NATS_GIVEN[platformChoice.given]}); no LAN discovery or membership service`,
    );
  }
  if (options.bridge) {
    options.log?.(
      `network: --bridge ${options.bridge.join(',')} recorded; the bridge to NATS is not available yet, so objects stay on the LAN`,
    );
  }
  const given = lan?.given;
  // The address objects' references resolve to: the given one, else the default platform's,
  // which stands for whatever service the membership controller keeps.
  const gms = given ?? DEFAULT_GMS;
  const sessions = new Set<HostSession>();
  // Set once the node is up; object errors before that have no session to go to anyway.
  const routing: { core?: HostCore } = {};
  const qsm = new QsmService({
    // The engine binds, multicasts and sizes its datagrams (within the MTU: no IP fragmentation
    // off loopback) by the interface chosen for it.
    tunables: {
      ...(lan && { host: lan.interface.address, iface: lan.interface.address, mtu: lan.interface.mtu }),
      ...options.engine,
      packetKey: key,
    },
    // What a replica or channel throws on a message or view: the engine names the group, not
    // the object, so every session is told.
    onError: (error, where) => routing.core?.objectError(undefined, handlerErrorText(error, where), sessions),
  });
  const store = new DiskStateStore(stateDir, { ...(options.saveRetry && { retry: options.saveRetry }) });
  const instances = new ObjectInstances();
  // Library code runs only with this host's user's consent (asked in the UI, kept in the registry).
  const libraries = new RegistryConsent(
    registryPath,
    givenConsent({
      ...(options.allowLibraries && { urls: options.allowLibraries }),
      ...(options.trustLibraries && { all: true }),
    }),
  );
  // One NATS connection per server list for the host's objects and its presence (objects/nats).
  const nats = new NatsService();
  const catalogue = builtinCatalogue({
    qsm,
    nats,
    instances,
    ...(options.checkpointed ? { checkpointed: options.checkpointed } : {}),
    library: {
      consent: libraries,
      onError: (message) => routing.core?.objectError(undefined, message, sessions),
    },
    ui: {
      store,
      ...(options.saveDelayMs !== undefined ? { saveDelayMs: options.saveDelayMs } : {}),
      onError: (info, error) => routing.core?.objectError(info.key, errorText(error), sessions),
    },
  });
  catalogue.register(hostRegistryEntry(registryPath, given, platformChoice), { replace: true });
  const runtime = new Runtime({ catalogue });

  // The host runs the engine inside the application's process (in Electron, the main
  // process), and the V8 setting behind this is process-wide, so the engine leaves it to the
  // host. The host holds the headroom: a heap as small as an engine's alone makes V8
  // mark-compact every few tens of ms under a stream of datagrams (engine/util/heap-headroom.ts),
  // while a bigger application heap already has the room and is left to V8. Released at close.
  const releaseHeadroom = processHeapHeadroom.hold(options.heapHeadroomBytes ?? DEFAULT_HEAP_HEADROOM_BYTES);
  const hostWorkspace = new HostWorkspace(home, workspace);
  const context = {
    userName: options.userName ?? 'anonymous',
    workspace: () => hostWorkspace.status(),
    workspaceChanges: (changed: () => void) => hostWorkspace.onChange(changed),
  };
  let platform: HostPlatform;
  try {
    platform =
      network.kind === 'nats'
        ? await startNatsPlatform(
            context,
            network.choice,
            (options.natsConnector ?? natsConnector(nats))(network.choice),
          )
        : await startLanPlatform(context, {
            qsm,
            interface: network.setup.interface,
            membership: network.setup.membership,
            given,
            gms,
            ...(options.bridge && { bridge: options.bridge }),
          });
  } catch (e) {
    await qsm.close();
    await nats.close();
    releaseHeadroom();
    await lan?.membership.close();
    throw lan && isMembershipRefused(e) ? notMember(lan.membership.address, workspace, e) : e;
  }
  const { nodeId, presence } = platform;
  const shared = new HostCore(
    runtime,
    nodeId,
    context.userName,
    presence,
    (s) => sessions.delete(s),
    platform.status,
    libraries,
    store,
    hostWorkspace,
  );
  routing.core = shared;
  let closed = false;
  const offStorageLog = store.onStatus((s) => {
    if (s.state === 'failing') options.log?.(`host: WARNING: ${storageWarning(s) ?? ''}`);
    else if (s.unsaved === 0) options.log?.('host: saving works again; every change is on disk');
  });

  return {
    home,
    gms,
    nodeId,
    runtime,
    store,
    workspace: hostWorkspace,
    get hostsGms() {
      return platform.servesGms;
    },
    network: platform.network,
    platform: platform.choice,
    openSession(shell): BridgeSession {
      if (closed) throw new Error('the host is closed');
      const session = new HostSession(shared, shell);
      sessions.add(session);
      return session;
    },
    async openFile(path) {
      // Failures reject: the shells report them (a dialog, or an error event to the renderer).
      const source = resolve(path);
      const xml = await readReferenceFile(source);
      if (sessions.size === 0) throw new Error(`cannot show ${source}: no window is open`);
      // An invitation is not shown: each window asks its user whether to join.
      const invitation = hostWorkspace.invitationIn(xml, source);
      if (invitation) {
        for (const s of [...sessions]) s.emit('invitation', invitation);
        return;
      }
      let failure: unknown;
      // Each session opens it for its own window; the replica is shared.
      for (const s of [...sessions]) {
        try {
          s.emit('opened', await s.open(xml, source, { askAgain: true }));
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure !== undefined) throw failure;
    },
    async close() {
      if (closed) return;
      closed = true;
      let unsaved: string[];
      try {
        for (const s of [...sessions]) await s.close();
        await instances.settled();
        unsaved = await store.close();
        offStorageLog();
        await platform.close();
        await qsm.close();
        await nats.close();
        releaseHeadroom();
        await lan?.membership.close();
      } finally {
        // Whatever failed above, this process no longer writes the home.
        releaseLock();
      }
      if (unsaved.length > 0) throw new UnsavedStateError(stateDir, unsaved, store.status());
    },
  };
}

/** The host closed while some objects' newest state could not be written (disk full…). */
export class UnsavedStateError extends Error {
  constructor(
    readonly dir: string,
    readonly groups: readonly string[],
    status: StorageStatus,
  ) {
    const why = status.state === 'failing' ? status.message : 'the last write did not finish';
    const named =
      groups.length > 5
        ? `${groups.slice(0, 5).join(', ')} and ${groups.length - 5} more`
        : groups.join(', ');
    super(
      `the newest changes of ${groups.length} object${groups.length === 1 ? '' : 's'} (${named}) ` +
        `could not be saved: ${why}. They are lost with this process unless another member still has them.`,
    );
    this.name = 'UnsavedStateError';
  }
}

/** The host's registration was refused: its workspace key is not the service's. */
function notMember(address: { host: string; port: number }, workspace: Workspace, cause: unknown): Error {
  return new Error(
    `${notMemberText(`${address.host}:${address.port}`)} (this host is in "${workspace.name}")`,
    { cause },
  );
}

function handlerErrorText(error: unknown, where: HandlerCall): string {
  const what = where.handler === 'message' ? `a message of group ${where.group}` : 'a membership change';
  return `handling ${what} failed: ${errorText(error)}`;
}

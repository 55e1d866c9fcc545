// createHost: one node = QSM engine + live object runtime + persistence + bridge sessions
// (docs/host.md). The shells (Electron, web) adapt the BridgeHost it returns.
import { networkInterfaces } from 'node:os';
import { join, resolve } from 'node:path';
import type { MembershipService, NetworkInterface } from '../../src-shared/bridge/network';
import type { Address } from '../../src-shared/format/document';
import { DEFAULT_HEAP_HEADROOM_BYTES, processHeapHeadroom, type HandlerCall } from '../engine';
import { GmsClient, startEmbeddedGms } from '../engine/gms';
import type { EmbeddedGms } from '../engine/gms';
import { builtinCatalogue } from '../objects/builtins';
import { defaultHome } from '../objects/registry';
import { ObjectInstances } from '../objects/instances';
import { EngineGroupChannel, QsmService } from '../objects/qsm';
import type { CheckpointedEntryOptions, EngineTunables } from '../objects/qsm';
import { Runtime } from '../runtime/runtime';
import type { BridgeHost, BridgeSession } from './bridge-host';
import { HostCore } from './core';
import { readReferenceFile } from './files';
import { hostNetworkStatus } from './network/status-source';
import type { ThrottledStatusSource } from './network/status-source';
import { DiskStateStore, ensureStateDir } from './persistence';
import { HOSTS_GROUP, PresenceDirectory } from './presence';
import { configuredGms, hostRegistryEntry } from './registry';
import { HostSession } from './session';
import { errorText } from '../../src-shared/util/error-text';

export interface HostOptions {
  /** Holds registry.json and state/; default $LIVEOBJECTS_HOME, else ~/.config/liveobjects. */
  readonly home?: string;
  /** The membership service; default: the registry's QuickSilver platform, else 127.0.0.1:7070. */
  readonly gms?: { readonly host: string; readonly port: number };
  readonly userName?: string;
  readonly shell: 'web' | 'electron';
  /** Engine tunables (tests shorten the token interval). */
  readonly engine?: EngineTunables;
  /** Checkpointed protocol timings (tests). */
  readonly checkpointed?: CheckpointedEntryOptions;
  /** Debounce of state writes (default 300 ms). */
  readonly saveDelayMs?: number;
  /** Start an embedded GMS when none answers at the address (default true). */
  readonly embeddedGms?: boolean;
  /** Room held in V8's heap limit for the engine's datagrams while the host runs (default
   * 64 MiB; 0: leave V8's heap sizing alone). Process-wide: see createHost. */
  readonly heapHeadroomBytes?: number;
}

export interface Host extends BridgeHost {
  readonly home: string;
  readonly gms: Address;
  readonly nodeId: string;
  readonly runtime: Runtime;
  /** True when this process serves the GMS (the first instance on the machine). */
  readonly hostsGms: boolean;
  readonly store: DiskStateStore;
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
  const gms = options.gms ?? configuredGms(registryPath);
  let embedded: EmbeddedGms | undefined;
  if (options.embeddedGms !== false) {
    try {
      embedded = await startEmbeddedGms({ host: gms.host, port: gms.port });
    } catch (e) {
      throw new Error(
        `no membership service at ${gms.host}:${gms.port}, and none could be started there: ${errorText(e)}`,
        {
          cause: e,
        },
      );
    }
  }
  const sessions = new Set<HostSession>();
  // Set once the node is up; object errors before that have no session to go to anyway.
  const routing: { core?: HostCore } = {};
  const qsm = new QsmService({
    ...(options.engine ? { tunables: options.engine } : {}),
    // What a replica or channel throws on a message or view: the engine names the group, not
    // the object, so every session is told.
    onError: (error, where) => routing.core?.objectError(undefined, handlerErrorText(error, where), sessions),
  });
  const store = new DiskStateStore(stateDir);
  const instances = new ObjectInstances();
  const catalogue = builtinCatalogue({
    qsm,
    instances,
    ...(options.checkpointed ? { checkpointed: options.checkpointed } : {}),
    ui: {
      store,
      ...(options.saveDelayMs !== undefined ? { saveDelayMs: options.saveDelayMs } : {}),
      onError: (info, error) => routing.core?.objectError(info.key, errorText(error), sessions),
    },
  });
  catalogue.register(hostRegistryEntry(registryPath, options.gms), { replace: true });
  const runtime = new Runtime({ catalogue });

  // The host runs the engine inside the application's process (in Electron, the main
  // process), and the V8 setting behind this is process-wide, so the engine leaves it to the
  // host. The host holds the headroom: a heap as small as an engine's alone makes V8
  // mark-compact every few tens of ms under a stream of datagrams (engine/util/heap-headroom.ts),
  // while a bigger application heap already has the room and is left to V8. Released at close.
  const releaseHeadroom = processHeapHeadroom.hold(options.heapHeadroomBytes ?? DEFAULT_HEAP_HEADROOM_BYTES);
  let presence: PresenceDirectory;
  let nodeId: string;
  let network: ThrottledStatusSource;
  try {
    const node = await qsm.node(gms);
    nodeId = node.id;
    const names = new PresenceDirectory(
      new EngineGroupChannel(node.lease(HOSTS_GROUP)),
      options.userName ?? 'anonymous',
    );
    presence = names;
    const client = node.started.membership;
    const iface = boundInterface(node.started.node.self.host, isLoopback(gms.host));
    const served = embedded?.server !== undefined;
    const membership = (): MembershipService => ({
      address: `${gms.host}:${gms.port}`,
      foundBy: options.gms ? 'option' : served ? 'serving' : 'registry',
      servedHere: served,
      state: !(client instanceof GmsClient) || client.stats.connected ? 'connected' : 'lost',
    });
    network = hostNetworkStatus(
      {
        node: node.started.node,
        interface: () => iface,
        membership,
        nameOf: (id) => names.nameOf(id),
      },
      [(changed) => names.onChange(changed)],
    );
  } catch (e) {
    await qsm.close();
    releaseHeadroom();
    await embedded?.close();
    throw e;
  }
  const shared = new HostCore(
    runtime,
    nodeId,
    options.userName ?? 'anonymous',
    presence,
    (s) => sessions.delete(s),
    network,
  );
  routing.core = shared;
  let closed = false;

  return {
    home,
    gms,
    nodeId,
    runtime,
    store,
    hostsGms: embedded?.server !== undefined,
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
      let failure: unknown;
      // Each session opens it for its own window; the replica is shared.
      for (const s of [...sessions]) {
        try {
          s.emit('opened', await s.open(xml, source));
        } catch (e) {
          failure ??= e;
        }
      }
      if (failure !== undefined) throw failure;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const s of [...sessions]) await s.close();
      await instances.settled();
      await store.idle();
      network.close();
      await presence.close();
      await qsm.close();
      releaseHeadroom();
      await embedded?.close();
    },
  };
}

/** The interface of the address the engine bound: on the route to a membership service on
 * loopback, else loopback for want of another. */
function boundInterface(address: string, gmsOnLoopback: boolean): NetworkInterface {
  const loopback = isLoopback(address);
  const name = Object.entries(networkInterfaces()).find(([, addresses]) =>
    addresses?.some((a) => a.family === 'IPv4' && a.address === address),
  )?.[0];
  return {
    name: name ?? (loopback ? 'lo' : address),
    address,
    mtu: loopback ? 65_536 : 1500,
    loopback,
    chosenBy: !loopback ? 'option' : gmsOnLoopback ? 'route' : 'loopback',
  };
}

function isLoopback(host: string): boolean {
  return host.startsWith('127.') || host === 'localhost';
}

function handlerErrorText(error: unknown, where: HandlerCall): string {
  const what = where.handler === 'message' ? `a message of group ${where.group}` : 'a membership change';
  return `handling ${what} failed: ${errorText(error)}`;
}

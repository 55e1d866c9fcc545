// The parts of a host that sessions share: the runtime, the user name, presence names, the
// network status and the routing of object errors (disk full…) to every session that has the
// object open.
import { KIND_TITLES } from '../../src-shared/bridge/kinds';
import type {
  HostInfo,
  NetworkStatus,
  ObjectHandle,
  StorageStatus,
  TemplateInfo,
  TemplateKind,
} from '../../src-shared/bridge/protocol';
import type { LibraryAnswer, LibraryConsentRequest } from '../../src-shared/bridge/library-consent';
import { consentPlaceholder } from '../../src-shared/bridge/library-consent';
import type { Runtime } from '../runtime/runtime';
import type { LibraryConsentError } from '../objects/library';
import type { DecidedEvent, RegistryConsent } from '../objects/libraries/consent';
import { TEMPLATE_IDS } from '../objects/ui/view-kinds';
import type { NetworkStatusSource } from './network/status-source';
import type { PresenceDirectory } from './presence';
import type { HostWorkspace } from './workspace/host-workspace';
import type { JoinResult } from '../../src-shared/bridge/workspace';
import type { HostSession } from './session';

/** Whether the host's state store can write (persistence.ts's DiskStateStore). */
export interface StorageStatusSource {
  status(): StorageStatus;
  onStatus(listener: (status: StorageStatus) => void): () => void;
}

export const HOST_VERSION = '0.1.0';

/** How long the same error of the same object stays quiet after it was shown. */
export const REPEAT_QUIET_MS = 10_000;
const MAX_REMEMBERED_ERRORS = 1000;

const TEMPLATE_DESCRIPTIONS: Readonly<Record<TemplateKind, string>> = {
  desktop: 'a shared 2D desktop: drop live objects on it and arrange them together',
  note: 'a shared text note, edited together in real time',
  image: 'a shared image (PNG, JPEG or WebP)',
  space3d: 'a shared 3D space: place airplanes, buildings and maps in it (a window for a desktop)',
  airplane: 'a 3D airplane: place it in a 3D space, drop a coordinate stream or an image (livery) on it',
  building: 'a 3D building with a shared colour, for a 3D space',
  map: 'a 3D map with shared annotations, for a 3D space',
  coordinates: 'a stream of 3D positions that members publish; drop it on an airplane to fly it',
  flights: 'simulated air traffic as a coordinate stream; drop it on an airplane to fly along a track',
};

export class HostCore {
  private readonly holders = new Map<string, Set<{ session: HostSession; handle: ObjectHandle }>>();
  /** Errors recently shown (object key and message), for objectError's repeat rule. */
  private readonly shown = new Map<string, { at: number; repeats: number }>();

  constructor(
    readonly runtime: Runtime,
    readonly nodeId: string,
    readonly userName: string,
    private readonly presence: PresenceDirectory | undefined,
    private readonly onSessionClosed: (session: HostSession) => void,
    private readonly network?: NetworkStatusSource,
    /** The user's answers about library code, kept in the registry. */
    readonly libraries?: RegistryConsent,
    private readonly storage?: StorageStatusSource,
    private readonly workspace?: HostWorkspace,
  ) {}

  /** Joins the workspace of an invitation the user agreed to (the `join` command). */
  join(xml: string, source: string | undefined): JoinResult {
    if (!this.workspace) throw new Error('this host has no workspace to change');
    return this.workspace.join(xml, source);
  }

  hello(shell: 'electron' | 'web'): HostInfo {
    return { shell, nodeId: this.nodeId, userName: this.userName, version: HOST_VERSION };
  }

  /** The templates this build can instantiate. */
  templates(): TemplateInfo[] {
    return (Object.keys(TEMPLATE_IDS) as (keyof typeof TEMPLATE_IDS)[])
      .filter((kind) => {
        const entry = this.runtime.catalogue.get(TEMPLATE_IDS[kind]);
        return entry?.kind === 'template' && entry.instantiate !== undefined;
      })
      .map((kind) => ({ kind, title: KIND_TITLES[kind], description: TEMPLATE_DESCRIPTIONS[kind] }));
  }

  nameOf(member: string): string {
    return this.presence?.nameOf(member) ?? member;
  }

  onPresenceChange(listener: () => void): () => void {
    return this.presence?.onChange(listener) ?? (() => undefined);
  }

  /** What the host sees of the network (the `network` command). */
  networkStatus(): NetworkStatus {
    if (!this.network) throw new Error('this host has no network status to report');
    return this.network.status();
  }

  /** Changes of the network status (throttled by the source), for the `network` event. */
  onNetworkChange(listener: (status: NetworkStatus) => void): () => void {
    return this.network?.onChange(listener) ?? (() => undefined);
  }

  /** Whether the host can save to disk (the `storage` command); a host without a store always can. */
  storageStatus(): StorageStatus {
    return this.storage?.status() ?? { state: 'ok', unsaved: 0 };
  }

  /** Changes of the storage status, for the `storage` event. */
  onStorageChange(listener: (status: StorageStatus) => void): () => void {
    return this.storage?.onStatus(listener) ?? (() => undefined);
  }

  /**
   * Opening `neededBy` needs library code the user has not allowed: returns the request the
   * window should ask (after a refusal only when the user opened it explicitly: `askAgain`, which
   * forgets the refusal) and the placeholder the open fails with.
   */
  libraryConsentNeeded(
    error: LibraryConsentError,
    neededBy: string,
    askAgain: boolean,
  ): { readonly request: LibraryConsentRequest | undefined; readonly placeholder: string } {
    const { url, sha256 } = error;
    let decision = error.decision;
    if (decision === 'deny' && askAgain && this.libraries) {
      this.libraries.remember(url, sha256, undefined);
      decision = 'ask';
    }
    return {
      request: decision === 'ask' ? { url, sha256, neededBy, decision } : undefined,
      placeholder: consentPlaceholder(url, sha256, decision),
    };
  }

  /** Remembers the user's answer; every session hears of it (`library.decided`). */
  answerLibrary({ url, sha256, answer }: LibraryAnswer): null {
    if (!this.libraries) throw new Error('this host keeps no answers about libraries');
    this.libraries.remember(url, sha256, answer === 'ask' ? undefined : answer);
    return null;
  }

  onLibraryDecided(listener: (event: DecidedEvent) => void): () => void {
    return this.libraries?.onDecided(listener) ?? (() => undefined);
  }

  /** Records that `session` shows the object stored under `key` as `handle`. */
  track(key: string, session: HostSession, handle: ObjectHandle): () => void {
    let set = this.holders.get(key);
    if (!set) this.holders.set(key, (set = new Set()));
    const item = { session, handle };
    set.add(item);
    return () => {
      set.delete(item);
      if (set.size === 0 && this.holders.get(key) === set) this.holders.delete(key);
    };
  }

  /** An error of a running object: shown wherever it is open (else to every session). The
   * key is undefined when only the object's group is known (an engine handler's error). The
   * same error of the same object is shown at most once per REPEAT_QUIET_MS, with the number
   * of repeats in between: a replica that fails on every update must not bury the user. */
  objectError(
    key: string | undefined,
    message: string,
    sessions: Iterable<HostSession>,
    now = Date.now(),
  ): void {
    const id = `${key ?? ''}\n${message}`;
    const last = this.shown.get(id);
    if (last && now - last.at < REPEAT_QUIET_MS) {
      last.repeats++;
      return;
    }
    if (this.shown.size >= MAX_REMEMBERED_ERRORS) this.shown.clear();
    this.shown.set(id, { at: now, repeats: 0 });
    if (last && last.repeats > 0) message += ` (${last.repeats} more times since it was last shown)`;
    const holders = key === undefined ? undefined : this.holders.get(key);
    if (holders && holders.size > 0) {
      for (const { session, handle } of holders) session.emit('error', { handle, message });
      return;
    }
    for (const s of sessions) s.emit('error', { message });
  }

  sessionClosed(session: HostSession): void {
    this.onSessionClosed(session);
  }
}

// The parts of a host that sessions share: the runtime, the user name, presence names and
// the routing of object errors (disk full…) to every session that has the object open.
import { KIND_TITLES } from '../../src-shared/bridge/kinds';
import type { HostInfo, ObjectHandle, TemplateInfo, TemplateKind } from '../../src-shared/bridge/protocol';
import type { Runtime } from '../runtime/runtime';
import { TEMPLATE_IDS } from '../objects/ui/view-kinds';
import type { PresenceDirectory } from './presence';
import type { HostSession } from './session';

export const HOST_VERSION = '0.1.0';

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

  constructor(
    readonly runtime: Runtime,
    readonly nodeId: string,
    readonly userName: string,
    private readonly presence: PresenceDirectory | undefined,
    private readonly onSessionClosed: (session: HostSession) => void,
  ) {}

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
   * key is undefined when only the object's group is known (an engine handler's error). */
  objectError(key: string | undefined, message: string, sessions: Iterable<HostSession>): void {
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

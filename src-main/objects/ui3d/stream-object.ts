// liveobjects.coordinates and liveobjects.flights: coordinate streams over a plain channel
// (a qsm.channel, not checkpointed: nothing is state, a joiner starts with the next sample).
// Each proxy's `stream` endpoint emits `position(Bytes)` with every samples message (0x50,
// src-shared/spatial/sample-codec) of the group. One instance per (node, template, group,
// parameters) in the host's ObjectInstances is shared by every dereference in the host, so ten
// airplanes following one stream cost one group membership and one decode path.
//
// flights: every member runs the same deterministic FlightGenerator (seed, count), but only
// the lowest member id of the current view publishes; when it leaves, the next view elects
// the next one (failover without coordination: all members see the same views).
import type { ViewStateOf } from '../../../src-shared/bridge/protocol';
import { FlightGenerator } from '../../../src-shared/spatial/flight-generator';
import type { TrackSample } from '../../../src-shared/spatial/sample-codec';
import { MAX_SAMPLES_PER_MESSAGE, encodeSamples } from '../../../src-shared/spatial/sample-codec';
import type { TemplateEntry } from '../../runtime/catalogue';
import type { TemplateArguments } from '../../runtime/template-arguments';
import type { Portal } from '../../runtime/endpoint';
import type { LocalProxy, Proxy } from '../../runtime/proxy';
import type { MemberId } from '../channel/group-channel';
import type { InstanceRegistration, ObjectInstances } from '../instances';
import { CoordinateStreamPublisher } from '../models3d/coordinate-stream';
import type { PublisherStats } from '../models3d/coordinate-stream';
import { channelAccess, channelIdentity } from '../qsm/channel-entry';
import type { ChannelAccess } from '../qsm/channel-entry';
import { stateKey } from '../ui/state-store';

export type StreamKind = 'coordinates' | 'flights';

export interface FlightsParams {
  readonly count: number;
  readonly seed: number;
  readonly rateHz: number;
}

export const FLIGHTS_DEFAULTS = { count: 12, rateHz: 20 } as const;
export const FLIGHTS_LIMITS = { maxCount: 1000, minRateHz: 0.5, maxRateHz: 60 } as const;

/** What the host may ask of a stream proxy besides its endpoint. */
export interface StreamObjectInfo {
  readonly kind: StreamKind;
  readonly template: string;
  readonly group: string;
  readonly key: string;
  readonly self: string;
  /** Whether the channel is sealed (liveobjects.sealed): only holders of the reference can read or send. */
  readonly sealed: boolean;
  members(): readonly string[];
  onMembers(listener: (members: readonly string[]) => void): () => void;
  /** The view state: the senders of a coordinates stream, the aircraft of a flights one. */
  state(): ViewStateOf<StreamKind>;
  onState(listener: () => void): () => void;
  /** Multicasts samples on the stream (any member of a coordinates stream may publish). */
  publish(samples: readonly TrackSample[]): Promise<void>;
  /** flights: the publisher's counters while this node publishes. */
  publisherStats(): PublisherStats | undefined;
}

const infos = new WeakMap<Proxy, StreamObjectInfo>();

export function streamObjectInfo(proxy: Proxy): StreamObjectInfo | undefined {
  return infos.get(proxy);
}

/** A 31-bit seed from the group name, so a reference without one still agrees everywhere. */
function seedOf(group: string): number {
  let h = 2166136261;
  for (let i = 0; i < group.length; i++) h = Math.imul(h ^ group.charCodeAt(i), 16777619);
  return (h >>> 0) & 0x7fffffff;
}

class StreamInstance {
  private refs = 0;
  private readonly portals = new Set<Portal>();
  private readonly stateListeners = new Set<() => void>();
  private readonly senders = new Set<MemberId>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly generator: FlightGenerator | undefined;
  private publisher: CoordinateStreamPublisher | undefined;
  private leader: MemberId | null = null;
  private ended = false;
  readonly info: StreamObjectInfo;

  constructor(
    template: string,
    readonly kind: StreamKind,
    private readonly channel: { proxy: Proxy; access: ChannelAccess },
    private readonly flights: FlightsParams | undefined,
    private readonly registration: InstanceRegistration,
  ) {
    const ch = channel.access.channel;
    if (flights) this.generator = new FlightGenerator({ seed: flights.seed, count: flights.count });
    this.info = {
      kind,
      template,
      group: channel.access.group,
      key: stateKey(template, channel.access.gms, channelIdentity(channel.access)),
      self: ch.self,
      sealed: channel.access.sealing !== undefined,
      members: () => ch.members,
      onMembers: (l) => ch.onView(l),
      state: () => this.state(),
      onState: (l) => {
        this.stateListeners.add(l);
        return () => this.stateListeners.delete(l);
      },
      publish: (samples) => this.publish(samples),
      publisherStats: () => this.publisher?.stats,
    };
    this.unsubscribe.push(
      ch.onMessage((sender, bytes) => this.deliver(sender, bytes)),
      ch.onView((members) => this.onView(members)),
    );
    if (ch.members.length > 0) this.onView(ch.members);
  }

  proxy(make: () => LocalProxy): LocalProxy {
    const proxy = make();
    this.refs++;
    const portal = proxy.portal('stream');
    portal.onConnect(() => this.portals.add(portal));
    portal.onDisconnect(() => this.portals.delete(portal));
    proxy.onDispose(() => {
      this.portals.delete(portal);
      if (--this.refs === 0) this.end();
    });
    infos.set(proxy, this.info);
    return proxy;
  }

  private deliver(sender: MemberId, bytes: Uint8Array): void {
    for (const p of this.portals) if (p.connected) p.send('position', bytes);
    if (this.kind === 'coordinates' && !this.senders.has(sender)) {
      this.senders.add(sender);
      this.notify();
    }
  }

  private onView(members: readonly MemberId[]): void {
    let changed = false;
    for (const s of [...this.senders]) if (!members.includes(s)) changed = this.senders.delete(s) || changed;
    if (this.generator && this.flights) {
      const self = this.channel.access.channel.self;
      // Views are sorted: every member elects the same one.
      const leader = members.includes(self) ? (members[0] ?? null) : null;
      if (leader !== this.leader) {
        this.leader = leader;
        changed = true;
        if (leader === self) this.startPublishing(this.generator, this.flights.rateHz);
        else this.stopPublishing();
      }
    }
    if (changed) this.notify();
  }

  private startPublishing(generator: FlightGenerator, rateHz: number): void {
    if (this.publisher || this.ended) return;
    const ch = this.channel.access.channel;
    this.publisher = new CoordinateStreamPublisher({
      rateHz,
      source: (now) => generator.samples(now),
      send: (bytes) => void ch.send(bytes).catch(() => undefined),
    });
    this.publisher.start();
  }

  private stopPublishing(): void {
    this.publisher?.dispose();
    this.publisher = undefined;
  }

  private async publish(samples: readonly TrackSample[]): Promise<void> {
    if (this.ended) throw new Error(`the stream ${this.info.group} is closed`);
    for (let i = 0; i < samples.length; i += MAX_SAMPLES_PER_MESSAGE) {
      await this.channel.access.channel.send(encodeSamples(samples.slice(i, i + MAX_SAMPLES_PER_MESSAGE)));
    }
  }

  private state(): ViewStateOf<StreamKind> {
    if (!this.flights || !this.generator) return { kind: 'coordinates', senders: [...this.senders].sort() };
    return {
      kind: 'flights',
      ...this.flights,
      publisher: this.leader,
      publishing: this.publisher !== undefined,
      tracks: this.generator.plans.map((p) => ({ track: p.track, callsign: p.callsign, color: p.color })),
    };
  }

  private notify(): void {
    for (const l of [...this.stateListeners]) l();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stopPublishing();
    for (const u of this.unsubscribe) u();
    this.stateListeners.clear();
    this.portals.clear();
    this.registration.ended();
    this.channel.proxy.dispose();
  }
}

function flightsParams(args: TemplateArguments, group: string): FlightsParams {
  const count = args.has('count') ? args.int('count') : FLIGHTS_DEFAULTS.count;
  const seed = args.has('seed') ? args.int('seed') : seedOf(group);
  const rateHz = args.has('rateHz') ? args.double('rateHz') : FLIGHTS_DEFAULTS.rateHz;
  if (!Number.isInteger(count) || count < 0 || count > FLIGHTS_LIMITS.maxCount)
    throw new Error(`liveobjects.flights: count must be an integer from 0 to ${FLIGHTS_LIMITS.maxCount}`);
  if (!Number.isSafeInteger(seed)) throw new Error('liveobjects.flights: seed must be a safe integer');
  if (!(rateHz >= FLIGHTS_LIMITS.minRateHz && rateHz <= FLIGHTS_LIMITS.maxRateHz))
    throw new Error(
      `liveobjects.flights: rateHz must be within ${FLIGHTS_LIMITS.minRateHz}–${FLIGHTS_LIMITS.maxRateHz}`,
    );
  return { count, seed, rateHz };
}

/** The implementation of a declared stream template (coordinates or flights); its instances
 *  live in `instances` (the host's). */
export function streamTemplateEntry(
  base: TemplateEntry,
  kind: StreamKind,
  instances: ObjectInstances,
): TemplateEntry {
  return {
    ...base,
    async instantiate(ctx) {
      const channelProxy = await ctx.runtime.dereference(ctx.args.reference('channel'));
      const access = channelAccess(channelProxy);
      if (!access) {
        channelProxy.dispose();
        throw new Error(
          `${base.id} needs a channel with membership views (a qsm.channel or a nats.channel, or a liveobjects.sealed over one); ${channelProxy.label} is not one`,
        );
      }
      let flights: FlightsParams | undefined;
      try {
        flights = kind === 'flights' ? flightsParams(ctx.args, access.group) : undefined;
      } catch (e) {
        channelProxy.dispose();
        throw e;
      }
      const params = flights ? `${flights.count}/${flights.seed}/${flights.rateHz}` : '';
      // Like the UI objects' key: the node id (`self`) already stands for its GMS.
      const key = [base.id, access.channel.self, channelIdentity(access), params].join('\n');
      const shared = instances.obtain(
        key,
        (registration) =>
          new StreamInstance(base.id, kind, { proxy: channelProxy, access }, flights, registration),
      );
      if (!shared.created) channelProxy.dispose();
      return shared.instance.proxy(() => ctx.proxy());
    },
  };
}

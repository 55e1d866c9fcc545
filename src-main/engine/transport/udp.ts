// UDP transport: one unicast socket per node (tokens, NAKs, repairs, MaxContiguous, and the
// sending side of IP multicast) plus one receive socket per region this node belongs to,
// bound to the region's multicast address so regions sharing a host stay separate. Region
// traffic goes as one IP multicast or, where that does not arrive (chooser.ts decides per
// region), as a unicast copy per member; with `fanout` always the latter, and no region
// sockets at all.

import dgram from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { MulticastAddress, NodeInfo, RegionView } from '../membership';
import type { FaultInjector } from './faults';

export type DatagramHandler = (buf: Buffer) => void;

export interface TransportOptions {
  /** Local interface address for multicast; default loopback. */
  readonly iface: string;
  /** Unicast copies to every region: no multicast set-up, no region sockets. */
  readonly fanout: boolean;
  readonly socketBufferBytes: number;
  readonly multicastTtl: number;
  readonly faults?: FaultInjector;
}

function key(m: MulticastAddress): string {
  return `${m.address}:${m.port}`;
}

function enlarge(s: dgram.Socket, bytes: number): void {
  // The kernel may cap these (net.core.rmem_max); a smaller buffer only means more loss.
  try {
    s.setRecvBufferSize(bytes);
  } catch {
    /* capped */
  }
  try {
    s.setSendBufferSize(bytes);
  } catch {
    /* capped */
  }
}

/**
 * One datagram in flight whose buffer goes back to its owner once every copy is sent. Pooled
 * with its callback bound once: a closure per datagram costs an allocation (and, under tsx, a
 * function-name property) on the sender's hottest path.
 */
class PendingSend {
  private buf: Uint8Array | undefined;
  private left = 0;
  private release: ((buf: Uint8Array) => void) | undefined;
  readonly done = (err: Error | null): void => {
    if (err) this.transport.sendErrors++;
    if (--this.left > 0) return;
    const { buf, release } = this;
    this.buf = this.release = undefined;
    this.transport.pendingPool.push(this);
    release!(buf!);
  };

  constructor(private readonly transport: UdpTransport) {}

  start(buf: Uint8Array, copies: number, release: (buf: Uint8Array) => void): (err: Error | null) => void {
    this.buf = buf;
    this.left = copies;
    this.release = release;
    return this.done;
  }
}

export class UdpTransport {
  private readonly groups = new Map<string, dgram.Socket>();
  private handler: DatagramHandler = () => {};
  private closed = false;
  sendErrors = 0;
  private readonly onSent = (err: Error | null): void => {
    if (err) this.sendErrors++;
  };
  private readonly onMessage = (buf: Buffer): void => {
    // Byte 3 is the packet type; 1 is data (wire/packets.ts).
    if (this.opts.faults?.shouldDrop(buf.length > 3 && buf[3] === 1)) return;
    this.handler(buf);
  };
  /** A region socket's datagrams: they came by IP multicast. */
  private readonly onMulticast = (buf: Buffer): void => {
    const f = this.opts.faults;
    if (f && (f.shouldDropMulticast() || f.shouldDrop(buf.length > 3 && buf[3] === 1))) return;
    this.handler(buf);
  };

  /** Idle PendingSends: a datagram's completion needs no closure of its own. */
  readonly pendingPool: PendingSend[] = [];
  /** Whether IP multicast sent by this node loops back to sockets on this host. */
  private multicastLoop = true;
  /** This host's addresses, to tell which region members run on it. */
  private readonly localAddresses = new Set(
    Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)),
  );

  private constructor(
    private readonly self: NodeInfo,
    private readonly unicast: dgram.Socket,
    private readonly opts: TransportOptions,
  ) {
    unicast.on('message', this.onMessage);
    unicast.on('error', () => {});
    enlarge(unicast, opts.socketBufferBytes);
    if (!opts.fanout) {
      try {
        unicast.setMulticastInterface(opts.iface);
        unicast.setMulticastLoopback(true);
        unicast.setMulticastTTL(opts.multicastTtl);
      } catch {
        /* reported when sending */
      }
    }
  }

  /**
   * IP multicast loops back to this host only while another member of a region this node is in
   * or sends to runs on this host. This node delivers its own messages without the network, so
   * a looped copy would only cost it a local delivery and a receive per datagram (what a sender
   * alone on its machine pays beyond a plain UDP sender).
   */
  regionsChanged(regions: readonly RegionView[]): void {
    if (this.opts.fanout) return;
    const loop = needsMulticastLoop(regions, this.self.id, this.localAddresses);
    if (loop === this.multicastLoop) return;
    this.multicastLoop = loop;
    try {
      this.unicast.setMulticastLoopback(loop);
    } catch {
      /* the socket is closing */
    }
  }

  /** Uses `socket` if given (already bound), else binds a new socket to `self`. */
  static async open(self: NodeInfo, opts: TransportOptions, socket?: dgram.Socket): Promise<UdpTransport> {
    let s = socket;
    if (!s) {
      s = dgram.createSocket({ type: 'udp4', reuseAddr: false });
      await bind(s, self.port, self.host);
    }
    return new UdpTransport(self, s, opts);
  }

  onDatagram(h: DatagramHandler): void {
    this.handler = h;
  }

  get sendQueueCount(): number {
    return this.unicast.getSendQueueCount();
  }

  sendTo(buf: Uint8Array, host: string, port: number): void {
    if (this.closed) return;
    this.unicast.send(buf, port, host, this.onSent);
  }

  /** One IP multicast to the region, or with `unicast` a copy to each member but this node
   * (which delivers its own messages without the network). `release` is called with `buf`
   * once the socket is done with it (for reuse). */
  sendRegion(
    buf: Uint8Array,
    region: RegionView,
    unicast: boolean,
    release?: (buf: Uint8Array) => void,
  ): void {
    if (this.closed) return;
    const self = this.self.id;
    let copies = 1;
    if (unicast) {
      copies = 0;
      for (const m of region.members) if (m.id !== self) copies++;
    }
    let onSent = this.onSent;
    if (release) {
      if (copies === 0) return release(buf);
      onSent = (this.pendingPool.pop() ?? new PendingSend(this)).start(buf, copies, release);
    }
    if (unicast) {
      for (const m of region.members) if (m.id !== self) this.unicast.send(buf, m.port, m.host, onSent);
    } else {
      this.unicast.send(buf, region.multicast.port, region.multicast.address, onSent);
    }
  }

  /** Starts receiving a region's multicast traffic (no-op in fan-out mode). */
  async listen(m: MulticastAddress): Promise<void> {
    if (this.opts.fanout || this.groups.has(key(m)) || this.closed) return;
    const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    s.on('error', () => {});
    this.groups.set(key(m), s);
    await bind(s, m.port, m.address);
    s.addMembership(m.address, this.opts.iface);
    enlarge(s, this.opts.socketBufferBytes);
    s.on('message', this.onMulticast);
  }

  unlisten(m: MulticastAddress): void {
    const s = this.groups.get(key(m));
    if (!s) return;
    this.groups.delete(key(m));
    try {
      s.close();
    } catch {
      /* already closed */
    }
  }

  listening(): MulticastAddress[] {
    return [...this.groups.keys()].map((k) => {
      const i = k.lastIndexOf(':');
      return { address: k.slice(0, i), port: Number(k.slice(i + 1)) };
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.groups.values()) {
      try {
        s.close();
      } catch {
        /* already closed */
      }
    }
    this.groups.clear();
    try {
      this.unicast.close();
    } catch {
      /* already closed */
    }
  }
}

export function bind(s: dgram.Socket, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    s.once('error', onError);
    s.bind({ port, address, exclusive: false }, () => {
      s.off('error', onError);
      resolve();
    });
  });
}

/** Whether another member of `regions` runs on this host (an address of its own, or loopback). */
export function needsMulticastLoop(
  regions: readonly RegionView[],
  self: string,
  localAddresses: ReadonlySet<string>,
): boolean {
  return regions.some((r) =>
    r.members.some((m) => m.id !== self && (localAddresses.has(m.host) || m.host.startsWith('127.'))),
  );
}

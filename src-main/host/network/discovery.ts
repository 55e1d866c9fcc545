// DNS-SD over mDNS (RFC 6762/6763, bonjour-service) for the LAN's membership service
// (docs/network.md): browse for `_liveobjects-gms._tcp`, keep watching services appear and
// go, advertise the one this host serves, say goodbye when it stops. Everything is sent and
// received on the chosen interface only: mDNS is bound to that interface's address, never
// to every interface of the machine.
import { Bonjour } from 'bonjour-service';
import type { Browser, Service } from 'bonjour-service';
import type { EventEmitter } from 'node:events';
import { isLoopbackHost } from '../../engine/gms';
import { errorText } from '../../../src-shared/util/error-text';

/** The DNS-SD service type of a Live Objects membership service. */
export const SERVICE_TYPE = '_liveobjects-gms._tcp';
/** Its name as bonjour-service takes it (it adds the underscores and `_tcp`). */
const TYPE_NAME = 'liveobjects-gms';
/** The TXT record's version key; a service with another version is ignored. */
export const TXT_VERSION = '1';

export const MDNS_PORT = 5353;
const MDNS_GROUP = '224.0.0.251';

/** A membership service advertised on the LAN. Records outlive crashed hosts: probe first. */
export interface AdvertisedService {
  /** The workspace the service serves (TXT `ws`, its id). */
  readonly workspace?: string;
  /** The address the service listens on (TXT `addr`). */
  readonly host: string;
  readonly port: number;
  /** The engine node of the host that serves it (TXT `node`), when it says. */
  readonly node?: string;
  /** The DNS-SD instance name. */
  readonly name: string;
}

export interface DiscoveryOptions {
  /** The chosen interface's address: mDNS is joined, sent and received there only. */
  readonly address: string;
  /** The id of this host's workspace: only services advertised with it (TXT `ws`) are seen,
   * and this host's own is advertised with it. Two workspaces on one LAN never meet. */
  readonly workspace?: string;
  /** The mDNS port; default 5353. Tests and labs that must not meet other instances use a
   * private one (LIVEOBJECTS_MDNS_PORT). */
  readonly port?: number;
  /** How often the browser asks again (it also hears every announcement at once); 10 s. */
  readonly requeryMs?: number;
  readonly log?: (line: string) => void;
}

type Listener = (services: readonly AdvertisedService[]) => void;

function txtString(txt: unknown, key: string): string | undefined {
  if (typeof txt !== 'object' || txt === null) return undefined;
  const value = (txt as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return undefined;
}

/** The DNS-SD instance name of the service at `host:port` (unique per address and port). */
export function instanceName(host: string, port: number): string {
  return `liveobjects-gms-${host.replace(/[^0-9A-Za-z]/g, '-')}-${port}`;
}

export class Discovery {
  private readonly bonjour: Bonjour;
  private readonly browser: Browser;
  private readonly listeners = new Set<Listener>();
  private readonly requery: NodeJS.Timeout;
  private readonly log: (line: string) => void;
  private published: Service | undefined;
  private current: readonly AdvertisedService[] = [];
  private closed = false;

  constructor(private readonly options: DiscoveryOptions) {
    this.log = options.log ?? (() => undefined);
    // multicast-dns joins the group and sends on `interface` only; receiving multicast needs
    // a wildcard bind (a socket bound to a unicast address gets no multicast on Linux).
    this.bonjour = new Bonjour(
      {
        interface: options.address,
        bind: '0.0.0.0',
        port: options.port ?? MDNS_PORT,
        ip: MDNS_GROUP,
        reuseAddr: true,
        loopback: true,
        ttl: 255,
      } as ConstructorParameters<typeof Bonjour>[0],
      (error: unknown) => this.log(`dns-sd: ${errorText(error)}`),
    );
    const mdns = (this.bonjour as unknown as { server: { mdns: EventEmitter } }).server.mdns;
    mdns.on('error', (error: unknown) => this.log(`dns-sd: mDNS socket: ${errorText(error)}`));
    mdns.on('warning', (error: unknown) => this.log(`dns-sd: mDNS: ${errorText(error)}`));
    this.browser = this.bonjour.find({ type: TYPE_NAME, protocol: 'tcp' });
    const changed = (): void => this.changed();
    this.browser.on('up', changed);
    this.browser.on('down', changed);
    this.browser.on('txt-update', changed);
    this.browser.on('srv-update', changed);
    this.requery = setInterval(() => {
      this.browser.expire();
      this.browser.update();
    }, options.requeryMs ?? 10_000);
    this.requery.unref();
  }

  /** The services currently advertised (this host's own included). */
  get services(): readonly AdvertisedService[] {
    return this.current;
  }

  /** Called whenever the advertised services change; returns an unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Waits up to `windowMs` for the first answer, then `settleMs` more for others answering at
   * the same moment; resolves with what was seen (empty when nobody answered).
   */
  firstAnswer(windowMs: number, settleMs = 250): Promise<readonly AdvertisedService[]> {
    return new Promise((resolve) => {
      let settle: NodeJS.Timeout | undefined;
      const finish = (): void => {
        clearTimeout(window);
        clearTimeout(settle);
        unsubscribe();
        resolve(this.current);
      };
      const window = setTimeout(finish, windowMs);
      const check = (): void => {
        if (this.current.length > 0 && !settle) settle = setTimeout(finish, settleMs);
      };
      const unsubscribe = this.onChange(check);
      check();
    });
  }

  /** Asks the LAN again now (e.g. when the membership service was lost). */
  refresh(): void {
    if (this.closed) return;
    this.browser.expire();
    this.browser.update();
  }

  /** Advertises the membership service this host serves (one at a time). */
  advertise(service: { readonly host: string; readonly port: number; readonly node: string }): void {
    if (this.closed) return;
    if (this.published) void this.withdraw();
    this.published = this.bonjour.publish({
      name: instanceName(service.host, service.port),
      type: TYPE_NAME,
      protocol: 'tcp',
      port: service.port,
      txt: {
        v: TXT_VERSION,
        addr: service.host,
        node: service.node,
        ...(this.options.workspace !== undefined && { ws: this.options.workspace }),
      },
      // The name holds the address and port, so it cannot clash with another live service.
      probe: false,
      disableIPv6: true,
    });
    this.log(`dns-sd: advertising ${SERVICE_TYPE} at ${service.host}:${service.port}`);
  }

  /** Stops advertising, with a goodbye (TTL 0) so that browsers drop the record at once. */
  withdraw(): Promise<void> {
    const service = this.published;
    this.published = undefined;
    if (!service) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 1000);
      (service.stop as (callback: () => void) => void)(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    clearInterval(this.requery);
    await this.withdraw();
    this.closed = true;
    this.browser.stop();
    this.listeners.clear();
    await new Promise<void>((resolve) => this.bonjour.destroy(() => resolve()));
  }

  private changed(): void {
    const loopback = isLoopbackHost(this.options.address);
    const services: AdvertisedService[] = [];
    for (const s of this.browser.services) {
      const host = txtString(s.txt, 'addr');
      if (txtString(s.txt, 'v') !== TXT_VERSION || !host || !(s.port > 0)) continue;
      // Another workspace's service: its members hold another key, so it is none of ours.
      const workspace = txtString(s.txt, 'ws');
      if (workspace !== this.options.workspace) continue;
      // A loopback host takes loopback services only, and a LAN host only LAN ones (the socket
      // may hear another interface's mDNS when some other program joined the group there).
      if (isLoopbackHost(host) !== loopback) continue;
      const referer = s.referer?.address;
      if (referer !== undefined && isLoopbackHost(referer) !== loopback) continue;
      const node = txtString(s.txt, 'node');
      services.push({
        host,
        port: s.port,
        name: s.name,
        ...(node ? { node } : {}),
        ...(workspace !== undefined && { workspace }),
      });
    }
    this.current = services;
    for (const listener of [...this.listeners]) listener(services);
  }
}

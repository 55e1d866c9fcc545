// A lab of simulated machines for multi-machine tests and benchmarks: one Linux network
// namespace per machine, each joined to one bridge by a veth pair (`eth0` inside, the bridge
// port outside), IPv4 addresses in a /24 of 10.213.0.0/16 that the lab owns. The bridge does not
// snoop IGMP (`mcast_snooping 0`), so it floods multicast like a simple switch, and a machine's
// multicast can be blocked at its port (`mcast_flood off`) while unicast still passes: a switch or
// access point that drops multicast towards one desk. No iptables, nft or tc.
//
// Everything a lab creates carries its id in its name (namespaces `lobj-ID-NAME`, links
// `lobj-ID-…`) and the owner's pid in the links' alias, so that a lab is removed on dispose, at
// process exit and on SIGINT/SIGTERM, and the leftovers of an owner that was SIGKILLed are swept
// by the next lab created on the machine. LIVEOBJECTS_NETLAB_KEEP=1 keeps labs for debugging.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { ManagedProcess, runCommand } from './processes';
import type { CommandResult, SpawnOptions } from './processes';

const execFileAsync = promisify(execFile);

/** Every lab's names start with this; ids are 4 hex digits, so links stay within 15 bytes. */
const PREFIX = 'lobj-';
/** The labs' /24s are 10.213.K.0/24, K chosen per lab. */
const NETWORK = '10.213';
/** What the lab writes into the alias of each link it creates in the root namespace. */
const ALIAS_TAG = 'liveobjects-netlab';
/** The interface name inside each machine. */
export const MACHINE_IFACE = 'eth0';
const KEEP_ENV = 'LIVEOBJECTS_NETLAB_KEEP';
/** A lab's namespace: its id is the capture. */
const LAB_NAMESPACE = /^lobj-([0-9a-f]{4})-/;

export interface LabOptions {
  /** The machines: their names (letters, digits, dashes; up to 12 characters) or how many
   * (named m1, m2, …). */
  readonly machines: number | readonly string[];
  /** MTU of every link (default 1500, Ethernet's). */
  readonly mtu?: number;
}

interface LabAlias {
  readonly id: string;
  readonly pid: number;
  readonly octet: number;
  readonly keep: boolean;
}

function aliasText(a: LabAlias): string {
  return `${ALIAS_TAG} id=${a.id} pid=${a.pid} subnet=${NETWORK}.${a.octet}.0/24 keep=${a.keep ? 1 : 0}`;
}

function parseAlias(text: string | undefined): LabAlias | undefined {
  const m = /^liveobjects-netlab id=([0-9a-f]{4}) pid=(\d+) subnet=10\.213\.(\d+)\.0\/24 keep=([01])$/.exec(
    text ?? '',
  );
  if (!m) return undefined;
  return { id: m[1] as string, pid: Number(m[2]), octet: Number(m[3]), keep: m[4] === '1' };
}

async function ip(args: readonly string[]): Promise<string> {
  try {
    return (await execFileAsync('ip', args, { encoding: 'utf8' })).stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`netlab: \`ip ${args.join(' ')}\` failed: ${(e.stderr ?? '').trim() || e.message}`);
  }
}

/** Runs `ip [-n NS] -batch -` over `lines`; `force` goes on past failing lines. */
function ipBatch(lines: readonly string[], options: { netns?: string; force?: boolean } = {}): Promise<void> {
  const args = [
    ...(options.netns ? ['-n', options.netns] : []),
    ...(options.force ? ['-force'] : []),
    '-batch',
    '-',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ip', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0 || options.force) resolve();
      else reject(new Error(`netlab: \`ip ${args.join(' ')}\` failed (code ${code}): ${stderr.trim()}`));
    });
    child.stdin.end(lines.join('\n') + '\n');
  });
}

/** The same, synchronously: at process exit nothing asynchronous runs any more. */
function ipBatchSync(lines: readonly string[]): void {
  spawnSync('ip', ['-force', '-batch', '-'], {
    input: lines.join('\n') + '\n',
    stdio: ['pipe', 'ignore', 'ignore'],
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LinkInfo {
  readonly ifname: string;
  readonly ifalias?: string;
}

async function labLinks(): Promise<Array<LinkInfo & { lab: LabAlias }>> {
  const links = JSON.parse(await ip(['-j', 'link', 'show'])) as LinkInfo[];
  return links.flatMap((l) => {
    const lab = parseAlias(l.ifalias);
    return lab ? [{ ...l, lab }] : [];
  });
}

async function namespaces(): Promise<string[]> {
  const text = await ip(['netns', 'list']);
  return text
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.startsWith(PREFIX));
}

/**
 * Removes what labs of owners that are gone left behind (an owner that was SIGKILLed cannot
 * clean up): namespaces and links of labs whose owner is dead and that were not kept, and
 * namespaces of labs that have no bridge any more. Returns the names it removed.
 */
export async function sweepStaleLabs(): Promise<string[]> {
  // A lab creates its bridge (with its alias) before its namespaces and removes it after them,
  // so a namespace of a lab with no live bridge is a leftover, provided the namespaces are
  // listed before the links: listed the other way round, a lab another process creates in
  // between would have namespaces and no bridge yet, and would lose them.
  const listed = await namespaces();
  const links = await labLinks();
  const live = new Set(links.filter((l) => l.lab.keep || isAlive(l.lab.pid)).map((l) => l.lab.id));
  const staleLinks = links.filter((l) => !live.has(l.lab.id)).map((l) => l.ifname);
  const staleNamespaces = listed.filter((ns) => {
    const id = LAB_NAMESPACE.exec(ns)?.[1];
    return id !== undefined && !live.has(id);
  });
  const lines = [
    ...staleNamespaces.map((ns) => `netns del ${ns}`),
    ...staleLinks.map((l) => `link del ${l}`),
  ];
  if (lines.length > 0) await ipBatch(lines, { force: true });
  return [...staleNamespaces, ...staleLinks];
}

let support: Promise<string | undefined> | undefined;

/**
 * Why network namespaces cannot be made here (not root, no `ip`/`bridge`, no permission in this
 * container), or undefined when they can. Tests skip with this reason. Probed once per process,
 * by creating and removing a namespace and a bridge.
 */
export function whyNoNamespaces(): Promise<string | undefined> {
  support ??= probeSupport();
  return support;
}

async function probeSupport(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  const uid = process.getuid?.();
  if (uid !== 0) return `network namespaces need root (running as uid ${String(uid)})`;
  for (const tool of ['ip', 'bridge']) {
    const r = await runCommand(tool, ['-V']).catch(() => undefined);
    if (!r || r.code !== 0) return `\`${tool}\` is missing: install iproute2 (apt-get install iproute2)`;
  }
  const probe = `${PREFIX}probe${process.pid}`.slice(0, 15);
  try {
    await ip(['netns', 'add', probe]);
    await ip(['netns', 'del', probe]);
    await ip(['link', 'add', probe, 'type', 'bridge', 'mcast_snooping', '0']);
    await ip(['link', 'del', probe]);
    return undefined;
  } catch (error) {
    await ipBatch([`netns del ${probe}`, `link del ${probe}`], { force: true });
    return `cannot create network namespaces and bridges here: ${(error as Error).message}`;
  }
}

/** Labs of this process not disposed yet: removed at exit. */
const open = new Set<NetLab>();
let hooksInstalled = false;

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.once('exit', () => {
    for (const lab of open) lab.removeNow();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const onSignal = (): void => {
      // Someone else handles the signal (a bench runner, a test runner): it exits or disposes
      // in its own time, and the exit hook does the rest.
      if (process.listenerCount(signal) > 1) return;
      for (const lab of open) lab.removeNow();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

const MACHINE_NAME = /^[a-z0-9][a-z0-9-]{0,11}$/;

function machineNames(machines: LabOptions['machines']): string[] {
  const names =
    typeof machines === 'number' ? Array.from({ length: machines }, (_, i) => `m${i + 1}`) : [...machines];
  if (names.length === 0 || names.length > 200) {
    throw new Error(`netlab: a lab has 1 to 200 machines (asked for ${names.length})`);
  }
  for (const name of names) {
    if (!MACHINE_NAME.test(name)) {
      throw new Error(
        `netlab: machine name '${name}' is not usable: lower-case letters, digits and dashes, ` +
          'at most 12 characters, starting with a letter or digit',
      );
    }
  }
  if (new Set(names).size !== names.length)
    throw new Error(`netlab: machine names repeat: ${names.join(', ')}`);
  return names;
}

/** One simulated machine: a namespace with loopback and `eth0` on the lab's bridge. */
export class Machine {
  /** Its network namespace. */
  readonly namespace: string;
  /** Its IPv4 address on `eth0`. */
  readonly address: string;
  /** The interface inside the machine. */
  readonly iface = MACHINE_IFACE;
  /** Its port on the bridge, in the root namespace (where multicast is blocked). */
  readonly port: string;
  /** The command prefix that runs a program on this machine (ManagedProcess's `via`). */
  readonly via: readonly string[];

  constructor(
    private readonly lab: NetLab,
    readonly name: string,
    readonly index: number,
  ) {
    this.namespace = `${lab.prefix}${name}`;
    this.address = `${lab.network}.${index + 1}`;
    this.port = `${lab.prefix}v${index + 1}`;
    this.via = ['ip', 'netns', 'exec', this.namespace];
  }

  /**
   * Its MAC address, fixed (locally administered, 02:0a:d5 = 10.213, then the lab's octet and
   * the machine's number): a machine plugged back keeps it, so its peers' ARP caches stay right.
   */
  get mac(): string {
    const hex = (n: number): string => n.toString(16).padStart(2, '0');
    const octet = Number(this.address.split('.')[2]);
    return `02:0a:d5:${hex(octet)}:${hex((this.index + 1) >> 8)}:${hex((this.index + 1) & 0xff)}`;
  }

  /** Starts `command args` on this machine (a ManagedProcess the lab stops on dispose). */
  spawn(label: string, command: string, args: readonly string[], options: SpawnOptions = {}): ManagedProcess {
    return this.lab.track(new ManagedProcess(label, command, args, { ...options, via: this.via }));
  }

  /** Runs `command args` on this machine to its end. */
  run(
    command: string,
    args: readonly string[],
    options: SpawnOptions & { timeoutMs?: number } = {},
  ): Promise<CommandResult> {
    return runCommand(command, args, { ...options, via: this.via });
  }

  toString(): string {
    return `${this.name} (${this.address}, namespace ${this.namespace})`;
  }
}

/** A bridge and the machines on it. */
export class NetLab {
  /** `lobj-ID-`: the start of every name this lab creates. */
  readonly prefix: string;
  readonly bridge: string;
  /** The lab's /24 without its last octet, e.g. 10.213.17. */
  readonly network: string;
  readonly machines: readonly Machine[];
  private readonly processes = new Set<ManagedProcess>();
  private readonly keep = process.env[KEEP_ENV] === '1';
  /** The alias of every link it creates: how sweepStaleLabs knows its owner. */
  private readonly alias: string;
  private removed = false;

  private constructor(
    readonly id: string,
    octet: number,
    names: readonly string[],
    readonly mtu: number,
  ) {
    this.prefix = `${PREFIX}${id}-`;
    this.bridge = `${this.prefix}br`;
    this.network = `${NETWORK}.${octet}`;
    this.alias = aliasText({ id, pid: process.pid, octet, keep: this.keep });
    this.machines = names.map((name, i) => new Machine(this, name, i));
  }

  /** The lab's subnet, CIDR. */
  get subnet(): string {
    return `${this.network}.0/24`;
  }

  /**
   * Creates the bridge and the machines. Throws with the reason when namespaces cannot be made
   * (see whyNoNamespaces), after sweeping what dead owners left behind.
   */
  static async create(options: LabOptions): Promise<NetLab> {
    const names = machineNames(options.machines);
    const why = await whyNoNamespaces();
    if (why !== undefined) throw new Error(`netlab: ${why}`);
    await sweepStaleLabs();
    const links = await labLinks();
    const usedIds = new Set(links.map((l) => l.lab.id));
    const usedOctets = new Set(links.map((l) => l.lab.octet));
    let id: string;
    do id = randomBytes(2).toString('hex');
    while (usedIds.has(id));
    const free = Array.from({ length: 254 }, (_, i) => i + 1).filter((o) => !usedOctets.has(o));
    const octet = free[Math.floor(Math.random() * free.length)];
    if (octet === undefined) throw new Error(`netlab: every /24 of ${NETWORK}.0.0/16 is taken by a lab`);
    const lab = new NetLab(id, octet, names, options.mtu ?? 1500);
    open.add(lab);
    installExitHooks();
    try {
      await ipBatch([
        `link add ${lab.bridge} mtu ${lab.mtu} type bridge mcast_snooping 0`,
        `link set dev ${lab.bridge} alias "${lab.alias}"`,
        `link set dev ${lab.bridge} up`,
        ...lab.machines.map((m) => `netns add ${m.namespace}`),
      ]);
      await Promise.all(lab.machines.map((m) => lab.plug(m)));
    } catch (error) {
      await lab.dispose();
      throw error;
    }
    return lab;
  }

  machine(name: string): Machine {
    const found = this.machines.find((m) => m.name === name);
    if (!found)
      throw new Error(
        `netlab: no machine '${name}' (machines: ${this.machines.map((m) => m.name).join(', ')})`,
      );
    return found;
  }

  /**
   * Connects a machine to the bridge: a veth pair, `eth0` inside with its address, loopback up
   * and a default route on `eth0` (as a LAN's machine has: programs that send multicast without
   * naming an interface need a route for it). Done by create; again after `unplug`.
   */
  async plug(machine: Machine): Promise<void> {
    await ipBatch([
      `link add ${machine.port} mtu ${this.mtu} type veth peer name ${MACHINE_IFACE} ` +
        `address ${machine.mac} mtu ${this.mtu} netns ${machine.namespace}`,
      `link set dev ${machine.port} alias "${this.alias}"`,
      `link set dev ${machine.port} master ${this.bridge}`,
      `link set dev ${machine.port} up`,
    ]);
    await ipBatch(
      [
        'link set dev lo up',
        `addr add ${machine.address}/24 dev ${MACHINE_IFACE}`,
        `link set dev ${MACHINE_IFACE} up`,
        `route add default dev ${MACHINE_IFACE}`,
      ],
      { netns: machine.namespace },
    );
  }

  /** Pulls the machine's cable: its link is removed (`eth0` disappears inside it). */
  async unplug(machine: Machine): Promise<void> {
    await ip(['link', 'del', machine.port]);
  }

  /**
   * Multicast stops reaching the machine (the bridge no longer floods it out of its port);
   * unicast still passes, and its own multicast still reaches the others.
   */
  async blockMulticast(machine: Machine): Promise<void> {
    await this.setMulticastFlood(machine, false);
  }

  async unblockMulticast(machine: Machine): Promise<void> {
    await this.setMulticastFlood(machine, true);
  }

  private async setMulticastFlood(machine: Machine, on: boolean): Promise<void> {
    const r = await runCommand('bridge', [
      'link',
      'set',
      'dev',
      machine.port,
      'mcast_flood',
      on ? 'on' : 'off',
    ]);
    if (r.code !== 0)
      throw new Error(`netlab: bridge link set dev ${machine.port} mcast_flood failed: ${r.stderr}`);
  }

  /** Whether multicast is flooded to the machine's port (false once blocked). */
  async multicastFlood(machine: Machine): Promise<boolean> {
    const out = await runCommand('bridge', ['-j', '-d', 'link', 'show', 'dev', machine.port]);
    const [info] = JSON.parse(out.stdout) as Array<{ mcast_flood?: boolean }>;
    return info?.mcast_flood !== false;
  }

  /** @internal Machine.spawn's processes, stopped on dispose. */
  track(proc: ManagedProcess): ManagedProcess {
    this.processes.add(proc);
    void proc.exited.then(() => this.processes.delete(proc));
    return proc;
  }

  /** What the lab is, for logs: one line per machine. */
  describe(): string {
    const lines = this.machines.map(
      (m) => `  ${m.name}: ${m.address} on ${m.iface}, namespace ${m.namespace}, bridge port ${m.port}`,
    );
    return `lab ${this.id}: bridge ${this.bridge}, ${this.subnet}, MTU ${this.mtu}\n${lines.join('\n')}`;
  }

  /**
   * Stops the processes still running on its machines, then removes the namespaces, links and
   * bridge (with LIVEOBJECTS_NETLAB_KEEP=1 it leaves them and says how to remove them).
   */
  async dispose(graceMs = 5_000): Promise<void> {
    await Promise.all([...this.processes].map((p) => p.stop(graceMs)));
    if (this.removed) return;
    this.removed = true;
    open.delete(this);
    if (this.keep) {
      const commands = this.removal().map((line) => `  ip ${line}`);
      console.log(`netlab: kept (${KEEP_ENV}=1) ${this.describe()}\nremove it with:\n${commands.join('\n')}`);
      return;
    }
    await ipBatch(this.removal(), { force: true });
  }

  /** @internal At process exit: removes everything at once, synchronously. */
  removeNow(): void {
    if (this.removed) return;
    this.removed = true;
    open.delete(this);
    for (const p of this.processes) p.signal('SIGKILL');
    if (!this.keep) ipBatchSync(this.removal());
  }

  /** Namespaces first (their processes keep them alive; the links go now), the bridge last. */
  private removal(): string[] {
    return [
      ...this.machines.map((m) => `netns del ${m.namespace}`),
      ...this.machines.map((m) => `link del ${m.port}`),
      `link del ${this.bridge}`,
    ];
  }
}

// A real `nats-server -js` for tests: on a free loopback port with a store directory of its own,
// stopped and started again on the same port and store (reconnection, history kept across a
// restart), and a three-server JetStream cluster. The binary is the Debian `nats-server`.
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ManagedProcess } from './processes';
import { freeTcpPort, waitForPort } from './ports';

export const NATS_INSTALL_HINT =
  'nats-server not found (looked in PATH, /usr/sbin, /usr/local/bin); install it with ' +
  '`apt-get install nats-server` (Debian/Ubuntu) or pass --nats-server PATH';

/** The nats-server binary: `explicit` if given, else the first on PATH or in the usual places. */
export function findNatsServer(explicit?: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/bin', '/usr/bin'];
  const candidates = explicit ? [explicit] : dirs.filter(Boolean).map((d) => path.join(d, 'nats-server'));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // not there
    }
  }
  return null;
}

/** Why NATS tests cannot run here (for `describe.skipIf`), or undefined when they can. */
export function whyNoNatsServer(): string | undefined {
  return findNatsServer() ? undefined : NATS_INSTALL_HINT;
}

interface ClusterRole {
  readonly name: string;
  readonly clusterPort: number;
  readonly routes: readonly number[];
}

/** One `nats-server -js` process on loopback; stop() and start() keep its port and store. */
export class NatsServer {
  readonly url: string;
  private process: ManagedProcess | undefined;

  private constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly binary: string,
    private readonly cluster: ClusterRole | undefined,
    private readonly ownsStore: boolean,
    private readonly extraArgs: readonly string[],
  ) {
    this.url = `nats://127.0.0.1:${port}`;
  }

  /**
   * Starts a server on a free port with a fresh store directory (removed by dispose());
   * `args` are added to its command line (e.g. `--user`, `--pass`).
   */
  static async start(
    options: { cluster?: ClusterRole; storeDir?: string; args?: readonly string[] } = {},
  ): Promise<NatsServer> {
    const binary = findNatsServer();
    if (!binary) throw new Error(NATS_INSTALL_HINT);
    const port = await freeTcpPort();
    const storeDir = options.storeDir ?? mkdtempSync(path.join(tmpdir(), 'lo-nats-'));
    const server = new NatsServer(
      port,
      storeDir,
      binary,
      options.cluster,
      options.storeDir === undefined,
      options.args ?? [],
    );
    await server.restart();
    return server;
  }

  get running(): boolean {
    return this.process !== undefined && !this.process.hasExited;
  }

  /** Starts the server again (same port, same store); a no-op while it runs. */
  async restart(): Promise<void> {
    if (this.running) return;
    const args = ['-js', '-sd', this.storeDir, '-a', '127.0.0.1', '-p', String(this.port), ...this.extraArgs];
    const c = this.cluster;
    if (c) {
      args.push(
        '--server_name',
        c.name,
        '--cluster_name',
        'lo-test',
        '--cluster',
        `nats://127.0.0.1:${c.clusterPort}`,
        '--routes',
        c.routes.map((p) => `nats://127.0.0.1:${p}`).join(','),
      );
    }
    const proc = new ManagedProcess(`nats-server:${this.port}`, this.binary, args);
    this.process = proc;
    await waitForPort(proc, this.port);
  }

  /** Stops the server gracefully (SIGTERM); its store stays for restart(). */
  async stop(): Promise<void> {
    await this.process?.stop(5_000);
  }

  /** Kills the server (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    await this.process?.kill();
  }

  diagnostics(): string {
    return this.process?.diagnostics() ?? `nats-server:${this.port} was never started`;
  }

  /** Stops the server and removes the store directory it made. */
  async dispose(): Promise<void> {
    await this.stop();
    if (this.ownsStore) rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** Three JetStream servers routed to one another on loopback. */
export class NatsCluster {
  private constructor(readonly servers: readonly NatsServer[]) {}

  static async start(size = 3): Promise<NatsCluster> {
    const clusterPorts = await Promise.all(Array.from({ length: size }, () => freeTcpPort()));
    const servers = await Promise.all(
      clusterPorts.map((clusterPort, i) =>
        NatsServer.start({
          cluster: { name: `n${i + 1}`, clusterPort, routes: clusterPorts.filter((p) => p !== clusterPort) },
        }),
      ),
    );
    return new NatsCluster(servers);
  }

  /** The client URLs, comma-separated (the `servers` parameter of nats.platform). */
  get urls(): string {
    return this.servers.map((s) => s.url).join(',');
  }

  async dispose(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.dispose()));
  }
}

// `liveobjects gms`: runs a standalone membership service until SIGTERM or SIGINT.
import { GmsServer } from '../../engine/gms';
import type { GmsServerOptions } from '../../engine/gms';
import type { Command } from '../main';

const usage = `Usage: liveobjects gms --listen HOST:PORT [options]

Runs the QSM global membership service (GMS).

Options:
  --listen HOST:PORT      address to listen on (PORT 0 picks a free port; it is logged)
  --heartbeat-ms N        how often the GMS heartbeats nodes (default 500)
  --suspect-ms N          remove a node silent for this long (default 5000)
  --batch-ms N            collect changes this long before installing an epoch (default 100)
  --multicast CIDR        IPv4 multicast block for regions (default 239.255.0.0/16)
  --ports MIN-MAX         multicast port range for regions (default 20000-29999)`;

class UsageError extends Error {}

function parseListen(text: string): { host: string; port: number } {
  // [v6]:port or host:port
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new UsageError(`--listen expects HOST:PORT, got '${text}'`);
  }
  return { host: match[1], port };
}

function parsePositive(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !(value > 0))
    throw new UsageError(`${name} expects a positive integer, got '${text}'`);
  return value;
}

export function parseGmsArgs(args: readonly string[]): GmsServerOptions {
  const values = new Map<string, string>();
  const known = ['--listen', '--heartbeat-ms', '--suspect-ms', '--batch-ms', '--multicast', '--ports'];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(name)) throw new UsageError(`unknown option '${arg}'`);
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`);
    values.set(name, value);
  }
  const listen = values.get('--listen');
  if (listen === undefined) throw new UsageError('--listen is required');
  const options: { -readonly [K in keyof GmsServerOptions]: GmsServerOptions[K] } = parseListen(listen);
  const heartbeat = values.get('--heartbeat-ms');
  const suspect = values.get('--suspect-ms');
  const batch = values.get('--batch-ms');
  if (heartbeat !== undefined) options.heartbeatMs = parsePositive('--heartbeat-ms', heartbeat);
  if (suspect !== undefined) options.suspectMs = parsePositive('--suspect-ms', suspect);
  if (batch !== undefined) options.batchMs = parsePositive('--batch-ms', batch);
  const cidr = values.get('--multicast');
  const ports = values.get('--ports');
  if (cidr !== undefined || ports !== undefined) {
    const range = /^(\d+)-(\d+)$/.exec(ports ?? '20000-29999');
    if (!range) throw new UsageError(`--ports expects MIN-MAX, got '${ports ?? ''}'`);
    options.multicast = {
      cidr: cidr ?? '239.255.0.0/16',
      portMin: Number(range[1]),
      portMax: Number(range[2]),
    };
  }
  return options;
}

export const command: Command = {
  summary: 'run the group membership service (GMS) for QSM nodes',
  usage,
  async run(args) {
    let server: GmsServer;
    try {
      server = new GmsServer({ ...parseGmsArgs(args), log: (line) => console.error(line) });
    } catch (error) {
      console.error(`liveobjects gms: ${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    server.onEpoch((e) => {
      const changes = [
        e.changedGroups.length && `groups changed: ${e.changedGroups.join(' ')}`,
        e.removedGroups.length && `groups removed: ${e.removedGroups.join(' ')}`,
        e.changedRegions.length && `regions changed: ${e.changedRegions.join(' ')}`,
        e.removedRegions.length && `regions removed: ${e.removedRegions.join(' ')}`,
      ].filter(Boolean);
      console.error(
        `gms: epoch ${e.epoch} installed: ${e.nodes} nodes, ${e.groups} groups, ${e.regions} regions` +
          (changes.length ? `; ${changes.join('; ')}` : ''),
      );
    });
    // Handlers before the "listening" line: whoever reads it may signal at once, and an
    // unhandled SIGTERM would kill the process without a clean shutdown.
    const signal = new Promise<NodeJS.Signals>((resolve) => {
      const stop = (name: NodeJS.Signals): void => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve(name);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
    try {
      const { host, port } = await server.start();
      console.error(`gms: listening on ${host.includes(':') ? `[${host}]` : host}:${port}`);
    } catch (error) {
      console.error(`liveobjects gms: cannot listen: ${(error as Error).message}`);
      return 1;
    }
    console.error(`gms: ${await signal}; shutting down`);
    await server.close();
    return 0;
  },
};

// `liveobjects gms`: runs a standalone membership service until SIGTERM or SIGINT.
import { defaultMulticastRange, GmsServer, gmsDefaults, parseMulticastRange } from '../../engine/gms';
import type { GmsServerOptions, MulticastRange } from '../../engine/gms';
import { defineCommand } from '../command';
import { defineOptions, UsageError } from '../../args/options';
import { hostPort, positiveInteger, ValueError } from '../../args/converters';
import type { Parsed } from '../../args/options';
import { waitForSignal } from '../signals';
import { readWorkspaceOption, workspaceOption } from '../workspace-option';

/** `MIN-MAX`; parseMulticastRange checks the numbers. */
function portRange(text: string): { portMin: number; portMax: number } {
  const match = /^(\d+)-(\d+)$/.exec(text);
  if (!match) throw new ValueError('MIN-MAX');
  return { portMin: Number(match[1]), portMax: Number(match[2]) };
}

const options = defineOptions({
  listen: {
    type: 'string',
    placeholder: 'HOST:PORT',
    parse: hostPort,
    required: true,
    description: 'address to listen on; PORT 0 picks a free port, which is logged',
  },
  'heartbeat-ms': {
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    defaultText: String(gmsDefaults.heartbeatMs),
    description: 'how often the GMS heartbeats nodes',
  },
  'suspect-ms': {
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    defaultText: String(gmsDefaults.suspectMs),
    description: 'remove a node silent for this long',
  },
  'batch-ms': {
    type: 'string',
    placeholder: 'N',
    parse: positiveInteger,
    defaultText: String(gmsDefaults.batchMs),
    description: 'collect changes this long before installing an epoch',
  },
  multicast: {
    type: 'string',
    placeholder: 'CIDR',
    default: defaultMulticastRange.cidr,
    description: 'IPv4 multicast block for regions',
  },
  ports: {
    type: 'string',
    placeholder: 'MIN-MAX',
    parse: portRange,
    default: `${defaultMulticastRange.portMin}-${defaultMulticastRange.portMax}`,
    description: 'multicast port range for regions',
  },
  ...workspaceOption,
});

function readGmsArgs({ values: v }: Parsed<typeof options>, cwd: string): GmsServerOptions {
  const multicast: MulticastRange = { cidr: v.multicast, ...v.ports };
  try {
    parseMulticastRange(multicast);
  } catch (error) {
    throw new UsageError(`--multicast/--ports: ${(error as Error).message}`);
  }
  const packetKey = readWorkspaceOption(v.workspace, cwd, [{ option: '--listen', host: v.listen.host }]);
  return {
    ...v.listen,
    ...(packetKey && { packetKey }),
    ...(v['heartbeat-ms'] !== undefined && { heartbeatMs: v['heartbeat-ms'] }),
    ...(v['suspect-ms'] !== undefined && { suspectMs: v['suspect-ms'] }),
    ...(v['batch-ms'] !== undefined && { batchMs: v['batch-ms'] }),
    multicast,
  };
}

export const command = defineCommand({
  name: 'gms',
  summary: 'run the group membership service (GMS) for QSM nodes',
  synopsis: '--listen HOST:PORT [options]',
  about:
    'Runs the QSM global membership service (GMS) until SIGTERM or SIGINT. With --workspace it ' +
    "serves that workspace's hosts and nodes only (their frames are authenticated under its key).",
  options,
  read: readGmsArgs,
  async run(args) {
    const server = new GmsServer({ ...args, log: (line) => console.error(line) });
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
    // Before the "listening" line (see waitForSignal).
    const signal = waitForSignal();
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
});

/** argv → the GMS server's options, or UsageError. */
export const parseGmsArgs = (argv: readonly string[], cwd?: string): GmsServerOptions =>
  command.parse(argv, cwd);

// `liveobjects doctor`: what this machine sees of the network, with the host's own logic (how
// it finds the membership service, which interface it uses), a short visit to the hosts group
// to see the peers and whether their traffic arrives, and the problems it can name with what
// to do (docs/doctor.md). Exit 0 when healthy, 1 when a problem is named, 2 on usage errors.
import { hostname } from 'node:os';
import { NetworkStatus } from '../../../src-shared/bridge/network';
import { errorText } from '../../../src-shared/util/error-text';
import { defineOptions } from '../../args/options';
import type { Parsed } from '../../args/options';
import { number } from '../../args/converters';
import { hostOptions, readHostArgs } from '../../shell/common/host-options';
import type { HostArgs } from '../../shell/common/host-options';
import { defineCommand } from '../command';
import { networkReport } from '../network-report';

const DEFAULT_TIMEOUT_S = 6;

const options = defineOptions({
  platform: {
    ...hostOptions.platform,
    defaultText: 'the one a host would use (registry.json), else the LAN',
    description:
      'check the connection to the NATS servers at these nats:// (or tls://) URLs instead of the LAN',
  },
  bridge: {
    ...hostOptions.bridge,
    description:
      'NATS servers a host would bridge to: shown as asked for (not yet: the bridge itself is future work)',
  },
  gms: {
    ...hostOptions.gms,
    defaultText: 'the one a host would use',
    description: 'membership service to check',
  },
  interface: { ...hostOptions.interface, defaultText: 'the one a host would choose' },
  home: hostOptions.home,
  json: { type: 'boolean', description: 'print the status as JSON (the connection area’s NetworkStatus)' },
  timeout: {
    type: 'string',
    placeholder: 'SEC',
    parse: number({ min: 1, max: 600, expected: 'a number of seconds from 1 to 600' }),
    default: String(DEFAULT_TIMEOUT_S),
    description: 'how long the whole check takes',
  },
});

export interface DoctorArgs extends Pick<HostArgs, 'platform' | 'bridge' | 'gms' | 'home' | 'interface'> {
  readonly json: boolean;
  readonly timeoutMs: number;
}

function readDoctorArgs({ values }: Parsed<typeof options>, cwd: string): DoctorArgs {
  return {
    ...readHostArgs({ ...values, name: undefined, 'allow-library': [], 'trust-libraries': false }, cwd),
    json: values.json,
    timeoutMs: values.timeout * 1000,
  };
}

/** Runs the check; the status and the exit code (0 healthy, 1 a problem named). */
export async function runDoctor(
  args: DoctorArgs,
  progress: (line: string) => void,
): Promise<{ status: NetworkStatus; code: number }> {
  // Loaded here: `liveobjects help` must not load the engine.
  const { probeNetwork } = await import('../../host/network/probe');
  const status = await probeNetwork({
    ...(args.platform && { platform: args.platform }),
    ...(args.bridge && { bridge: args.bridge }),
    ...(args.gms !== undefined && { gms: args.gms }),
    ...(args.home !== undefined && { home: args.home }),
    ...(args.interface !== undefined && { interface: args.interface }),
    timeoutMs: args.timeoutMs,
    name: `liveobjects doctor on ${hostname()}`,
    progress,
  });
  return { status, code: status.problems.length > 0 ? 1 : 0 };
}

export const command = defineCommand({
  name: 'doctor',
  summary: 'check what this machine sees of the network and name what is wrong',
  synopsis: '[--platform URL[,URL…]] [--gms HOST:PORT] [--interface NAME|ADDRESS] [--json] [--timeout SEC]',
  about:
    'Finds the membership service and chooses the interface as the app would, registers with ' +
    'the service for a few seconds to see the other hosts and whether their traffic arrives, ' +
    'and prints the interface, the membership service, the transport, the peers and the ' +
    'problems it can name, with the likely cause and what to do. On a NATS platform (--platform ' +
    'or registry.json) it connects to the NATS servers instead and reports that connection. ' +
    'Progress goes to stderr. ' +
    'Exit status 0 when healthy, 1 when a problem is named, 2 on usage errors.',
  options,
  notes: 'docs/doctor.md explains each problem.',
  read: readDoctorArgs,
  async run(args) {
    const progress = (line: string): void => console.error(`doctor: ${line}`);
    let result: { status: NetworkStatus; code: number };
    try {
      result = await runDoctor(args, progress);
    } catch (error) {
      // What no host could start with either: an interface that does not exist, loopback
      // towards a membership service on another machine.
      console.error(`liveobjects doctor: cannot check the network: ${errorText(error)}`);
      return exitSoon(1);
    }
    console.log(
      args.json ? JSON.stringify(NetworkStatus.parse(result.status), null, 2) : networkReport(result.status),
    );
    return exitSoon(result.code);
  },
});

/** A probe that gave up on something slow (a membership service that accepts but never
 * answers) may leave a socket behind; the command must end anyway, soon after its answer. */
function exitSoon(code: number): number {
  setTimeout(() => process.exit(code), 1000).unref();
  return code;
}

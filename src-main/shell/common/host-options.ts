// The options both shells take for the host they start (`liveobjects serve`, the Electron app):
// one table, so `npm start -- --home /tmp/bob --name Bob` means the same in either.
import { resolve } from 'node:path';
import { UsageError, defineOptions } from '../../args/options';
import { checkLibraryUrl } from '../../objects/libraries/url-policy';
import { ValueError, hostPort } from '../../args/converters';
import type { OptionValues } from '../../args/options';
import type { Converter, HostPort } from '../../args/converters';
import { NatsServersError, parseNatsServers } from '../../../src-shared/platform/nats-servers';

/** A comma-separated list of nats:// or tls:// URLs (host/platforms.ts). */
const natsServers: Converter<string[]> = (value) => {
  try {
    return parseNatsServers(value);
  } catch (e) {
    if (e instanceof NatsServersError) throw new ValueError(e.message);
    throw e;
  }
};

export const hostOptions = defineOptions({
  platform: {
    type: 'string',
    placeholder: 'URL[,URL…]',
    parse: natsServers,
    defaultText: 'the LAN (QuickSilver), unless registry.json names a NATS platform',
    description:
      'run objects over the NATS servers at these nats:// (or tls://) URLs instead of the LAN: ' +
      "the registry's QuickSilver platform becomes NATS for this run; no LAN discovery or membership service",
  },
  bridge: {
    type: 'string',
    placeholder: 'URL[,URL…]',
    parse: natsServers,
    description:
      "NATS servers to bridge this LAN's objects to (nats:// or tls:// URLs); recorded and shown, " +
      'but not yet: the bridge itself is future work, so objects stay on the LAN',
  },
  gms: {
    type: 'string',
    placeholder: 'HOST:PORT',
    parse: hostPort,
    defaultText: 'the configured one, else found on the LAN (DNS-SD), else served here',
    description: 'membership service',
  },
  interface: {
    type: 'string',
    placeholder: 'NAME|ADDRESS',
    defaultText: 'the configured one, else the one on the route to the membership service',
    description: 'network interface (e.g. eth0 or 192.168.1.20)',
  },
  home: {
    type: 'string',
    placeholder: 'DIR',
    defaultText: "the host's default",
    description: "directory holding this node's state",
  },
  name: {
    type: 'string',
    placeholder: 'USER',
    defaultText: 'the OS user name',
    description: 'your name as others see it',
  },
  'allow-library': {
    type: 'string',
    multiple: true,
    placeholder: 'URL',
    description:
      "run code from this library URL without asking (the reference's SHA-256 is still checked; otherwise the app asks)",
  },
  'trust-libraries': {
    type: 'boolean',
    description: 'run code from any https: (or loopback http:) library without asking; for development only',
  },
});

export interface HostArgs {
  /** --platform: the NATS servers this host runs its objects on instead of the LAN. */
  readonly platform?: readonly string[];
  /** --bridge: the NATS servers to bridge the LAN to (recorded; the bridge is future work). */
  readonly bridge?: readonly string[];
  readonly gms?: HostPort;
  /** An interface name or IPv4 address. */
  readonly interface?: string;
  /** Absolute. */
  readonly home?: string;
  readonly name?: string;
  readonly allowLibraries?: readonly string[];
  readonly trustLibraries?: boolean;
}

/** The host options given, with --home resolved against `cwd`. */
export function readHostArgs(values: OptionValues<typeof hostOptions>, cwd: string): HostArgs {
  if (values.platform !== undefined) {
    const lanOnly = (['gms', 'interface', 'bridge'] as const).filter((o) => values[o] !== undefined);
    if (lanOnly.length > 0) {
      throw new UsageError(
        `--platform runs this host on NATS only, so ${lanOnly.map((o) => `--${o}`).join(' and ')} ` +
          `${lanOnly.length === 1 ? 'does' : 'do'} not apply: leave ${lanOnly.length === 1 ? 'it' : 'them'} out, ` +
          'or leave out --platform to run on the LAN',
      );
    }
  }
  return {
    ...(values.platform !== undefined && { platform: values.platform }),
    ...(values.bridge !== undefined && { bridge: values.bridge }),
    ...(values.gms !== undefined && { gms: values.gms }),
    ...(values.interface !== undefined && { interface: values.interface }),
    ...(values.home !== undefined && { home: resolve(cwd, values.home) }),
    ...(values.name !== undefined && { name: values.name }),
    ...(values['allow-library'].length > 0 && { allowLibraries: values['allow-library'].map(libraryUrl) }),
    ...(values['trust-libraries'] && { trustLibraries: true }),
  };
}

function libraryUrl(url: string): string {
  try {
    checkLibraryUrl(url);
  } catch (e) {
    throw new UsageError(`--allow-library: ${(e as Error).message}`);
  }
  return url;
}

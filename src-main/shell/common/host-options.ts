// The options both shells take for the host they start (`liveobjects serve`, the Electron app):
// one table, so `npm start -- --home /tmp/bob --name Bob` means the same in either.
import { resolve } from 'node:path';
import { defineOptions } from '../../args/options';
import { hostPort } from '../../args/converters';
import type { OptionValues } from '../../args/options';
import type { HostPort } from '../../args/converters';

export const hostOptions = defineOptions({
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
});

export interface HostArgs {
  readonly gms?: HostPort;
  /** An interface name or IPv4 address. */
  readonly interface?: string;
  /** Absolute. */
  readonly home?: string;
  readonly name?: string;
}

/** The host options given, with --home resolved against `cwd`. */
export function readHostArgs(values: OptionValues<typeof hostOptions>, cwd: string): HostArgs {
  return {
    ...(values.gms !== undefined && { gms: values.gms }),
    ...(values.interface !== undefined && { interface: values.interface }),
    ...(values.home !== undefined && { home: resolve(cwd, values.home) }),
    ...(values.name !== undefined && { name: values.name }),
  };
}

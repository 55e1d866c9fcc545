// The interface a probe of the membership service at `gms` uses: the one named, else the one
// on the route to it (a connected UDP socket's local address; nothing is sent).
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { NetworkInterface } from '../../../src-shared/bridge/network';
import { errorText } from '../../../src-shared/util/error-text';

export type InterfaceChoice =
  | { readonly ok: true; readonly iface: NetworkInterface }
  /** No route: `fallback` describes loopback, for the status. */
  | { readonly ok: false; readonly error: string; readonly fallback: NetworkInterface };

export async function interfaceFor(
  gms: { readonly host: string; readonly port: number },
  option: string | undefined,
): Promise<InterfaceChoice> {
  if (option !== undefined) {
    const iface = describe(option, 'option');
    if (!iface) throw new Error(`no IPv4 interface is named or has the address '${option}'`);
    return { ok: true, iface };
  }
  try {
    const local = await routeTo(gms.host, gms.port);
    const iface = describe(local, 'route');
    if (!iface) throw new Error(`the route leaves from ${local}, which no interface holds`);
    return { ok: true, iface };
  } catch (error) {
    return { ok: false, error: errorText(error), fallback: describe('127.0.0.1', 'loopback')! };
  }
}

function describe(
  nameOrAddress: string,
  chosenBy: NetworkInterface['chosenBy'],
): NetworkInterface | undefined {
  for (const [name, entries] of Object.entries(networkInterfaces())) {
    const v4 = (entries ?? []).filter((e) => e.family === 'IPv4');
    const match = name === nameOrAddress ? v4[0] : v4.find((e) => e.address === nameOrAddress);
    if (!match) continue;
    return {
      name,
      address: match.address,
      mtu: match.internal ? 65_536 : 1500,
      loopback: match.internal,
      chosenBy,
    };
  }
  return undefined;
}

function routeTo(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.connect(port, host, () => {
      const { address } = socket.address();
      socket.close();
      resolve(address);
    });
  });
}

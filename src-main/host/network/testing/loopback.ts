// Test helpers for the host's network: a free UDP port for a private mDNS "LAN" on loopback,
// and loopback addresses unlikely to meet another test's.
import { createSocket } from 'node:dgram';

/** A UDP port free on this machine right now (for a private mDNS port shared by a test's hosts). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** `count` loopback addresses in one random 127.x.y.0/24 block (x ≥ 100), one per simulated host. */
export function loopbackAddresses(count: number): string[] {
  const x = 100 + Math.floor(Math.random() * 150);
  const y = Math.floor(Math.random() * 256);
  return Array.from({ length: count }, (_, i) => `127.${x}.${y}.${i + 10}`);
}

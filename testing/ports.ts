// Loopback TCP ports for child processes: pick a free one, wait until something listens on it.
import { connect, createServer } from 'node:net';
import type { ManagedProcess } from './processes';
import { waitFor } from './wait';

export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once something listens on the loopback TCP port; fails at once if `proc` exits. */
export async function waitForPort(proc: ManagedProcess, port: number, timeoutMs = 20_000): Promise<void> {
  try {
    await waitFor(`${proc.label} to listen on port ${port}`, () => tcpAccepts(port), {
      timeout: timeoutMs,
      interval: 50,
      signal: proc.running,
    });
  } catch (error) {
    if (proc.hasExited) throw error;
    throw new Error(`${(error as Error).message} ${proc.diagnostics()}`);
  }
}

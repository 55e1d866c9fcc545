// Loopback ports for benchmark processes: pick a free one, wait until something listens.
import { connect, createServer } from 'node:net';
import type { BenchProcess } from './proc';
import { sleep } from './proc';

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

/** Resolves once something listens on the loopback TCP port; fails early if `proc` exits. */
export async function waitForPort(proc: BenchProcess, port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (proc.hasExited) throw new Error(`${proc.name} exited before listening ${proc.diagnostics()}`);
    if (await tcpAccepts(port)) return;
    await sleep(50);
  }
  throw new Error(`${proc.name}: port ${port} not listening within ${timeoutMs} ms ${proc.diagnostics()}`);
}

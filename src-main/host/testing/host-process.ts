// A host in a process of its own, as `liveobjects serve` and the Electron app start one (tests
// of the home lock): `tsx host-process.ts HOME GMS_PORT`. Prints `host ready` once started and
// closes on SIGINT or SIGTERM; when the host cannot start it prints why on stderr and exits with 1.
import { errorText } from '../../../src-shared/util/error-text';
import { waitForSignal } from '../../cli/signals';
import { createHost } from '../host';

const [home, port] = process.argv.slice(2);
if (!home || !port) {
  console.error('usage: host-process.ts HOME GMS_PORT');
  process.exit(2);
}
let host: Awaited<ReturnType<typeof createHost>>;
try {
  host = await createHost({ shell: 'web', home, gms: { host: '127.0.0.1', port: Number(port) } });
} catch (error) {
  console.error(`cannot start the host: ${errorText(error)}`);
  process.exit(1);
}
const stopped = waitForSignal();
console.log('host ready');
await stopped;
await host.close();
process.exit(0);

// A host in a process of its own, as `liveobjects serve` and the Electron app start one (tests
// of the home lock): `tsx host-process.ts HOME GMS_PORT`. Prints `host ready` once started and
// closes on SIGTERM; when the host cannot start it prints why on stderr and exits with 1.
import { errorText } from '../../../src-shared/util/error-text';
import { createHost } from '../host';

const [home, port] = process.argv.slice(2);
if (!home || !port) {
  console.error('usage: host-process.ts HOME GMS_PORT');
  process.exit(2);
}
try {
  const host = await createHost({ shell: 'web', home, gms: { host: '127.0.0.1', port: Number(port) } });
  console.log('host ready');
  process.once('SIGTERM', () => {
    void host.close().finally(() => process.exit(0));
  });
} catch (error) {
  console.error(`cannot start the host: ${errorText(error)}`);
  process.exit(1);
}

// A member node as a separate process, for multi-process GMS tests. Run with
//   node --import tsx member-process.ts --gms HOST:PORT --groups A,B [--heartbeat-ms N] [--id ID]
//        [--key HEX]
// It binds a real unicast UDP socket (its endpoint goes into its NodeInfo), registers, and
// prints one JSON line per event on stdout: {"type":"ready","id":…} then {"type":"state",…}.
// Lines on stdin: `join G`, `leave G`. It reads nothing from its UDP socket: to the members
// of its regions it is a member that never takes part in the token rings (never
// acknowledges). `--id` chooses its node id, hence its rank in its regions (ranks follow ids).
// `--key` is the packet key (32 bytes in hex) of a keyed GMS: the member then holds the key, as a
// workspace member does (a test fixture: a real key is never given on a command line).
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { GmsClient } from '../client';

function print(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

// A test fixture: node:util's parser alone (the engine does not import the CLI's option tables).
const { values } = parseArgs({
  options: {
    gms: { type: 'string', default: '' },
    groups: { type: 'string', default: '' },
    'heartbeat-ms': { type: 'string', default: '100' },
    id: { type: 'string' },
    key: { type: 'string' },
  },
});
if (values.key !== undefined && !/^[0-9a-f]{64}$/i.test(values.key)) {
  process.stderr.write(`member: --key takes 32 bytes in hex (64 digits), got '${values.key.slice(0, 80)}'\n`);
  process.exit(2);
}
const packetKey = values.key === undefined ? undefined : Buffer.from(values.key, 'hex');
const [gmsHost = '127.0.0.1', gmsPort = '0'] = values.gms.split(':');
const groups = values.groups.split(',').filter((g) => g.length > 0);
const heartbeatMs = Number(values['heartbeat-ms']);

const udp = createSocket('udp4');
await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
const { address, port } = udp.address();
const self = { id: values.id ?? `${address}:${port}/${randomBytes(4).toString('hex')}`, host: address, port };

const client = new GmsClient({
  gms: { host: gmsHost, port: Number(gmsPort) },
  self,
  heartbeatIntervalMs: heartbeatMs,
  reconnectDelayMs: 100,
  maxReconnectDelayMs: 400,
  connectTimeoutMs: 10_000,
  ...(packetKey && { packetKey }),
  log: (line) => process.stderr.write(line + '\n'),
});
for (const g of groups) client.join(g);
client.onState((state) => print({ type: 'state', ...state }));
print({ type: 'ready', id: self.id });
try {
  await client.start();
} catch (error) {
  process.stderr.write(`member: ${(error as Error).message}\n`);
  process.exit(1);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const [verb, group] = line.trim().split(/\s+/);
  if (verb === 'join' && group) client.join(group);
  else if (verb === 'leave' && group) client.leave(group);
});
process.stdin.on('end', () => {
  // The test went away: do not linger.
  void client.close().then(() => process.exit(0));
});

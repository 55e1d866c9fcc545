// The counters of a GMS, asked from where the test runs it (on a simulated machine its address
// is reachable from that machine's network only). Run with
//   node --import tsx gms-stats.ts --gms HOST:PORT [--key HEX]
// --key is the packet key (hex) of a keyed GMS. Prints the stats as one JSON line.
import { parseArgs } from 'node:util';
import { hostPort } from '../../args/converters';
import { fetchGmsStats } from '../gms/embedded';

const { values } = parseArgs({ options: { gms: { type: 'string', default: '' }, key: { type: 'string' } } });
const { host, port } = hostPort(values.gms);
const key = values.key === undefined ? undefined : Buffer.from(values.key, 'hex');
process.stdout.write(JSON.stringify(await fetchGmsStats(host, port, 2000, key)) + '\n');

// An outsider on the network, for the attack tests: a process that does not hold the packet
// key. Run with
//   node --import tsx attacker.ts --overhear GROUP:PORT --targets HOST:PORT,... [--gms HOST:PORT]
//        [--bind HOST] [--iface ADDR]
// It listens to a region's IP multicast (what anyone on the LAN can; joined on the interface
// with address --iface, default --bind) and, for each datagram it overhears, sends every target
// (the nodes' unicast endpoints, from --bind, default 127.0.0.1): the datagram again (a replay),
// a copy with three bytes changed and the CRC-32 recomputed, and a forged token of that region
// view with a valid CRC-32 (the stall attack). With --gms it first tries to register with the
// membership service, as a client and as raw frames. Prints JSON lines: `registration`, then
// `attack` counts every 200 ms until SIGTERM.

import dgram from 'node:dgram';
import { connect } from 'node:net';
import { parseArgs } from 'node:util';
import { hostPort } from '../../args/converters';
import { GmsClient } from '../gms/client';
import { encodeFrame } from '../gms/framing';
import { Reader } from '../wire/buffer';
import { crc32 } from '../wire/crc32';
import { encodeToken, HEADER, TokenLevel } from '../wire/packets';

function print(line: object): void {
  process.stdout.write(JSON.stringify(line) + '\n');
}

const { values } = parseArgs({
  options: {
    overhear: { type: 'string', default: '' },
    targets: { type: 'string', default: '' },
    gms: { type: 'string' },
    bind: { type: 'string', default: '127.0.0.1' },
    iface: { type: 'string' },
  },
});

const { bind } = values;
const iface = values.iface ?? bind;
const targets = values.targets
  .split(',')
  .filter(Boolean)
  .map((t) => hostPort(t));

if (values.gms) {
  const gms = hostPort(values.gms);
  const client = new GmsClient({
    gms,
    self: { id: `${bind}:9/intruder`, host: bind, port: 9 },
    connectTimeoutMs: 5000,
  });
  client.join('a');
  const outcome = await client.start().then(
    () => ({ registered: true }),
    (e: Error) => ({ registered: false, error: e.name, message: e.message }),
  );
  await client.close();
  // Raw frames, no handshake: a registration and a heartbeat, as a fake member would send.
  const answer = await new Promise<string>((resolve) => {
    const socket = connect(gms);
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).subarray(4).toString('utf8')));
    socket.once('connect', () => {
      const node = { id: '__proto__', host: bind, port: 9 };
      socket.write(encodeFrame({ t: 'register', v: 1, node, groups: ['a'], lastEpoch: 0 }));
      socket.write(encodeFrame({ t: 'heartbeat' }));
    });
    setTimeout(() => socket.destroy(), 3000).unref();
  });
  print({ t: 'registration', ...outcome, rawAnswer: answer });
}

const counts = { overheard: 0, replayed: 0, tampered: 0, forged: 0 };
const out = dgram.createSocket('udp4');
await new Promise<void>((resolve) => out.bind(0, bind, () => resolve()));
const send = (b: Uint8Array): void => {
  for (const { host, port } of targets) out.send(b, port, host);
};
let round = 1;

function attack(buf: Buffer): void {
  counts.overheard++;
  send(buf);
  counts.replayed++;
  const tampered = Buffer.from(buf);
  for (const at of [HEADER + 20, HEADER + 40, tampered.length - 30])
    if (at < tampered.length) tampered[at]! ^= 0x5a;
  tampered.writeUInt32BE(crc32(tampered, HEADER), 4);
  send(tampered);
  counts.tampered++;
  // The region view and a member's id, read from the overheard datagram's plain header.
  let sender: string, region: string, viewId: number;
  try {
    const r = new Reader(buf, HEADER);
    sender = r.str();
    region = r.str();
    viewId = r.u53();
  } catch {
    return;
  }
  // A later incarnation of the sender's stream: members that believed it would drop the real
  // stream as stale (what stalled a key-less cluster for good).
  const record = {
    sender,
    inc: 1000,
    maxSeen: 0x7ffffff0,
    prevContig: 0,
    prevBits: new Uint8Array(0),
    prevBitCount: 0,
    allContig: 0,
    lost: [],
    stable: 0,
    partContig: [],
    flags: 0,
  };
  for (const level of [TokenLevel.Partition, TokenLevel.Region]) {
    send(encodeToken({ sender, region, viewId, round: round++, level, partition: 0, records: [record] }));
    counts.forged++;
  }
}

if (values.overhear) {
  const { host: group, port } = hostPort(values.overhear);
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  s.on('message', attack);
  await new Promise<void>((resolve) => s.bind(port, group, () => resolve()));
  s.addMembership(group, iface);
}
print({ t: 'attacking', ...counts });
setInterval(() => print({ t: 'attack', ...counts }), 200);
process.on('SIGTERM', () => process.exit(0));

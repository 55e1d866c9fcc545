// NATS subscriber for the `receivers` baseline: counts messages on a subject (seq gives loss,
// the send stamp gives latency) and answers the runner's `mark`s like udp-receiver.ts.
import { connect } from 'nats';
import { performance } from 'node:perf_hooks';
import { parseArgs, stringOption } from '../lib/args';
import { DATAGRAM_MAGIC, HEADER_BYTES, LatencyWindow, emit, onCommands } from './control';

const { options } = parseArgs(process.argv.slice(2));
const server = stringOption(options, 'server', '127.0.0.1:4222');
const subject = stringOption(options, 'subject', 'bench');

let msgs = 0;
let bytes = 0;
let maxSeq = -1;
let stray = 0;
let slow = 0;
const latency = new LatencyWindow();

const nc = await connect({ servers: server });
nc.subscribe(subject, {
  callback: (err, msg) => {
    if (err) {
      slow++;
      return;
    }
    const data = msg.data;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    if (data.length < HEADER_BYTES || view.getUint32(0, true) !== DATAGRAM_MAGIC) {
      stray++;
      return;
    }
    msgs++;
    bytes += data.length;
    const seq = view.getUint32(4, true);
    if (seq > maxSeq) maxSeq = seq;
    latency.add(data);
  },
});
// The server knows the subscription once a flush round trip completes.
await nc.flush();

onCommands((cmd) => {
  if (cmd.cmd === 'mark') {
    emit({
      type: 'mark',
      id: cmd.id,
      t: performance.now(),
      msgs,
      bytes,
      maxSeq,
      stray,
      slow,
      latency: latency.take(),
    });
  } else if (cmd.cmd === 'stop') {
    void nc.close().then(() => process.exit(0));
  }
});
emit({ type: 'ready', pid: process.pid });

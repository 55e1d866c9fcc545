// NATS subscriber for the `receivers` baseline: counts messages on a subject (seq gives loss,
// the send stamp gives latency) and answers the runner's `mark`s like udp-receiver.ts.
import { connect } from 'nats';
import { performance } from 'node:perf_hooks';
import { ReceiveCounts, emit, onCommands } from './control';
import { natsOptions, readOptions } from './options';

const { server, subject } = readOptions(natsOptions);

const counts = new ReceiveCounts();
let slow = 0;

const nc = await connect({ servers: server });
nc.subscribe(subject, {
  callback: (err, msg) => {
    if (err) {
      slow++;
      return;
    }
    // msg.data is a Uint8Array view into the client's read buffer: view it as a Buffer.
    const d = msg.data;
    counts.add(Buffer.from(d.buffer, d.byteOffset, d.byteLength));
  },
});
// The server knows the subscription once a flush round trip completes.
await nc.flush();

onCommands((cmd) => {
  if (cmd.cmd === 'mark') {
    emit({ type: 'mark', id: cmd.id, t: performance.now(), ...counts.mark(), slow });
  } else if (cmd.cmd === 'stop') {
    void nc.close().then(() => process.exit(0));
  }
});
emit({ type: 'ready', pid: process.pid });
